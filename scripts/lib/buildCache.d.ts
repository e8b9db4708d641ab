/** Types of buildCache.js (plain CommonJS: it runs before anything is built). */
export interface CachedOutput {
  readonly file: string;
  readonly contents: Buffer;
  /** Whether it came from the cache. */
  readonly hit: boolean;
}

export function cachedBuild(opts: {
  readonly dir: string;
  readonly name: string;
  readonly ext: string;
  readonly root: string;
  readonly key: string;
  readonly build: () => { contents: Uint8Array; inputs: readonly string[] };
}): CachedOutput;

export function cacheDir(root: string): string;

export function digestOf(root: string, key: string, inputs: readonly string[]): string;

export function projectInputs(root: string, metafile: { inputs: Record<string, unknown> }): string[];
