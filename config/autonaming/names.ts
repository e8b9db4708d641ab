/**
 * Names made by an autonaming strategy (pulumi/pulumi pkg/resource/autonaming/strategy.go
 * generateName): `${name}` and the random tokens, drawn from a hash of the resource's identity so a
 * plan is reproducible; what the engine sends the provider's Check; and the names the program sets
 * itself because it must know them before the resource exists.
 */
import { createHash } from "node:crypto";
import { strategyFor, type AutonamingModel, type EngineAutonaming } from "./strategy";

/** Deterministic stand-in for the engine's seeded frand: a SHA-256 counter stream over the seed. */
export class SeededRandom {
  private buffer = Buffer.alloc(0);
  private counter = 0;
  constructor(private readonly seed: string) {}

  bytes(n: number): Buffer {
    while (this.buffer.length < n) {
      const block = createHash("sha256").update(`${this.seed}\u0000${this.counter++}`).digest();
      this.buffer = Buffer.concat([this.buffer, block]);
    }
    const out = this.buffer.subarray(0, n);
    this.buffer = this.buffer.subarray(n);
    return Buffer.from(out);
  }

  /** Uniform in [0, n). */
  intn(n: number): number {
    const limit = Math.floor(0x100000000 / n) * n;
    for (;;) {
      const v = this.bytes(4).readUInt32BE(0);
      if (v < limit) return v % n;
    }
  }
}

const RANDOM_TOKENS: readonly [RegExp, (n: number, r: SeededRandom) => string][] = [
  [
    /\$\{hex\((\d+)\)\}/g,
    (n, r) =>
      r
        .bytes(Math.floor(n / 2) + 1)
        .toString("hex")
        .slice(0, n),
  ],
  [/\$\{alphanum\((\d+)\)\}/g, (n, r) => pick("abcdefghijklmnopqrstuvwxyz0123456789", n, r)],
  [/\$\{string\((\d+)\)\}/g, (n, r) => pick("abcdefghijklmnopqrstuvwxyz", n, r)],
  [/\$\{num\((\d+)\)\}/g, (n, r) => pick("0123456789", n, r)],
];

function pick(chars: string, n: number, r: SeededRandom): string {
  let s = "";
  for (let i = 0; i < n; i++) s += chars[r.intn(chars.length)];
  return s;
}

function uuidFrom(bytes: Buffer): string {
  const b = Buffer.from(bytes);
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** `${name}` and the random tokens of a pattern whose stack expressions are already resolved. */
export function generateName(
  pattern: string,
  logicalName: string,
  seed: string,
): { name: string; hasRandom: boolean } {
  let result = pattern.split("${name}").join(logicalName);
  const random = new SeededRandom(seed);
  let hasRandom = false;
  for (const [re, gen] of RANDOM_TOKENS) {
    const next = result.replace(re, (_m, n: string) => gen(Number(n), random));
    hasRandom ||= next !== result;
    result = next;
  }
  if (result.includes("${uuid}")) {
    result = result.split("${uuid}").join(uuidFrom(random.bytes(16)));
    hasRandom = true;
  }
  return { name: result, hasRandom };
}

/**
 * What the engine sends the provider for one custom resource (Global.AutonamingForResource), or
 * undefined when the strategy is "default" (the provider's own auto-naming applies).
 */
export function engineAutonaming(
  model: AutonamingModel | undefined,
  type: string,
  logicalName: string,
  seed: string,
): EngineAutonaming | undefined {
  const s = strategyFor(model, type);
  switch (s.kind) {
    case "default":
      return undefined;
    case "verbatim":
      return { mode: "enforce", proposedName: logicalName, deleteBeforeReplace: true };
    case "disabled":
      return { mode: "disable", deleteBeforeReplace: true };
    case "pattern": {
      const g = generateName(s.pattern, logicalName, seed);
      return {
        mode: s.enforce ? "enforce" : "propose",
        proposedName: g.name,
        deleteBeforeReplace: !g.hasRandom,
      };
    }
  }
}

/**
 * A name the program sets explicitly because it must know it before the resource exists (the ASG
 * whose name the reactor's IAM policy scopes to, the function whose log group exists first). It
 * follows the user's strategy for that type: verbatim → the logical name, a pattern → the pattern
 * (random parts derived from `seed`, so stable across runs), default or disabled → `fallback`
 * (disabled asks for explicit names, which this is).
 */
export function explicitName(
  model: AutonamingModel | undefined,
  type: string,
  logicalName: string,
  fallback: string,
  seed: string,
): string {
  const s = strategyFor(model, type);
  if (s.kind === "verbatim") return logicalName;
  if (s.kind === "pattern") return generateName(s.pattern, logicalName, seed).name;
  return fallback;
}
