/**
 * Stateful fakes of the AWS services the reactor calls, for fault tests: they keep what AWS keeps
 * and answer as AWS does, so a test can assert outcomes rather than call counts.
 *
 * - `FakeAutoScaling`: lifecycle actions that can be completed once (a second
 *   CompleteLifecycleAction answers "No active Lifecycle Action found", as AWS does), heartbeats
 *   that extend them, timeouts that end them with their default result, and Auto Scaling ending
 *   one itself (an instance terminated while it waits).
 * - `FakeSsm`: commands per instance, an agent that registers late (InvalidInstanceId), an
 *   invocation that is invisible for a moment (InvocationDoesNotExist), then runs for a while and
 *   succeeds or fails; CancelCommand; ListCommands with the comment.
 * - Fault injection on both: an error before a call is applied (throttling, 5xx), or after (the
 *   answer is lost: a TimeoutError), with the SDK's own resend emulated for `sdkAttempts` > 1.
 * - `lossyDynamo`: the real client against dynalite, losing chosen answers after the write landed
 *   and resending as the SDK does.
 */
import {
  CancelCommandCommand,
  GetCommandInvocationCommand,
  InvalidInstanceId,
  InvocationDoesNotExist,
  ListCommandsCommand,
  SendCommandCommand,
  type Command as SsmCommand,
} from "@aws-sdk/client-ssm";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

export interface Clock {
  now(): Date;
}

type Sdkish = { constructor: { name: string }; input: Record<string, unknown> };

/** What a fault hook may return: an error to throw before the call is applied, or `"lose"` to apply it and lose the answer. */
export type Fault = Error | "lose" | undefined;
export type FaultHook = (command: string, input: Record<string, unknown>) => Fault;

export function throttlingError(service: "ssm" | "autoscaling" = "ssm"): Error {
  return Object.assign(new Error("Rate exceeded"), {
    name: service === "ssm" ? "ThrottlingException" : "Throttling",
    $fault: "client",
    $metadata: { httpStatusCode: 400 },
  });
}

export function serverError(name = "InternalServerError"): Error {
  return Object.assign(new Error("We encountered an internal error. Please try again."), {
    name,
    $fault: "server",
    $metadata: { httpStatusCode: 500 },
  });
}

/** What the SDK's NodeHttpHandler throws when an answer does not arrive in time. */
export function lostResponse(): Error {
  return Object.assign(new Error("Connection timed out after 10000 ms"), {
    name: "TimeoutError",
    $metadata: {},
  });
}

/** One API call as the fake saw it. */
export interface FakeCall {
  readonly command: string;
  readonly input: Record<string, unknown>;
  /** `applied`, `rejected` (threw before applying), or `lost` (applied, answer lost). */
  readonly fate: "applied" | "rejected" | "lost";
  readonly error?: string;
  readonly at: number;
}

abstract class FakeService {
  readonly calls: FakeCall[] = [];
  /** Consulted before each call. */
  fault: FaultHook = () => undefined;

  constructor(
    protected readonly clock: Clock,
    /** Attempts the SDK client makes per call; a lost answer is resent this many times in all. */
    readonly sdkAttempts = 1,
  ) {}

  protected abstract apply(command: string, input: Record<string, unknown>): unknown;

  async send(command: unknown): Promise<unknown> {
    const { constructor, input } = command as Sdkish;
    const name = constructor.name.replace(/Command$/, "");
    for (let attempt = 1; ; attempt++) {
      const at = this.clock.now().getTime();
      const fault = this.fault(name, input);
      if (fault instanceof Error) {
        this.calls.push({ command: name, input, fate: "rejected", error: fault.name, at });
        throw fault;
      }
      let out: unknown;
      try {
        out = this.apply(name, input);
      } catch (error) {
        this.calls.push({ command: name, input, fate: "rejected", error: (error as Error).name, at });
        throw error;
      }
      if (fault !== "lose") {
        this.calls.push({ command: name, input, fate: "applied", at });
        return structuredClone(out);
      }
      this.calls.push({ command: name, input, fate: "lost", at });
      if (attempt >= this.sdkAttempts) throw lostResponse();
    }
  }

  count(command: string, fate: FakeCall["fate"] = "applied"): number {
    return this.calls.filter((c) => c.command === command && c.fate === fate).length;
  }
}

// ---------------------------------------------------------------------------------------------
// Auto Scaling

