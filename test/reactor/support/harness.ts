/**
 * The shared setup of the handler tests: a handler wired to dynalite on loopback, SSM and Auto
 * Scaling clients under aws-sdk-client-mock, a fake clock, an in-memory logger and a real signing
 * certificate, plus builders for both delivery shapes. `useReactorHarness()` registers the mocha
 * hooks in the calling `describe` and returns an object whose fields are fresh in every test.
 */
import {
  AutoScalingClient,
  CompleteLifecycleActionCommand,
  type CompleteLifecycleActionCommandInput,
} from "@aws-sdk/client-auto-scaling";
import {
  GetCommandInvocationCommand,
  InvocationDoesNotExist,
  SendCommandCommand,
  SSMClient,
} from "@aws-sdk/client-ssm";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import { ENV_TABLE_NAME } from "../../../reactor/contract";
import {
  createHandler,
  type HttpResult,
  type ReactorHandler,
  type SnsBatchResult,
} from "../../../reactor/handler";
import { Inventory } from "../../../reactor/inventory";
import { memoryLogger } from "../../../reactor/log";
import { fakeClock, fakeContext, resetFakeContext, type FakeClock } from "./context";
import { startDynalite, type LocalDynamo } from "./dynalite";
import { TEST_ENV } from "./env";
import { seededRandom } from "./virtualClock";
import {
  TOPIC_ARN,
  countingFetcher,
  generateKeys,
  loadFixture,
  makeCertificate,
  signMessage,
  toLambdaShape,
  type TestCertificate,
} from "./signing";

export const ASG = "pillar-prod-web-asg-3f9a1c2";
export const WORKER_ASG = "pillar-prod-worker-asg-8d7e6f5";
export const INSTANCE = "i-0598c7d356eba48d7";
export const COMMAND_ID = "2d4a5bd2-3c8e-4f0e-8a61-0c2b7e9d1f00";
export const START = new Date("2026-11-25T17:01:05.000Z");
export const awsError = (name: string, message: string) => Object.assign(new Error(message), { name });
const fakeCredentials = { accessKeyId: "test", secretAccessKey: "test" };

let uuidCounter = 0;
/** A fresh MessageId, so separate deliveries in one test are separate messages. */
export const freshId = () => `00000000-0000-4000-8000-${String(++uuidCounter).padStart(12, "0")}`;

export interface HttpEventOptions {
  readonly base64?: boolean;
  readonly method?: string;
  /** The x-amz-sns-message-type header; `null` leaves it out. Default: the body's Type. */
  readonly type?: string | null;
}

export interface ReactorHarness {
  readonly ssm: SSMClient;
  readonly autoscaling: AutoScalingClient;
  readonly ssmMock: AwsClientStub<SSMClient>;
  readonly asgMock: AwsClientStub<AutoScalingClient>;
  db: LocalDynamo;
  cert: TestCertificate;
  tableName: string;
  clock: FakeClock;
  logger: ReturnType<typeof memoryLogger>;
  fetchCertificate: ReturnType<typeof countingFetcher>;
  confirmed: URL[];
  handle: ReactorHandler;
  inventory: Inventory;
  /** Signs a fixture, with envelope `changes` and/or autoscaling `message` fields changed first. */
  signed(
    fixture: string,
    changes?: Record<string, string>,
    message?: Record<string, unknown>,
  ): Record<string, string>;
  snsEvent(...messages: Record<string, string>[]): { Records: Record<string, unknown>[] };
  httpEvent(
    m: Record<string, string> | string,
    opts?: HttpEventOptions,
  ): Record<string, unknown> & {
    headers: Record<string, string>;
  };
  viaSns(...messages: Record<string, string>[]): Promise<SnsBatchResult>;
  viaHttp(m: Record<string, string> | string, opts?: HttpEventOptions): Promise<HttpResult>;
  /** Inputs of every CompleteLifecycleAction call so far. */
  completions(): CompleteLifecycleActionCommandInput[];
  /** Codes of the errors logged as "rejected" so far. */
  rejections(): (string | undefined)[];
}

