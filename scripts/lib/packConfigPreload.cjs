// Loaded with `node --require` ahead of @pulumi/pulumi's run-policy-pack when the stack config is too
// big for one environment variable (scripts/lib/configEnv.ts). The offline plan writes the config's
// JSON to a private file named in PILLAR_PACK_CONFIG_FILE; this reads it before the pack or
// @pulumi/pulumi loads, and sets PULUMI_CONFIG inside the process, where no size limit applies. The
// pack then sees exactly what the CLI's environment would give it: @pulumi/pulumi's runtime reads
// process.env.PULUMI_CONFIG when it loads (sdk/nodejs/runtime/state.ts) and `new pulumi.Config()`
// parses it. (@pulumi/policy ignores ConfigureStack's config, and a policy may read config when its
// module loads, before any ConfigureStack arrives, so that request alone would not do.)
"use strict";
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS preload, run by plain node
const fs = require("node:fs");
const text = fs.readFileSync(process.env.PILLAR_PACK_CONFIG_FILE, "utf8");
delete process.env.PILLAR_PACK_CONFIG_FILE;
JSON.parse(text); // fail at start, with the pack's stderr, rather than in a policy
process.env.PULUMI_CONFIG = text;