export interface LifecycleAction {
  readonly token: string;
  readonly asgName: string;
  readonly hookName: string;
  readonly instanceId: string;
  readonly transition: "launching" | "terminating";
  readonly defaultResult: "CONTINUE" | "ABANDON";
  readonly heartbeatMs: number;
  timeoutAt: number;
  active: boolean;
  /** How it ended: by a completion, by its heartbeat running out, or by Auto Scaling itself. */
  end?: {
    readonly by: "completion" | "timeout" | "autoscaling";
    readonly result: "CONTINUE" | "ABANDON";
    readonly at: number;
  };
  /** Accepted CompleteLifecycleAction calls (at most one, as in AWS). */
  completions: number;
  heartbeats: number;
}

let tokenCounter = 0;
export function newToken(): string {
  const n = (++tokenCounter).toString(16).padStart(12, "0");
  return `7b0c2f1e-0d3a-4c5b-8e6f-${n}`;
}

export class FakeAutoScaling extends FakeService {
  readonly actions = new Map<string, LifecycleAction>();
  /** Called when an action ends, however it ends. */
  onEnd: (action: LifecycleAction) => void = () => undefined;

  startAction(a: {
    asgName: string;
    hookName: string;
    instanceId: string;
    transition: "launching" | "terminating";
    heartbeatSeconds?: number;
    defaultResult?: "CONTINUE" | "ABANDON";
    token?: string;
  }): LifecycleAction {
    const heartbeatMs = (a.heartbeatSeconds ?? 1200) * 1000;
    const action: LifecycleAction = {
      token: a.token ?? newToken(),
      asgName: a.asgName,
      hookName: a.hookName,
      instanceId: a.instanceId,
      transition: a.transition,
      defaultResult: a.defaultResult ?? (a.transition === "launching" ? "ABANDON" : "CONTINUE"),
      heartbeatMs,
      timeoutAt: this.clock.now().getTime() + heartbeatMs,
      active: true,
      completions: 0,
      heartbeats: 0,
    };
    this.actions.set(action.token, action);
    return action;
  }

  /** Auto Scaling ends an action itself (e.g. the instance is terminated while it waits). */
  endByAutoScaling(token: string): void {
    const a = this.actions.get(token);
    if (a?.active) this.finish(a, "autoscaling", "ABANDON");
  }

  /** Ends every action whose heartbeat ran out, with its default result. */
  expire(): void {
    const now = this.clock.now().getTime();
    for (const a of this.actions.values())
      if (a.active && now >= a.timeoutAt) this.finish(a, "timeout", a.defaultResult);
  }

  private finish(
    a: LifecycleAction,
    by: "completion" | "timeout" | "autoscaling",
    result: "CONTINUE" | "ABANDON",
  ): void {
    a.active = false;
    a.end = { by, result, at: this.clock.now().getTime() };
    this.onEnd(a);
  }

  protected apply(command: string, input: Record<string, unknown>): unknown {
    this.expire();
    if (command !== "CompleteLifecycleAction" && command !== "RecordLifecycleActionHeartbeat") {
      throw new Error(`FakeAutoScaling: ${command} is not faked`);
    }
    const a = this.actions.get(String(input.LifecycleActionToken));
    const matches =
      a !== undefined &&
      a.active &&
      a.instanceId === input.InstanceId &&
      a.asgName === input.AutoScalingGroupName &&
      a.hookName === input.LifecycleHookName;
    if (!matches) {
      // AWS's own words (autoscaling API, ValidationError, HTTP 400).
      throw Object.assign(
        new Error(`No active Lifecycle Action found with instance ID ${String(input.InstanceId)}`),
        {
          name: "ValidationError",
          $fault: "client",
          $metadata: { httpStatusCode: 400 },
        },
      );
    }
    if (command === "RecordLifecycleActionHeartbeat") {
      a.heartbeats++;
      a.timeoutAt = this.clock.now().getTime() + a.heartbeatMs;
      return {};
    }
    const result = input.LifecycleActionResult === "CONTINUE" ? "CONTINUE" : "ABANDON";
    a.completions++;
    this.finish(a, "completion", result);
    return {};
  }
}

// ---------------------------------------------------------------------------------------------
// SSM

export interface InstanceBehaviour {
  /** Epoch ms from which the SSM agent is registered (SendCommand answers InvalidInstanceId before). */
  agentReadyAt: number;
  /** How long a command runs once visible. */
  runMs: number;
  outcome: "Success" | "Failed";
}

export interface FakeCommand {
  readonly commandId: string;
  readonly instanceId: string;
  readonly document: string;
  readonly comment: string;
  readonly requestedAt: number;
  readonly visibleAt: number;
  readonly endsAt: number;
  readonly outcome: "Success" | "Failed";
  cancelledAt?: number;
}

let commandCounter = 0;

