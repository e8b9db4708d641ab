/** The one table of type tokens (provider/types.ts) against the installed @pulumi/aws. */
import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import { TYPES } from "../provider/types";

describe("the type-token table", () => {
  for (const [module, members] of Object.entries(TYPES)) {
    for (const [member, token] of Object.entries(members)) {
      it(`${module}.${member} is ${token}`, () => {
        const sdk = (
          module === "index" ? aws : (aws as unknown as Record<string, unknown>)[module]
        ) as Record<string, unknown>;
        const value = sdk[member];
        if (/^[a-z]/.test(member)) {
          // A function: the SDK exports it (and its Output form); its token is `aws:<module>/<name>:<name>`.
          assert.equal(typeof value, "function", `@pulumi/aws exports no ${module}.${member}`);
          assert.equal(token, `aws:${module}/${member}:${member}`);
        } else {
          assert.equal((value as { __pulumiType?: string } | undefined)?.__pulumiType, token);
        }
      });
    }
  }
});
