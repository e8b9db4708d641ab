// A pack that blocks for 4 s as it loads, before it serves: the offline plan's program registers
// its resources meanwhile, so the plan encodes their requests ahead (scripts/lib/requestCache.ts)
// whatever the machine's speed. test/planStartup.test.ts counts them.
import { PolicyPack } from "@pulumi/policy";

Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 4000);

new PolicyPack("slow-pack", {
  policies: [
    {
      name: "slow-pack-any-resource",
      description: "Reports nothing; a policy so the pack analyzes every resource.",
      enforcementLevel: "advisory",
      validateResource: () => undefined,
    },
  ],
});