export class FakeSsm extends FakeService {
  readonly commands: FakeCommand[] = [];
  /** Per-instance behaviour; instances without one are ready at once and succeed after 30 s. */
  readonly behaviour = new Map<string, InstanceBehaviour>();
  /** An invocation stays invisible (InvocationDoesNotExist) this long after SendCommand. */
  invisibleMs = 1_000;

  commandsFor(instanceId: string): FakeCommand[] {
    return this.commands.filter((c) => c.instanceId === instanceId);
  }

  statusOf(c: FakeCommand, now = this.clock.now().getTime()): string {
    if (c.cancelledAt !== undefined && c.cancelledAt < c.endsAt) return "Cancelled";
    return now >= c.endsAt ? c.outcome : "InProgress";
  }

  protected apply(command: string, input: Record<string, unknown>): unknown {
    const now = this.clock.now().getTime();
    switch (command) {
      case "SendCommand": {
        const instanceId = (input.InstanceIds as string[])[0]!;
        const b = this.behaviour.get(instanceId) ?? { agentReadyAt: 0, runMs: 30_000, outcome: "Success" };
        if (now < b.agentReadyAt) {
          throw new InvalidInstanceId({
            message: "Instances [[i-...]] not in a valid state for account",
            $metadata: {},
          });
        }
        const c: FakeCommand = {
          commandId: `${(++commandCounter).toString(16).padStart(8, "0")}-3c8e-4f0e-8a61-0c2b7e9d1f00`,
          instanceId,
          document: String(input.DocumentName),
          comment: String(input.Comment ?? ""),
          requestedAt: now,
          visibleAt: now + this.invisibleMs,
          endsAt: now + this.invisibleMs + b.runMs,
          outcome: b.outcome,
        };
        this.commands.push(c);
        return { Command: { CommandId: c.commandId, Comment: c.comment, Status: "Pending" } };
      }
      case "GetCommandInvocation": {
        const c = this.commands.find(
          (x) => x.commandId === input.CommandId && x.instanceId === input.InstanceId,
        );
        if (c === undefined || now < c.visibleAt) {
          throw new InvocationDoesNotExist({ message: "", $metadata: {} });
        }
        const status = this.statusOf(c, now);
        return {
          CommandId: c.commandId,
          InstanceId: c.instanceId,
          Status: status,
          StatusDetails: status,
          ...(status === "Failed" ? { StandardErrorContent: "salt-call: highstate failed" } : {}),
        };
      }
      case "CancelCommand": {
        for (const c of this.commands)
          if (c.commandId === input.CommandId && c.cancelledAt === undefined) c.cancelledAt = now;
        return {};
      }
      case "ListCommands": {
        const filters = (input.Filters as { key: string; value: string }[] | undefined) ?? [];
        const after = filters.find((f) => f.key === "InvokedAfter");
        const since = after ? Date.parse(after.value) : 0;
        const Commands: SsmCommand[] = this.commands
          .filter((c) => c.instanceId === input.InstanceId && c.requestedAt >= since)
          .map((c) => ({
            CommandId: c.commandId,
            Comment: c.comment,
            DocumentName: c.document,
            RequestedDateTime: new Date(c.requestedAt),
            Status: this.statusOf(c, now) as SsmCommand["Status"],
          }));
        return { Commands };
      }
      default:
        throw new Error(`FakeSsm: ${command} is not faked`);
    }
  }
}

/** Keeps the SDK command classes referenced so a rename in the SDK breaks this file, not a test run. */
export const FAKED_SSM_COMMANDS = [
  SendCommandCommand,
  GetCommandInvocationCommand,
  CancelCommandCommand,
  ListCommandsCommand,
];

// ---------------------------------------------------------------------------------------------
// DynamoDB

/**
 * The document client against dynalite, with `lose(commandName, input)` deciding which answers are
 * lost after the write landed. A lost answer is resent as the SDK does (it retries TimeoutError),
 * up to `sdkAttempts` in all, so the resend meets its own first write.
 */
export function lossyDynamo(
  client: DynamoDBDocumentClient,
  lose: (command: string, input: Record<string, unknown>) => boolean,
  sdkAttempts = 3,
): DynamoDBDocumentClient & { lost: number } {
  const wrapper = {
    lost: 0,
    async send(command: unknown): Promise<unknown> {
      const { constructor, input } = command as Sdkish;
      const name = constructor.name.replace(/Command$/, "");
      for (let attempt = 1; ; attempt++) {
        const out = await client.send(command as Parameters<DynamoDBDocumentClient["send"]>[0]);
        if (!lose(name, input)) return out;
        wrapper.lost++;
        if (attempt >= sdkAttempts) throw lostResponse();
      }
    },
  };
  return wrapper as unknown as DynamoDBDocumentClient & { lost: number };
}
