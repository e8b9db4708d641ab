/**
 * pillar: the seed's autoscaled, load-balanced web tier, from stack config in the seed's own shapes.
 * This is the only module that reads Pulumi config; everything below gets plain, validated values.
 */
import * as pulumi from "@pulumi/pulumi";
import * as runtimeConfig from "@pulumi/pulumi/runtime/config";
import { loadStackConfig, notesOf } from "./config/loader";
import { pillarValues } from "./config/pulumiValues";
import { createWebTier } from "./components/webTier";
import { bundleReactor } from "./reactor/bundle";

// Not in the SDK's typings, but it is what pulumi.Config itself uses to know a key is secret.
const { isConfigSecret } = runtimeConfig as unknown as { isConfigSecret(key: string): boolean };
const all = pulumi.runtime.allConfig();
const { values, secretKeys } = pillarValues(all, isConfigSecret);

// Throws ConfigError listing every problem before a single resource is registered.
const model = loadStackConfig({
  project: pulumi.getProject(),
  stack: pulumi.getStack(),
  values,
  secretKeys,
  awsRegion: all["aws:region"],
  // The engine passes the whole stack config, `pulumi:` keys included, so the program can name the
  // resources it must know in advance the way the engine names the rest.
  autonaming: all["pulumi:autonaming"],
  organization: pulumi.getOrganization(),
});

// What the loader worked out that the config does not say (e.g. a network derived from the groups'
// VPC), shown in `pulumi preview` as the offline plan shows it.
for (const note of model.notes ?? []) void pulumi.log.warn(note);
// What an ALB does differently from its entry's classic settings (a mapped TLS policy or health
// check) is said, never silent.
for (const n of notesOf(model)) void pulumi.log.warn(`${n.path}: ${n.message}`);

// The stack's outputs. The reactor's code is built here, from the repository's sources: reading
// files is the program's entry's business, not a component's.
export = createWebTier(model, bundleReactor());
