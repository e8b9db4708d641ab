/**
 * The setup of the fault tests: the real handler on dynalite, stateful Auto Scaling and SSM fakes
 * (support/fakes.ts), virtual time, and Lambda's async invocation (two retries, one and two
 * minutes apart; events older than the maximum event age go to the failure destination).
 * `useFaultHarness()` registers the mocha hooks in the calling `describe`.
 */
import type { AutoScalingClient } from "@aws-sdk/client-auto-scaling";
import type { SSMClient } from "@aws-sdk/client-ssm";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DEPLOYMENT, ENV_TABLE_NAME, maximumEventAgeSeconds } from "../../../reactor/contract";
import {
  SDK_CLIENT_OPTIONS,
  createHandler,
  type HandlerDeps,
  type HttpResult,
  type LambdaContext,
  type ReactorHandler,
  type SnsBatchResult,
} from "../../../reactor/handler";
import { Inventory } from "../../../reactor/inventory";
import { memoryLogger } from "../../../reactor/log";
import { startDynalite, type LocalDynamo } from "./dynalite";
import { TEST_ENV } from "./env";
import { FakeAutoScaling, FakeSsm, type LifecycleAction } from "./fakes";
import {
  countingFetcher,
  generateKeys,
  loadFixture,
  makeCertificate,
  signMessage,
  toLambdaShape,
  TOPIC_ARN,
  type TestCertificate,
} from "./signing";
import { seededRandom, VirtualClock } from "./virtualClock";

export const WEB_ASG = "pillar-prod-web-asg-3f9a1c2";
export const WORKER_ASG = "pillar-prod-worker-asg-8d7e6f5";
export const LAUNCH_HOOK = "pillar-prod-web-launching";
export const TERMINATE_HOOK = "pillar-prod-web-terminating";
export const FAULT_START = new Date("2026-11-25T17:01:05.000Z");
/** The function's timeout and the launch hook's heartbeat in TEST_ENV / the prod stack. */
export const TIMEOUT_MS = 900_000;
export const HEARTBEAT_SECONDS = 1200;
export const MAX_EVENT_AGE_MS = maximumEventAgeSeconds(HEARTBEAT_SECONDS, TIMEOUT_MS / 1000)! * 1000;

let ids = 0;
export const messageId = () => `10000000-0000-4000-8000-${String(++ids).padStart(12, "0")}`;

export interface LambdaRun {
  /** What the last attempt returned, if one succeeded. */
  readonly result?: HttpResult | SnsBatchResult;
  /** Errors of the attempts that threw, in order. */
  readonly errors: unknown[];
  /** Every retry failed, or the event grew too old: it went to the on-failure destination. */
  readonly deadLettered: boolean;
}

export interface FaultHarness {
  /** The handler on this test's fakes. */
  handle: ReactorHandler;
  db: LocalDynamo;
  cert: TestCertificate;
  tableName: string;
  clock: VirtualClock;
  asg: FakeAutoScaling;
  ssm: FakeSsm;
  logger: ReturnType<typeof memoryLogger>;
  inventory: Inventory;
  fetchCertificate: ReturnType<typeof countingFetcher>;
  /** A handler on this test's fakes; `deps` override any of them. */
  handler(deps?: Partial<HandlerDeps>): ReactorHandler;
  /** The hook message Auto Scaling sends for `action`, signed, dated now (or `at`). */
  hookMessage(
    action: LifecycleAction,
    opts?: { origin?: string; destination?: string; at?: number },
  ): Record<string, string>;
  /** A plain notification fixture for `instanceId`, signed, dated now (or `at`). */
  notification(
    fixture: string,
    instanceId: string,
    fields?: Record<string, unknown>,
    at?: number,
  ): Record<string, string>;
  /** One invocation over the Lambda (SNS record) path, with a fresh 900 s context. */
  invoke(m: Record<string, string>, handle?: ReactorHandler): Promise<SnsBatchResult>;
  /**
   * Lambda's async invocation of one SNS record: the attempt and its retries. With a list, attempt
   * i runs on `handle[i]` (the last one for the rest), e.g. a first attempt whose runtime dies.
   */
  lambda(m: Record<string, string>, handle?: ReactorHandler | readonly ReactorHandler[]): Promise<LambdaRun>;
  /** Runs `work` in virtual time. */
  run<T>(work: Promise<T>): Promise<T>;
  /** Log entries with this `msg`. */
  logged(msg: string): Record<string, unknown>[];
}

export function context(clock: VirtualClock, timeoutMs = TIMEOUT_MS): LambdaContext {
  const deadline = clock.now().getTime() + timeoutMs;
  return { awsRequestId: messageId(), getRemainingTimeInMillis: () => deadline - clock.now().getTime() };
}

