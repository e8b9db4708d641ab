/**
 * How the deployment must hold the function for the code's guarantees to hold: the AWS actions the
 * code calls (the IAM policy grants exactly these), the inventory table's key, Lambda's retry and
 * event-age settings, the failure queue's retention and the freshness defaults. components/reactor.ts
 * and the config use these, so the settings and the code cannot drift apart.
 */

/** The inventory table's partition key (type S) and TTL attribute, for the component that creates it. */
export const INVENTORY_PARTITION_KEY = "instanceId";
export const INVENTORY_TTL_ATTRIBUTE = "expiresAt";

/**
 * Every AWS API action the function's code calls, by what the IAM policy can scope it to
 * (components/reactorPlan.ts grants each group on its resources, and nothing else but what Lambda
 * itself does with the role: RUNTIME_AWS_ACTIONS).
 */
export const REACTOR_ACTIONS_BY_SCOPE = {
  /** The inventory table. */
  inventory: ["dynamodb:GetItem", "dynamodb:UpdateItem"],
  /** The stack's groups. */
  lifecycle: ["autoscaling:CompleteLifecycleAction", "autoscaling:RecordLifecycleActionHeartbeat"],
  /** The bootstrap documents, and the instances of the stack's groups. */
  bootstrap: ["ssm:SendCommand"],
  /** No resource-level scoping in IAM: ListCommands finds a command whose SendCommand answer was lost. */
  commands: ["ssm:CancelCommand", "ssm:GetCommandInvocation", "ssm:ListCommands"],
} as const;

export const REACTOR_AWS_ACTIONS: readonly string[] = Object.values(REACTOR_ACTIONS_BY_SCOPE).flat();

/** What Lambda does with the function's role: write its logs, send a failed event to the destination. */
export const RUNTIME_AWS_ACTIONS = {
  logs: ["logs:CreateLogStream", "logs:PutLogEvents"],
  failureDestination: ["sqs:SendMessage"],
} as const;

/**
 * Lambda's and SQS's settings the function relies on; components/reactor.ts and the config use
 * these, so the settings and the code cannot drift apart.
 */
export const DEPLOYMENT = {
  /** Lambda's async retries after the first attempt (its API allows 0-2). */
  retryAttempts: 2,
  /** The failure queue keeps a message this long (SQS allows up to 14 days), and so may redrive it that late. */
  failureQueueRetentionSeconds: 1_209_600,
  /**
   * Lambda's bounds on MaximumEventAgeInSeconds (PutFunctionEventInvokeConfig; the AWS provider
   * checks 60-21600, and MaximumRetryAttempts 0-2, at plan time: terraform-provider-aws
   * internal/service/lambda/function_event_invoke_config.go).
   */
  minEventAgeSeconds: 60,
  maxEventAgeSeconds: 21_600,
} as const;

/**
 * The oldest an event may be when Lambda starts an attempt on it: late enough for a retry, early
 * enough that the attempt (at most the function's timeout) ends before the launch hook's heartbeat
 * runs out, so a launch message is never worked on for a hook that has expired. Undefined when the
 * heartbeat leaves less than Lambda's minimum event age after the timeout (the config refuses that).
 */
export function maximumEventAgeSeconds(
  heartbeatTimeoutSeconds: number,
  timeoutSeconds: number,
): number | undefined {
  const age = Math.min(DEPLOYMENT.maxEventAgeSeconds, heartbeatTimeoutSeconds - timeoutSeconds);
  return age < DEPLOYMENT.minEventAgeSeconds ? undefined : age;
}

/** The defaults of the freshness settings (`pillar:reactor.max_message_age` / `clock_skew`). */
export const DEFAULT_MAX_MESSAGE_AGE_SECONDS = DEPLOYMENT.failureQueueRetentionSeconds;
export const DEFAULT_CLOCK_SKEW_SECONDS = 300;