export function useReactorHarness(): ReactorHarness {
  const ssm = new SSMClient({ region: "us-east-1", credentials: fakeCredentials });
  const autoscaling = new AutoScalingClient({ region: "us-east-1", credentials: fakeCredentials });
  let tables = 0;
  const h = {
    ssm,
    autoscaling,
    ssmMock: mockClient(ssm),
    asgMock: mockClient(autoscaling),
    signed(fixture: string, changes: Record<string, string> = {}, message?: Record<string, unknown>) {
      const base = loadFixture(fixture);
      const body = message
        ? JSON.stringify({ ...(JSON.parse(base.Message!) as object), ...message })
        : base.Message!;
      return signMessage({ ...base, Message: body, ...changes }, h.cert.privateKey);
    },
    snsEvent: (...messages: Record<string, string>[]) => ({
      Records: messages.map((m) => ({
        EventSource: "aws:sns",
        EventVersion: "1.0",
        EventSubscriptionArn: `${TOPIC_ARN}:2bcfbf39-05c3-41de-beaa-fcfcc21c8f55`,
        Sns: toLambdaShape(m),
      })),
    }),
    httpEvent(m: Record<string, string> | string, opts: HttpEventOptions = {}) {
      const body = typeof m === "string" ? m : JSON.stringify(m);
      const type = opts.type === undefined ? (typeof m === "string" ? "Notification" : m.Type) : opts.type;
      const headers: Record<string, string> = {
        "content-type": "text/plain; charset=UTF-8",
        "user-agent": "Amazon Simple Notification Service Agent",
      };
      if (type !== null && type !== undefined) headers["x-amz-sns-message-type"] = type;
      if (typeof m !== "string" && m.MessageId) headers["x-amz-sns-message-id"] = m.MessageId;
      if (typeof m !== "string" && m.TopicArn) headers["x-amz-sns-topic-arn"] = m.TopicArn;
      return {
        version: "2.0",
        routeKey: "$default",
        rawPath: "/",
        headers,
        requestContext: { http: { method: opts.method ?? "POST", path: "/", sourceIp: "54.240.197.1" } },
        body: opts.base64 ? Buffer.from(body).toString("base64") : body,
        isBase64Encoded: opts.base64 ?? false,
      };
    },
    // Delivered just after SNS published them: the clock moves up to each message's Timestamp.
    viaSns: async (...messages: Record<string, string>[]) => {
      for (const m of messages) h.clock.advanceTo(Date.parse(m.Timestamp!) + 500);
      return (await h.handle(h.snsEvent(...messages), fakeContext)) as SnsBatchResult;
    },
    viaHttp: async (m: Record<string, string> | string, opts?: HttpEventOptions) => {
      if (typeof m !== "string" && m.Timestamp !== undefined)
        h.clock.advanceTo(Date.parse(m.Timestamp) + 500);
      return (await h.handle(h.httpEvent(m, opts), fakeContext)) as HttpResult;
    },
    completions: () => h.asgMock.commandCalls(CompleteLifecycleActionCommand).map((c) => c.args[0].input),
    rejections: () =>
      h.logger.entries.filter((e) => e.msg === "rejected").map((e) => (e.error as { code?: string }).code),
    // The per-test fields are filled in by the hooks below before any test runs.
  } as unknown as ReactorHarness;

  before(async () => {
    h.db = await startDynalite();
    h.cert = makeCertificate({ keys: generateKeys() });
  });
  after(async () => {
    h.ssmMock.restore();
    h.asgMock.restore();
    await h.db.close();
  });
  beforeEach(async () => {
    h.ssmMock.reset();
    h.asgMock.reset();
    h.ssmMock.on(SendCommandCommand).resolves({ Command: { CommandId: COMMAND_ID } });
    h.ssmMock
      .on(GetCommandInvocationCommand)
      .rejectsOnce(new InvocationDoesNotExist({ message: "not yet", $metadata: {} }))
      .resolvesOnce({ Status: "InProgress" })
      .resolves({ Status: "Success" });
    h.asgMock.on(CompleteLifecycleActionCommand).resolves({});
    h.tableName = `reactor-${++tables}`;
    await h.db.createTable(h.tableName);
    h.clock = fakeClock(START);
    h.logger = memoryLogger();
    h.fetchCertificate = countingFetcher(h.cert.pem);
    h.confirmed = [];
    h.handle = createHandler({
      env: { ...TEST_ENV, [ENV_TABLE_NAME]: h.tableName },
      ssm,
      autoscaling,
      dynamo: h.db.client,
      fetchCertificate: h.fetchCertificate,
      confirmSubscription: async (url) => {
        h.confirmed.push(url);
      },
      now: h.clock.now,
      sleep: h.clock.sleep,
      random: seededRandom(1),
      logger: h.logger,
    });
    h.inventory = new Inventory(h.db.client, {
      tableName: h.tableName,
      tombstoneTtlDays: 7,
      now: h.clock.now,
    });
  });
  afterEach(() => {
    resetFakeContext();
  });
  return h;
}