export function useFaultHarness(start: Date = FAULT_START): FaultHarness {
  let tables = 0;
  const h = {
    handler(deps: Partial<HandlerDeps> = {}) {
      return createHandler({
        env: { ...TEST_ENV, [ENV_TABLE_NAME]: h.tableName },
        ssm: h.ssm as unknown as SSMClient,
        autoscaling: h.asg as unknown as AutoScalingClient,
        dynamo: h.clock.trackClient(h.db.client) as DynamoDBDocumentClient,
        fetchCertificate: h.fetchCertificate,
        now: h.clock.now,
        sleep: h.clock.sleep,
        random: seededRandom(7),
        logger: h.logger,
        ...deps,
      });
    },
    hookMessage(action: LifecycleAction, opts: { origin?: string; destination?: string; at?: number } = {}) {
      const fixture = action.transition === "launching" ? "lifecycle-launching" : "lifecycle-terminating";
      const base = loadFixture(fixture);
      const at = opts.at ?? h.clock.now().getTime();
      const body = {
        ...(JSON.parse(base.Message!) as Record<string, unknown>),
        AutoScalingGroupName: action.asgName,
        LifecycleHookName: action.hookName,
        EC2InstanceId: action.instanceId,
        LifecycleActionToken: action.token,
        Time: new Date(at - 250).toISOString(),
        ...(opts.origin !== undefined ? { Origin: opts.origin } : {}),
        ...(opts.destination !== undefined ? { Destination: opts.destination } : {}),
      };
      return signMessage(
        {
          ...base,
          MessageId: messageId(),
          Timestamp: new Date(at).toISOString(),
          Message: JSON.stringify(body),
        },
        h.cert.privateKey,
      );
    },
    notification(fixture: string, instanceId: string, fields: Record<string, unknown> = {}, at?: number) {
      const base = loadFixture(fixture);
      const when = at ?? h.clock.now().getTime();
      const body = {
        ...(JSON.parse(base.Message!) as Record<string, unknown>),
        EC2InstanceId: instanceId,
        Time: new Date(when - 250).toISOString(),
        ...fields,
      };
      return signMessage(
        {
          ...base,
          MessageId: messageId(),
          Timestamp: new Date(when).toISOString(),
          Message: JSON.stringify(body),
        },
        h.cert.privateKey,
      );
    },
    async invoke(m: Record<string, string>, handle = h.handle) {
      const event = {
        Records: [
          {
            EventSource: "aws:sns",
            EventVersion: "1.0",
            EventSubscriptionArn: `${TOPIC_ARN}:2bcfbf39-05c3-41de-beaa-fcfcc21c8f55`,
            Sns: toLambdaShape(m),
          },
        ],
      };
      return (await handle(event, context(h.clock))) as SnsBatchResult;
    },
    async lambda(
      m: Record<string, string>,
      handle: ReactorHandler | readonly ReactorHandler[] = h.handle,
    ): Promise<LambdaRun> {
      const handles = Array.isArray(handle) ? handle : [handle as ReactorHandler];
      const enqueued = h.clock.now().getTime();
      const errors: unknown[] = [];
      const waits = [60_000, 120_000];
      for (let attempt = 0; attempt <= DEPLOYMENT.retryAttempts; attempt++) {
        if (attempt > 0) {
          await h.clock.sleep(waits[attempt - 1]!);
          if (h.clock.now().getTime() - enqueued > MAX_EVENT_AGE_MS) return { errors, deadLettered: true };
        }
        try {
          return {
            result: await h.invoke(m, handles[Math.min(attempt, handles.length - 1)]),
            errors,
            deadLettered: false,
          };
        } catch (error) {
          errors.push(error);
        }
      }
      return { errors, deadLettered: true };
    },
    run<T>(work: Promise<T>) {
      return h.clock.run(work);
    },
    logged(msg: string) {
      return h.logger.entries.filter((e) => e.msg === msg);
    },
  } as unknown as FaultHarness;

  before(async () => {
    h.db = await startDynalite();
    h.cert = makeCertificate({ keys: generateKeys() });
  });
  after(async () => {
    await h.db.close();
  });
  beforeEach(async () => {
    h.tableName = `faults-${++tables}`;
    await h.db.createTable(h.tableName);
    h.clock = new VirtualClock(start);
    h.asg = new FakeAutoScaling(h.clock, SDK_CLIENT_OPTIONS.autoscaling.maxAttempts);
    h.ssm = new FakeSsm(h.clock, SDK_CLIENT_OPTIONS.ssm.maxAttempts);
    h.logger = memoryLogger();
    h.fetchCertificate = countingFetcher(h.cert.pem);
    h.inventory = new Inventory(h.db.client, {
      tableName: h.tableName,
      tombstoneTtlDays: 7,
      now: h.clock.now,
    });
    h.handle = h.handler();
  });
  return h;
}
