/**
 * `npm run adopt` — finds the live resources the stack would create (by the seed's names, under
 * verbatim autonaming) with the AWS SDK, and writes the file `pulumi import --file FILE
 * --generate-code=false` reads. Read-only against AWS. Exit 0 written and nothing would be replaced,
 * 1 written but something must be fixed first (a replacement trap, an ambiguous match), 2 bad
 * arguments or config, or AWS could not be read (nothing written).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { ConfigError } from "../config/issues";
import { adoptStack, AdoptError, AdoptResult } from "./lib/adopt/adopt";
import { defaultClients } from "./lib/adopt/live";
import { exitAfterFlush } from "./lib/exit";
import { loadPlanInput, modelFor } from "./lib/planner";
import { StackFileError } from "./lib/stackFile";

const USAGE = `usage: npm run adopt -- [--stack NAME | --stack-file PATH] [--out FILE] [--instance NAME=ID]...

  --stack NAME         adopt for Pulumi.NAME.yaml (default: prod)
  --stack-file PATH    adopt for any stack config file
  --out FILE           the import file to write (default: adopt.NAME.json)
  --instance NAME=ID   the running instance of a profile (salt-cloud names instances on its command
                       line, which no file keeps), e.g. --instance mongodb-server=i-0123456789abcdef0

AWS credentials: the stack's pillar:cloud profile if it names one, else the default chain (AWS_PROFILE,
SSO, the environment, an instance role). Only Describe and List calls are made.
`;

const short = (type: string) => type.replace(/^aws:([a-z0-9]+)\/[a-zA-Z0-9]+:/, "aws:$1:");

export function formatAdoption(r: AdoptResult, opts: { stack: string; out: string }): string {
  const byUrn = new Map(r.resources.map((x) => [x.urn, x]));
  const rows = (list: [string, string, string][]) => {
    const w0 = Math.max(0, ...list.map((x) => x[0].length));
    const w1 = Math.max(0, ...list.map((x) => x[1].length));
    return list.map(([a, b, c]) => `    ${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`);
  };
  const out: string[] = [`Adopting stack ${opts.stack} in ${r.model.cloud.region}:`, ""];
  const found = [...r.adoption.found].map(([urn, f]) => {
    const res = byUrn.get(urn)!;
    return [short(res.type), res.name, f.id] as [string, string, string];
  });
  out.push(`To import (${found.length}), by pulumi import:`, ...rows(found), "");
  out.push(
    `To create (${r.adoption.creates.length}), by pulumi up:`,
    ...rows(r.adoption.creates.map((c) => [short(c.type), c.name, c.why])),
    "",
  );
  if (r.adoption.unmatched.length > 0)
    out.push(
      `Live, not in the stack (${r.adoption.unmatched.length}): nothing happens to them`,
      ...r.adoption.unmatched.map((u) => `    ${u.id}  ${u.what}: ${u.why}`),
      "",
    );
  if (r.adoption.ambiguous.length > 0)
    out.push(
      `Not matched (${r.adoption.ambiguous.length}): not imported, and pulumi up would fail to create them`,
      ...rows(r.adoption.ambiguous.map((a) => [short(a.type), a.name, a.why])),
      "",
    );
  const replace = r.findings.filter((f) => f.level === "replace");
  const moves = r.findings.filter((f) => f.level === "move");
  if (replace.length > 0)
    out.push(
      `Replacement traps (${replace.length}): fix these before pulumi up`,
      ...replace.map((f) => `    ${f.message}`),
      "",
    );
  if (moves.length > 0) out.push("In place:", ...moves.map((f) => `    ${f.message}`), "");
  for (const w of r.warnings) out.push(`warning: ${w}`);
  if (r.warnings.length > 0) out.push("");
  out.push(
    `Wrote ${opts.out}. Next:`,
    `    pulumi import --stack ${opts.stack} --file ${opts.out} --generate-code=false`,
    `    pulumi preview --stack ${opts.stack} --policy-pack policies     # expect updates, no replacements`,
  );
  return `${out.join("\n")}\n`;
}

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        stack: { type: "string" },
        "stack-file": { type: "string" },
        out: { type: "string" },
        instance: { type: "string", multiple: true, default: [] },
        help: { type: "boolean", default: false },
      },
      strict: true,
    }).values;
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (args.stack !== undefined && args["stack-file"] !== undefined) {
    process.stderr.write(`error: Only one of [--stack] or [--stack-file] can be specified\n${USAGE}`);
    return 2;
  }
  const instances: Record<string, string> = {};
  for (const i of args.instance) {
    const m = /^([^=]+)=(i-[0-9a-f]{8,17})$/.exec(i);
    if (!m) {
      process.stderr.write(`error: --instance ${i}: expected PROFILE=i-… (an instance id)\n`);
      return 2;
    }
    instances[m[1]!] = m[2]!;
  }
  let input;
  let model;
  try {
    input = loadPlanInput({ stack: args.stack, stackFile: args["stack-file"] });
    model = modelFor(input);
  } catch (err) {
    if (err instanceof StackFileError || err instanceof ConfigError) {
      process.stderr.write(`error: ${err.message}\n\nNothing was written.\n`);
      return 2;
    }
    throw err;
  }
  const out = path.resolve(args.out ?? `adopt.${input.stack}.json`);
  let result;
  try {
    result = await adoptStack(input, defaultClients(model.cloud.region, model.cloud.profile), { instances });
  } catch (err) {
    if (err instanceof AdoptError || err instanceof ConfigError) {
      process.stderr.write(`error: ${err.message}\n\nNothing was written.\n`);
      return 2;
    }
    // An AWS error: credentials, permissions, throttling past the retries.
    const e = err as { name?: string; message?: string; $metadata?: unknown };
    if (e.$metadata !== undefined || /Credential|credential/.test(e.message ?? "")) {
      process.stderr.write(
        `error: AWS could not be read: ${e.name ?? "Error"}: ${e.message ?? String(err)}\n\nNothing was written.\n`,
      );
      return 2;
    }
    throw err;
  }
  fs.writeFileSync(out, result.text);
  process.stdout.write(
    formatAdoption(result, { stack: input.stack, out: path.relative(process.cwd(), out) || out }),
  );
  return result.findings.some((f) => f.level === "replace") || result.adoption.ambiguous.length > 0 ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => exitAfterFlush(code),
    (err: unknown) => {
      process.stderr.write(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(3);
    },
  );
}
