import * as assert from "node:assert/strict";
import {
  configEnvWarning,
  envStringBytes,
  fitsInEnv,
  goJson,
  MAX_ARG_STRLEN,
  programConfigJson,
} from "../scripts/lib/configEnv";
import { loadPlanInput } from "../scripts/lib/planner";

describe("scripts/lib/configEnv: the stack config in the CLI's environment", () => {
  it("writes JSON as Go's json.Marshal does: keys sorted, <, > and & escaped", () => {
    assert.equal(goJson({ b: "x<y>&z", a: "1" }), '{"a":"1","b":"x\\u003cy\\u003e\\u0026z"}');
  });

  it("rewrites the program's keys to the language host's ns:config:key form", () => {
    assert.equal(
      programConfigJson({ "pillar:network": "{}", "aws:region": "us-east-1" }),
      '{"aws:config:region":"us-east-1","pillar:config:network":"{}"}',
    );
  });

  it("counts NAME=value and the NUL against 131072 bytes, UTF-8", () => {
    assert.equal(MAX_ARG_STRLEN, 131072);
    assert.equal(envStringBytes("A", "é"), 5);
    const name = "PULUMI_CONFIG";
    const fits = "x".repeat(MAX_ARG_STRLEN - name.length - 2);
    assert.equal(fitsInEnv(name, fits), true);
    assert.equal(fitsInEnv(name, `${fits}x`), false);
  });

  it("says nothing for the repo's stacks, and names both sizes and the limit for a big one", () => {
    for (const stack of ["prod", "dev"])
      assert.equal(configEnvWarning(loadPlanInput({ stack }).stackFile.config), undefined);
    const big = { "pillar:x": "y".repeat(MAX_ARG_STRLEN) };
    const program = envStringBytes("PULUMI_CONFIG", programConfigJson(big));
    const pack = envStringBytes("PULUMI_CONFIG", goJson(big));
    assert.equal(
      configEnvWarning(big),
      `the stack config is ${program} bytes in the PULUMI_CONFIG environment variable the Pulumi CLI gives the program (${pack} bytes in a policy pack's), over the 131072 bytes Linux allows in one environment string (MAX_ARG_STRLEN): a real \`pulumi preview\` or \`pulumi up\` on Linux will fail to start the program and each policy pack with "argument list too long" (pulumi/pulumi#8680, #20402). This offline plan handed the config to its policy packs another way, so its result stands, but to deploy, split the stack into smaller stacks or shrink its config.`,
    );
  });
});
