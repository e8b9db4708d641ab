import { performance } from "node:perf_hooks";
import { openPolicyPack } from "./scripts/lib/analyzer";
import { loadPlanInput, planStack, PROJECT, PROJECT_ROOT } from "./scripts/lib/planner";
(async () => {
  const input = loadPlanInput({ stack: "prod" });
  const planned = await planStack(input);
  const t0 = performance.now();
  const s = await openPolicyPack({ packDir: PROJECT_ROOT + "/policies", project: PROJECT, stack: "prod", dryRun: true, stackConfig: input.stackFile.config });
  const t1 = performance.now();
  const times: number[] = [];
  for (let i = 0; i < 4; i++) { const a = performance.now(); await s.analyze(planned.resources); const b = performance.now(); await s.analyzeStack(planned.resources); times.push(b - a, performance.now() - b); }
  await s.close();
  console.log("resources", planned.resources.length, "open", Math.round(t1 - t0), "analyze/stack x4", times.map(Math.round).join(" "));
})();
