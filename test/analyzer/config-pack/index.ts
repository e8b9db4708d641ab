// Reads the stack config when the module loads (before any ConfigureStack), as a policy may, and
// reports what it saw from its stack policy: the config must arrive however big it is.
import * as pulumi from "@pulumi/pulumi";
import { PolicyPack } from "@pulumi/policy";

const big = new pulumi.Config("pillar").get("big") ?? "";
const fileVar = process.env["PILLAR_PACK_CONFIG_FILE"] === undefined ? "unset" : "set";

new PolicyPack("config-pack", {
  policies: [
    {
      name: "config-seen",
      description: "Reports the stack config the pack was given.",
      enforcementLevel: "advisory",
      validateStack: (_args, reportViolation) => {
        reportViolation(`pillar:big has ${big.length} characters; the config file variable is ${fileVar}`);
      },
    },
  ],
});
