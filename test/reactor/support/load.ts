/**
 * A load scenario for the reactor (issue 10's figures): N distinct launches through the real
 * handler on dynalite, with Auto Scaling, SNS, Lambda's async invocation and SSM simulated in
 * virtual time by stateful fakes:
 *
 * - Auto Scaling starts a launch lifecycle action per instance (1200 s heartbeat, default ABANDON)
 *   and follows each ending as AWS does: CONTINUE → InService and an EC2_INSTANCE_LAUNCH
 *   notification; ABANDON or a timeout → the instance is terminated, EC2_INSTANCE_LAUNCH_ERROR.
 *   A share of instances is scaled in during their bootstrap: Auto Scaling ends the launch action,
 *   runs the terminate hook, then sends EC2_INSTANCE_TERMINATE.
 * - SNS delivers every message 1-3 times, each copy after its own random delay (so copies and
 *   messages arrive out of order).
 * - Lambda runs at most `concurrency` invocations at once, retries a failed one after 1 and 2
 *   minutes, and sends events older than the maximum event age to the failure destination.
 * - SSM: each instance's agent registers 0-20 s after launch, its bootstrap runs 20-90 s, a share
 *   of bootstraps fails; optionally every SSM call is throttled with some probability, and a share
 *   of SendCommand, CompleteLifecycleAction and DynamoDB answers is lost after the call landed.
 *
 * The figures count what must never happen: launches lost (a hook left to time out), duplicate
 * bootstraps, healthy instances abandoned, terminated instances active again, and lifecycle actions
 * not ended exactly once.
 */
import type { AutoScalingClient } from "@aws-sdk/client-auto-scaling";
import type { SSMClient } from "@aws-sdk/client-ssm";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DEPLOYMENT, ENV_TABLE_NAME, maximumEventAgeSeconds } from "../../../reactor/contract";
import { SDK_CLIENT_OPTIONS, createHandler, type LambdaContext } from "../../../reactor/handler";
import { Inventory } from "../../../reactor/inventory";
import { createLogger } from "../../../reactor/log";
import type { LocalDynamo } from "./dynalite";
import { TEST_ENV } from "./env";
import { FakeAutoScaling, FakeSsm, lossyDynamo, throttlingError, type LifecycleAction } from "./fakes";
import { loadFixture, signMessage, toLambdaShape, type TestCertificate } from "./signing";
import { seededRandom, VirtualClock } from "./virtualClock";

export interface LoadOptions {
  readonly launches: number;
  readonly concurrency: number;
  /** A new launch every this many ms (virtual). */
  readonly launchEveryMs: number;
  readonly scaleInShare: number;
  readonly failingShare: number;
  /** Probability that any SSM call is throttled. */
  readonly ssmThrottle: number;
  /** Share of SendCommand / CompleteLifecycleAction / DynamoDB UpdateItem answers lost after landing. */
  readonly lostAnswers: number;
  readonly seed: number;
}

export const ISSUE_10_LOAD: LoadOptions = {
  launches: 1000,
  concurrency: 50,
  launchEveryMs: 3_000,
  scaleInShare: 0.1,
  failingShare: 0.05,
  ssmThrottle: 0,
  lostAnswers: 0,
  seed: 10,
};

export interface LoadFigures {
  readonly launches: number;
  /** Launch actions no one completed: they waited out their heartbeat. */
  readonly lostLaunches: number;
  /** Instances on which SSM ran more than one bootstrap command. */
  readonly duplicateBootstraps: number;
  /** Instances whose bootstrap would succeed, not scaled in, that did not end InService. */
  readonly healthyAbandoned: number;
  /** Terminated instances the inventory shows active, or that got a command after termination. */
  readonly terminatedActiveAgain: number;
  /** Lifecycle actions (launch and terminate) ended other than exactly once. */
  readonly actionsNotEndedOnce: number;
  readonly completionsPerActionMin: number;
  readonly completionsPerActionMax: number;
  /** Failing bootstraps that were abandoned, as they should be. */
  readonly failingAbandoned: number;
  readonly failing: number;
  readonly scaledIn: number;
  /** Inventory states that disagree with the fakes' final state of the instance. */
  readonly inventoryMismatches: number;
  readonly deadLettered: number;
  readonly invocations: number;
  readonly deliveries: number;
  readonly ssmThrottled: number;
  readonly answersLost: number;
  readonly virtualSeconds: number;
}

interface Instance {
  readonly id: string;
  readonly failing: boolean;
  readonly scaleIn: boolean;
  launch?: LifecycleAction;
  terminate?: LifecycleAction;
  terminatedAt?: number;
  inService?: boolean;
}

