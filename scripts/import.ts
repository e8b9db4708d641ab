/**
 * `npm run import` — a Salt master's files → `Pulumi.<stack>.yaml`, and a report of every Salt
 * option. Exit 0 written, 2 bad arguments or input (every problem on stderr, nothing written).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { exitAfterFlush } from "./lib/exit";
import { importSalt, SaltInput, saltDirInputs } from "./lib/salt/importer";
import { formatReport, stackFileText } from "./lib/salt/output";
import { SaltImportError } from "./lib/salt/read";

const USAGE = `usage: npm run import -- --stack NAME [--out FILE] [--force] [--provider ALIAS]
                       [--autonaming verbatim|default] [--salt-dir DIR]
                       [--cloud-providers FILE]... [--cloud-profiles FILE]... [--list-profiles FILE]
                       [--master FILE]... [--pillar FILE]...

  --stack NAME             the stack the file is for (writes Pulumi.NAME.yaml)
  --out FILE               write here instead of Pulumi.NAME.yaml in the current directory
  --force                  replace an existing file
  --salt-dir DIR           a Salt config directory (/etc/salt): cloud.providers(.d/*.conf),
                           cloud.profiles(.d/*.conf), master, master.d/*.conf
  --cloud-providers FILE   a salt-cloud provider file (repeatable)
  --cloud-profiles FILE    a salt-cloud profile file (repeatable)
  --list-profiles FILE     the output of salt-cloud --list-profiles PROVIDER --out=json (which profiles to take)
  --master FILE            the master config, then master.d/*.conf (repeatable, in include order)
  --pillar FILE            the pillar as Salt renders it: salt-call --local pillar.items --out=json, or
                           salt-run pillar.show_pillar MINION --out=json; or plain YAML pillar files
  --provider ALIAS         the EC2 provider to import when the provider files define several
  --autonaming MODE        verbatim (default: the live resources' names, for npm run adopt) or default
`;

function main(argv: string[]): number {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        stack: { type: "string" },
        out: { type: "string" },
        force: { type: "boolean", default: false },
        provider: { type: "string" },
        autonaming: { type: "string", default: "verbatim" },
        "salt-dir": { type: "string", multiple: true, default: [] },
        "cloud-providers": { type: "string", multiple: true, default: [] },
        "cloud-profiles": { type: "string", multiple: true, default: [] },
        "list-profiles": { type: "string", multiple: true, default: [] },
        master: { type: "string", multiple: true, default: [] },
        pillar: { type: "string", multiple: true, default: [] },
        help: { type: "boolean", default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (args.stack === undefined || !/^[A-Za-z0-9_.-]+$/.test(args.stack)) {
    process.stderr.write(
      `error: --stack NAME is required (letters, digits, _ . -)${args.stack !== undefined ? `, got "${args.stack}"` : ""}\n${USAGE}`,
    );
    return 2;
  }
  if (args.autonaming !== "verbatim" && args.autonaming !== "default") {
    process.stderr.write(`error: --autonaming must be verbatim or default, got "${args.autonaming}"\n`);
    return 2;
  }
  const badDir = args["salt-dir"].find((d) => !fs.existsSync(d) || !fs.statSync(d).isDirectory());
  if (badDir !== undefined) {
    process.stderr.write(`error: --salt-dir ${badDir}: not a directory\n\nNothing was written.\n`);
    return 2;
  }
  const inputs: SaltInput[] = [
    ...args["salt-dir"].flatMap((d) => saltDirInputs(d)),
    ...args["cloud-providers"].map((p) => ({ kind: "cloud-providers" as const, path: p })),
    ...args["cloud-profiles"].map((p) => ({ kind: "cloud-profiles" as const, path: p })),
    ...args["list-profiles"].map((p) => ({ kind: "list-profiles" as const, path: p })),
    ...args.master.map((p) => ({ kind: "master" as const, path: p })),
    ...args.pillar.map((p) => ({ kind: "pillar" as const, path: p })),
  ];
  const out = path.resolve(args.out ?? `Pulumi.${args.stack}.yaml`);
  if (!fs.existsSync(path.dirname(out)) || !fs.statSync(path.dirname(out)).isDirectory()) {
    process.stderr.write(
      `error: --out ${out}: the directory ${path.dirname(out)} does not exist\n\nNothing was written.\n`,
    );
    return 2;
  }
  if (fs.existsSync(out) && !args.force) {
    process.stderr.write(
      `error: ${out} exists; give --force to replace it, or --out another file\n\nNothing was written.\n`,
    );
    return 2;
  }
  let result;
  try {
    result = importSalt(inputs, {
      stack: args.stack,
      ...(args.provider !== undefined ? { provider: args.provider } : {}),
      autonaming: args.autonaming,
    });
  } catch (err) {
    if (!(err instanceof SaltImportError)) throw err;
    process.stderr.write(`error: ${err.message}\n\nNothing was written.\n`);
    return 2;
  }
  // Written whole or not at all: a temporary file beside it, renamed over it.
  const tmp = `${out}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, stackFileText(result, path.dirname(out)));
  fs.renameSync(tmp, out);
  process.stdout.write(formatReport(result, { stack: args.stack, out, cwd: process.cwd() }));
  return 0;
}

if (require.main === module) {
  let code: number;
  try {
    code = main(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    code = 3;
  }
  exitAfterFlush(code);
}
