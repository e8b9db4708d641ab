/**
 * How big the stack config is once the Pulumi CLI puts it in the environment, and what Linux allows.
 *
 * The CLI's Node language host hands the whole stack config to the program and to every Node policy
 * pack as one environment variable, `PULUMI_CONFIG=<JSON of the config map>` (pulumi/pulumi
 * sdk/nodejs/cmd/pulumi-language-nodejs/main.go: the program's at execRuntime, keys rewritten to the
 * old `<namespace>:config:<name>` form by constructConfig; a pack's in RunPlugin, keys as they are).
 * Linux refuses an execve whose single argument or environment string is longer than MAX_ARG_STRLEN,
 * 32 pages = 131072 bytes with 4 KiB pages, NUL included (linux/binfmts.h; execve(2)), with E2BIG,
 * "argument list too long". So a stack whose config is over that cannot be previewed or deployed by
 * the real CLI at all: pulumi/pulumi#8680 (the program) and #20402 (a policy pack), both open.
 */

/** Linux's limit on one argument or environment string, the terminating NUL included (4 KiB pages). */
export const MAX_ARG_STRLEN = 32 * 4096;

/** Go's json.Marshal escapes these (HTML safety); each costs 6 bytes as \u00XX. */
const GO_ESCAPED = /[<>&\u2028\u2029]/g;

/** JSON of a string map as Go's json.Marshal writes a map[string]string: keys sorted, HTML escaped. */
export function goJson(map: Readonly<Record<string, string>>): string {
  const sorted = Object.fromEntries(Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return JSON.stringify(sorted).replace(
    GO_ESCAPED,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** Bytes of `NAME=value` plus its NUL, as execve counts one environment string. */
export function envStringBytes(name: string, value: string): number {
  return Buffer.byteLength(name) + 1 + Buffer.byteLength(value) + 1;
}

/** The program's PULUMI_CONFIG as the language host writes it: `ns:key` becomes `ns:config:key`. */
export function programConfigJson(config: Readonly<Record<string, string>>): string {
  const legacy: Record<string, string> = {};
  for (const [k, v] of Object.entries(config)) {
    const i = k.indexOf(":");
    legacy[i === -1 ? k : `${k.slice(0, i)}:config:${k.slice(i + 1)}`] = v;
  }
  return goJson(legacy);
}

/** Whether a string fits in one environment variable of an exec'd process on Linux. */
export function fitsInEnv(name: string, value: string): boolean {
  return envStringBytes(name, value) <= MAX_ARG_STRLEN;
}

/**
 * The warning for a config too big for the real CLI, or undefined when it fits. The offline plan
 * itself hands its packs the config another way (analyzerProcess.ts), so it still plans; this says
 * that a `pulumi preview` would not.
 */
export function configEnvWarning(config: Readonly<Record<string, string>>): string | undefined {
  const program = envStringBytes("PULUMI_CONFIG", programConfigJson(config));
  const pack = envStringBytes("PULUMI_CONFIG", goJson(config));
  if (program <= MAX_ARG_STRLEN && pack <= MAX_ARG_STRLEN) return undefined;
  return (
    `the stack config is ${program} bytes in the PULUMI_CONFIG environment variable the Pulumi CLI ` +
    `gives the program (${pack} bytes in a policy pack's), over the ${MAX_ARG_STRLEN} bytes Linux allows ` +
    `in one environment string (MAX_ARG_STRLEN): a real \`pulumi preview\` or \`pulumi up\` on Linux ` +
    `will fail to start the program and each policy pack with "argument list too long" ` +
    `(pulumi/pulumi#8680, #20402). This offline plan handed the config to its policy packs another ` +
    `way, so its result stands, but to deploy, split the stack into smaller stacks or shrink its config.`
  );
}
