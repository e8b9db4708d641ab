/**
 * The offline plan as a library: stack file → validated model (loaded once, here) → the program
 * under the mock runtime in preview mode → recorded resources. The program is what index.ts runs
 * once it has read the config: the tier from the model, with the reactor's code built by the caller.
 * The CLI wrapper is scripts/plan.ts.
 */
import { loadStackConfig } from "../../config/loader";
import { StackModel } from "../../config/model";
import { NAMESPACE, pillarValues } from "../../config/pulumiValues";
import { createWebTier } from "../../components/webTier";
import { bundleReactor } from "../../reactor/bundle";
import { defaultLookups, LookupFake } from "./fakeAws";
import type { RecordedResource } from "./record";
import { runProgram, RunResult } from "./mockRuntime";
import { OFFLINE_ORGANIZATION, PROJECT, type PlanInput } from "./planInput";

export { loadPlanInput, OFFLINE_ORGANIZATION, PROJECT, PROJECT_ROOT, type PlanInput } from "./planInput";

/** The plain values index.ts would hand the loader, read from the stack file. */
export function modelFor(input: PlanInput): StackModel {
  const { values, secretKeys } = pillarValues(input.stackFile.config, (key) =>
    input.stackFile.secretKeys.includes(key),
  );
  const secretPaths = new Set(
    input.stackFile.secretPaths.filter((p) => p.startsWith(NAMESPACE)).map((p) => p.slice(NAMESPACE.length)),
  );
  return loadStackConfig({
    secretPaths,
    project: PROJECT,
    stack: input.stack,
    values,
    secretKeys,
    awsRegion: input.stackFile.config["aws:region"],
    autonaming: input.stackFile.config["pulumi:autonaming"],
    organization: OFFLINE_ORGANIZATION,
  });
}

/**
 * Validates the config (throws ConfigError before anything is registered), then runs the program
 * under the mock runtime in preview mode and returns every registered resource. The stack file
 * tells which leaves are secret (the CLI only says which keys), so this one load is also where a
 * plaintext credential beside a secret one is caught.
 */
export async function planStack(
  input: PlanInput,
  opts: {
    preview?: boolean;
    /** Fakes that replace the default ones, by token (a test's "AWS answers differently today"). */
    lookups?: Readonly<Record<string, LookupFake>>;
    /** Existing resources to adopt (`import` ids by URN), as `--adopt FILE` reads them. */
    imports?: ReadonlyMap<string, string>;
    /** Each resource as it is registered (RunOptions.onRegister). */
    onRegister?: (r: RecordedResource) => void;
  } = {},
): Promise<RunResult & { model: StackModel }> {
  const model = modelFor(input);
  const result = await runProgram(() => createWebTier(model, bundleReactor()), {
    project: PROJECT,
    stack: input.stack,
    preview: opts.preview ?? true,
    config: input.stackFile.config,
    secretKeys: input.stackFile.secretKeys,
    lookups: { ...defaultLookups(model.cloud.region), ...opts.lookups },
    region: model.cloud.region,
    ...(model.autonaming ? { autonaming: model.autonaming } : {}),
    organization: OFFLINE_ORGANIZATION,
    ...(opts.imports ? { imports: opts.imports } : {}),
    ...(opts.onRegister ? { onRegister: opts.onRegister } : {}),
  });
  return { ...result, model };
}
