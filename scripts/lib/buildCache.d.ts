/** Types of buildCache.js (plain CommonJS: it runs before anything is built). */
export interface CachedOutput {
  readonly file: string;
  readonly contents: Buffer;
  /** Whether it came from the cache. */
  readonly hit: boolean;
}

export interface CacheEntry {
  readonly dir: string;
  readonly name: string;
  readonly ext: string;
  readonly root: string;
  readonly key: string;
}

export interface Built {
  readonly contents: Uint8Array;
  /** Paths relative to root. */
  readonly inputs: readonly string[];
}

export function lookup(opts: CacheEntry): CachedOutput | undefined;

export function store(opts: CacheEntry, built: Built): CachedOutput;

export function cachedBuild(opts: CacheEntry & { readonly build: () => Built }): CachedOutput;

export function cacheDir(root: string): string;

export function digestOf(root: string, key: string, inputs: readonly string[]): string;

export function projectInputs(root: string, metafile: { inputs: Record<string, unknown> }): string[];