export async function runLoad(
  db: LocalDynamo,
  cert: TestCertificate,
  tableName: string,
  opts: LoadOptions,
): Promise<LoadFigures> {
  const random = seededRandom(opts.seed);
  const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  // Every scenario with one seed launches, fails and scales in the same instances at the same
  // times, whatever the faults and deliveries draw.
  const instanceRandom = seededRandom(opts.seed + 3);
  const drawn = (lo: number, hi: number) => lo + Math.floor(instanceRandom() * (hi - lo + 1));
  const clock = new VirtualClock(new Date("2026-11-25T17:00:00.000Z"));
  const asg = new FakeAutoScaling(clock, SDK_CLIENT_OPTIONS.autoscaling.maxAttempts);
  const ssm = new FakeSsm(clock, SDK_CLIENT_OPTIONS.ssm.maxAttempts);
  // Faults draw from their own sequence too.
  const faultRandom = seededRandom(opts.seed + 2);
  let answersLost = 0;
  const lose = () => opts.lostAnswers > 0 && faultRandom() < opts.lostAnswers && (answersLost++, true);
  ssm.fault = (cmd) =>
    opts.ssmThrottle > 0 && faultRandom() < opts.ssmThrottle
      ? throttlingError()
      : cmd === "SendCommand" && lose()
        ? "lose"
        : undefined;
  asg.fault = (cmd) => (cmd === "CompleteLifecycleAction" && lose() ? "lose" : undefined);
  const dynamo = lossyDynamo(
    db.client,
    (cmd) => cmd === "Update" && lose(),
    SDK_CLIENT_OPTIONS.dynamodb.maxAttempts,
  );
  const handle = createHandler({
    env: { ...TEST_ENV, [ENV_TABLE_NAME]: tableName },
    ssm: ssm as unknown as SSMClient,
    autoscaling: asg as unknown as AutoScalingClient,
    dynamo: clock.trackClient(dynamo) as DynamoDBDocumentClient,
    fetchCertificate: async () => cert.pem,
    now: clock.now,
    sleep: clock.sleep,
    random: seededRandom(opts.seed + 1),
    logger: createLogger(() => undefined),
  });
  const maxEventAgeMs = maximumEventAgeSeconds(1200, 900)! * 1000;

  // --- Lambda: a queue of async events, `concurrency` workers, retries, the failure destination ---
  interface Event {
    readonly message: Record<string, string>;
    readonly enqueued: number;
    attempts: number;
  }
  const queue: Event[] = [];
  let running = 0;
  let invocations = 0;
  let deliveries = 0;
  let deadLettered = 0;
  const work: Promise<void>[] = [];
  const pump = () => {
    while (running < opts.concurrency && queue.length > 0) {
      const event = queue.shift()!;
      if (clock.now().getTime() - event.enqueued > maxEventAgeMs) {
        deadLettered++;
        continue;
      }
      running++;
      invocations++;
      work.push(invoke(event).finally(() => (running--, pump())));
    }
  };
  const invoke = async (event: Event) => {
    const deadline = clock.now().getTime() + 900_000;
    const context: LambdaContext = {
      awsRequestId: `req-${invocations}`,
      getRemainingTimeInMillis: () => deadline - clock.now().getTime(),
    };
    const record = { EventSource: "aws:sns", EventVersion: "1.0", Sns: toLambdaShape(event.message) };
    try {
      await handle({ Records: [record] }, context);
    } catch {
      event.attempts++;
      if (event.attempts > DEPLOYMENT.retryAttempts) {
        deadLettered++;
        return;
      }
      work.push(
        clock.sleep(event.attempts === 1 ? 60_000 : 120_000).then(() => {
          queue.push(event);
          pump();
        }),
      );
    }
  };

  // --- SNS: 1-3 copies of each message, each after its own delay ---
  let ids = 0;
  const publish = (fixture: string, body: Record<string, unknown>) => {
    const base = loadFixture(fixture);
    const at = clock.now().getTime();
    const message = signMessage(
      {
        ...base,
        MessageId: `20000000-0000-4000-8000-${(++ids).toString(16).padStart(12, "0")}`,
        Timestamp: new Date(at).toISOString(),
        Message: JSON.stringify({
          ...(JSON.parse(base.Message!) as object),
          Time: new Date(at).toISOString(),
          ...body,
        }),
      },
      cert.privateKey,
    );
    const copies = between(1, 3);
    for (let c = 0; c < copies; c++) {
      deliveries++;
      work.push(
        clock.sleep(between(0, 30_000)).then(() => {
          queue.push({ message, enqueued: clock.now().getTime(), attempts: 0 });
          pump();
        }),
      );
    }
  };
  const asgName = "pillar-prod-web-asg-3f9a1c2";
  const hook = (a: LifecycleAction) =>
    publish(a.transition === "launching" ? "lifecycle-launching" : "lifecycle-terminating", {
      AutoScalingGroupName: a.asgName,
      LifecycleHookName: a.hookName,
      EC2InstanceId: a.instanceId,
      LifecycleActionToken: a.token,
    });
  const notify = (fixture: string, instanceId: string) =>
    publish(fixture, { AutoScalingGroupName: asgName, EC2InstanceId: instanceId });

  // --- Auto Scaling: what follows each action's end ---
  const instances = new Map<string, Instance>();
  asg.onEnd = (a) => {
    const i = instances.get(a.instanceId)!;
    const now = clock.now().getTime();
    if (a.transition === "launching") {
      if (a.end!.by === "autoscaling") {
        i.terminate = asg.startAction({
          asgName,
          hookName: "pillar-prod-web-terminating",
          instanceId: i.id,
          transition: "terminating",
        });
        hook(i.terminate);
      } else if (a.end!.result === "CONTINUE") {
        i.inService = true;
        notify("event-launch", i.id);
      } else {
        i.terminatedAt = now;
        notify("event-launch-error", i.id);
      }
    } else {
      i.terminatedAt = now;
      i.inService = false;
      notify("event-terminate", i.id);
    }
  };
  // Hooks that nobody completes time out: look every 10 s, as Auto Scaling would.
  let done = false;
  const expiry = (async () => {
    while (!done) {
      await clock.sleep(10_000);
      asg.expire();
    }
  })();

  const started = clock.now().getTime();
  const launches = (async () => {
    for (let n = 0; n < opts.launches; n++) {
      const id = `i-${(0x10000 + n).toString(16).padStart(17, "0")}`;
      const i: Instance = {
        id,
        failing: instanceRandom() < opts.failingShare,
        scaleIn: instanceRandom() < opts.scaleInShare,
      };
      instances.set(id, i);
      const now = clock.now().getTime();
      ssm.behaviour.set(id, {
        agentReadyAt: now + drawn(0, 20_000),
        runMs: drawn(20_000, 90_000),
        outcome: i.failing ? "Failed" : "Success",
      });
      const scaleInAfter = drawn(25_000, 60_000);
      i.launch = asg.startAction({
        asgName,
        hookName: "pillar-prod-web-launching",
        instanceId: id,
        transition: "launching",
      });
      hook(i.launch);
      if (i.scaleIn) {
        // Scaled in while its bootstrap runs.
        const launch = i.launch;
        work.push(
          clock.sleep(scaleInAfter).then(() => {
            if (launch.active) asg.endByAutoScaling(launch.token);
          }),
        );
      }
      await clock.sleep(opts.launchEveryMs);
    }
  })();

  await clock.run(
    (async () => {
      await launches;
      // Everything settles: the work list grows as messages beget messages.
      for (let seen = -1; seen !== work.length || running > 0 || queue.length > 0;) {
        seen = work.length;
        await Promise.all(work);
        await clock.sleep(1_000);
      }
      // Let every hook that is still waiting run out, so a lost one shows.
      await clock.sleep(3 * 3_600_000);
      done = true;
      await expiry;
    })(),
  );

  // --- the figures ---
  const inventory = new Inventory(db.client, { tableName, tombstoneTtlDays: 30, now: clock.now });
  let lostLaunches = 0;
  let duplicateBootstraps = 0;
  let healthyAbandoned = 0;
  let terminatedActiveAgain = 0;
  let failingAbandoned = 0;
  let inventoryMismatches = 0;
  const ends: number[] = [];
  for (const i of instances.values()) {
    const actions = [i.launch!, ...(i.terminate ? [i.terminate] : [])];
    for (const a of actions) ends.push(a.completions + (a.end?.by === "autoscaling" ? 1 : 0));
    if (i.launch!.end?.by === "timeout") lostLaunches++;
    const commands = ssm.commandsFor(i.id);
    if (commands.length > 1) duplicateBootstraps++;
    const scaledIn = i.launch!.end?.by === "autoscaling";
    if (!i.failing && !scaledIn && i.launch!.end?.result !== "CONTINUE") healthyAbandoned++;
    if (i.failing && !scaledIn && i.launch!.end?.by === "completion" && i.launch!.end.result === "ABANDON")
      failingAbandoned++;
    const item = await inventory.get(i.id);
    if (i.terminatedAt !== undefined) {
      const active =
        item !== undefined && ["pending", "launching", "in_service", "warmed", "lapsed"].includes(item.state);
      const commandedAfter = commands.some((c) => c.requestedAt > i.terminatedAt!);
      if (active || commandedAfter) terminatedActiveAgain++;
    }
    const expected =
      i.terminatedAt !== undefined ? ["terminated", "failed"] : i.inService ? ["in_service"] : [];
    if (!expected.includes(item?.state ?? "none")) inventoryMismatches++;
  }
  return {
    launches: opts.launches,
    lostLaunches,
    duplicateBootstraps,
    healthyAbandoned,
    terminatedActiveAgain,
    actionsNotEndedOnce: ends.filter((e) => e !== 1).length,
    completionsPerActionMin: Math.min(...ends),
    completionsPerActionMax: Math.max(...ends),
    failingAbandoned,
    failing: [...instances.values()].filter((i) => i.failing && i.launch!.end?.by !== "autoscaling").length,
    scaledIn: [...instances.values()].filter((i) => i.launch!.end?.by === "autoscaling").length,
    inventoryMismatches,
    deadLettered,
    invocations,
    deliveries,
    ssmThrottled: ssm.calls.filter((c) => c.error === "ThrottlingException").length,
    answersLost,
    virtualSeconds: Math.round((clock.now().getTime() - started) / 1000),
  };
}
