import { PolicyResource } from "@pulumi/policy";
import {
  cloudwatchAlarmActionsPresent,
  cloudwatchLogGroupRetentionMinimum,
  cloudwatchScaleUpAlarmHasScaleDown,
} from "../../policies/cloudwatch";
import { T } from "../../policies/types";
import {
  PropsOf,
  StackBuilder,
  assertHasViolation,
  assertNoViolations,
  assertViolations,
  resourceArgs,
  unknown,
} from "./util";

const SNS_UP = "arn:aws:sns:us-east-1:123456789012:alert_salt_web_scale_up";
const SNS_DOWN = "arn:aws:sns:us-east-1:123456789012:alert_salt_php_scale_down";

type AlarmProps = PropsOf<typeof T.metricAlarm>;

/** The seed's autoscaling group, its two scaling policies, and a helper adding alarms wired like the program does. */
function seedAlarms(stage: "preview" | "after-apply" = "preview") {
  const stack = new StackBuilder();
  const preview = stage === "preview";
  const asg = stack.add(T.autoscalingGroup, "app-hosts", {
    name: "app-hosts",
    minSize: 2,
    maxSize: 10,
    desiredCapacity: 2,
    vpcZoneIdentifiers: ["subnet-1a", "subnet-1b"],
  });
  const policy = (name: string, adjustment: number): PolicyResource =>
    stack.add(
      T.scalingPolicy,
      name,
      {
        autoscalingGroupName: "app-hosts",
        adjustmentType: "ChangeInCapacity",
        scalingAdjustment: adjustment,
      },
      {
        propertyDependencies: { autoscalingGroupName: [asg] },
        outputs: preview ? {} : { arn: `arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:${name}` },
      },
    );
  const up = policy("webhost_scale_up", 1);
  const down = policy("webhost_scale_down", -1);
  /** An alarm notifying `notify` (the seed's SNS topic) and triggering `scaling`, as the program wires it. */
  const alarm = (
    name: string,
    scaling: PolicyResource,
    { notify = SNS_UP, ...props }: Partial<AlarmProps> & { notify?: string } = {},
  ): PolicyResource =>
    stack.add(
      T.metricAlarm,
      name,
      {
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        evaluationPeriods: 5,
        metricName: "CPUUtilization",
        namespace: "AWS/EC2",
        statistic: "Average",
        period: 60,
        threshold: 70,
        dimensions: { AutoScalingGroupName: "app-hosts" },
        alarmActions: [
          notify,
          preview
            ? unknown<string>()
            : `arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:${scaling.name}`,
        ],
        ...props,
      },
      // Dependencies as the SDK records them in preview; after apply the test relies on values only.
      preview ? { propertyDependencies: { alarmActions: [scaling], dimensions: [asg] } } : {},
    );
  return { stack, asg, up, down, alarm };
}

function seedPair(stage: "preview" | "after-apply" = "preview") {
  const seed = seedAlarms(stage);
  seed.alarm("webhost_cpu_scale_up", seed.up, {});
  return seed;
}

/** A Less* alarm on its own, notifying SNS_DOWN only: for alarms added without the helper. */
const lowAlarm = (threshold: number): Partial<AlarmProps> => ({
  comparisonOperator: "LessThanOrEqualToThreshold",
  threshold,
  alarmActions: [SNS_DOWN],
});

const downAlarm = (threshold: number): Partial<AlarmProps> & { notify: string } => ({
  comparisonOperator: "LessThanOrEqualToThreshold",
  threshold,
  notify: SNS_DOWN,
});

const RULE = (up = "webhost_cpu_scale_up", threshold = "70") =>
  `Scale-up alarm "${up}" (GreaterThanOrEqualToThreshold ${threshold}) on autoscaling group "app-hosts" must have a scale-down alarm (Less* comparison) on the same group with a lower threshold`;

describe("cloudwatch-scale-up-alarm-has-scale-down", () => {
  for (const stage of ["preview", "after-apply"] as const) {
    it(`accepts the seed's >= 70 / <= 40 pair (${stage})`, async () => {
      const seed = seedPair(stage);
      seed.alarm("php_cpu_scale_down", seed.down, downAlarm(40));
      await assertNoViolations(cloudwatchScaleUpAlarmHasScaleDown, seed.stack.args());
    });
  }

  it("matches a scale-down alarm to the group through its scaling policy alone", async () => {
    const seed = seedPair();
    seed.alarm("cpu-low", seed.down, { ...downAlarm(40), dimensions: undefined });
    await assertNoViolations(cloudwatchScaleUpAlarmHasScaleDown, seed.stack.args());
  });

  it("flags a scale-up alarm without a partner", async () => {
    await assertViolations(cloudwatchScaleUpAlarmHasScaleDown, seedPair().stack.args(), [
      `${RULE()}; found none.`,
    ]);
  });

  it("flags a partner whose threshold is not strictly lower (flapping)", async () => {
    const seed = seedPair();
    seed.alarm("php_cpu_scale_down", seed.down, downAlarm(70));
    await assertViolations(cloudwatchScaleUpAlarmHasScaleDown, seed.stack.args(), [
      `${RULE()}; found only "php_cpu_scale_down" 70.`,
    ]);
  });

  it("does not accept a scale-down alarm on another metric", async () => {
    const seed = seedPair();
    seed.alarm("php_cpu_scale_down", seed.down, { ...downAlarm(40), metricName: "NetworkIn" });
    await assertViolations(cloudwatchScaleUpAlarmHasScaleDown, seed.stack.args(), [`${RULE()}; found none.`]);
  });

  it("does not accept a scale-down alarm on another group", async () => {
    const seed = seedPair();
    const other = seed.stack.add(T.autoscalingGroup, "db-hosts", {
      name: "db-hosts",
      minSize: 2,
      maxSize: 2,
    });
    const dbDown = seed.stack.add(
      T.scalingPolicy,
      "db-scale-down",
      { autoscalingGroupName: "db-hosts", adjustmentType: "ChangeInCapacity", scalingAdjustment: -1 },
      { propertyDependencies: { autoscalingGroupName: [other] } },
    );
    seed.stack.add(
      T.metricAlarm,
      "db-cpu-low",
      {
        ...lowAlarm(40),
        alarmActions: [unknown<string>()],
        evaluationPeriods: 5,
        dimensions: { AutoScalingGroupName: unknown<string>() },
      },
      { propertyDependencies: { dimensions: [other], alarmActions: [dbDown] } },
    );
    await assertViolations(cloudwatchScaleUpAlarmHasScaleDown, seed.stack.args(), [`${RULE()}; found none.`]);
  });

  it("ignores alarms that scale nothing and lone scale-down alarms", async () => {
    const seed = seedAlarms();
    seed.alarm("php_cpu_scale_down", seed.down, downAlarm(40));
    seed.stack.add(T.metricAlarm, "lambda-errors", {
      comparisonOperator: "GreaterThanThreshold",
      evaluationPeriods: 1,
      threshold: 0,
      alarmActions: [SNS_UP],
      dimensions: { FunctionName: "reactor" },
    });
    await assertNoViolations(cloudwatchScaleUpAlarmHasScaleDown, seed.stack.args());
  });

  it("needs no partner for an alarm on the group's metrics that only notifies", async () => {
    const seed = seedPair();
    seed.alarm("php_cpu_scale_down", seed.down, downAlarm(40));
    // StatusCheckFailed >= 1 on the group, to an SNS topic: a Greater* alarm that scales nothing.
    seed.stack.add(
      T.metricAlarm,
      "app-hosts-status-check",
      {
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        evaluationPeriods: 2,
        metricName: "StatusCheckFailed",
        namespace: "AWS/EC2",
        statistic: "Maximum",
        period: 60,
        threshold: 1,
        dimensions: { AutoScalingGroupName: "app-hosts" },
        alarmActions: [SNS_UP],
      },
      { propertyDependencies: { dimensions: [seed.asg] } },
    );
    await assertNoViolations(cloudwatchScaleUpAlarmHasScaleDown, seed.stack.args());
  });

  it("needs a scale-down partner that scales the group in, not one that only notifies", async () => {
    const seed = seedPair();
    seed.stack.add(
      T.metricAlarm,
      "cpu-low-notify",
      {
        ...lowAlarm(40),
        evaluationPeriods: 5,
        metricName: "CPUUtilization",
        namespace: "AWS/EC2",
        dimensions: { AutoScalingGroupName: "app-hosts" },
      },
      { propertyDependencies: { dimensions: [seed.asg] } },
    );
    await assertViolations(cloudwatchScaleUpAlarmHasScaleDown, seed.stack.args(), [`${RULE()}; found none.`]);
  });

  it("treats a scale-in policy on the Greater* side as no scale-up alarm", async () => {
    const seed = seedAlarms();
    seed.alarm("queue-empty", seed.down, { comparisonOperator: "GreaterThanThreshold" });
    await assertNoViolations(cloudwatchScaleUpAlarmHasScaleDown, seed.stack.args());
  });

  describe("unknown values at preview", () => {
    it("reports an alarm on the group whose scaling policy's adjustment is unknown", async () => {
      const seed = seedAlarms();
      const policy = seed.stack.add(
        T.scalingPolicy,
        "computed",
        {
          autoscalingGroupName: "app-hosts",
          adjustmentType: "ChangeInCapacity",
          scalingAdjustment: unknown<number>(),
        },
        { propertyDependencies: { autoscalingGroupName: [seed.asg] } },
      );
      seed.alarm("cpu-high", policy, {});
      await assertViolations(cloudwatchScaleUpAlarmHasScaleDown, seed.stack.args(), [
        `${RULE("cpu-high")}; cannot be verified at preview: the adjustment or group of scaling policy "computed" is unknown.`,
      ]);
    });

    it("reports an alarm whose action is a scaling policy outside the stack", async () => {
      const seed = seedAlarms();
      const outside =
        "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:0b1c2d3e-aaaa-bbbb-cccc-123456789012:autoScalingGroupName/app-hosts:policyName/up";
      seed.stack.add(
        T.metricAlarm,
        "cpu-high",
        {
          comparisonOperator: "GreaterThanOrEqualToThreshold",
          evaluationPeriods: 5,
          metricName: "CPUUtilization",
          namespace: "AWS/EC2",
          threshold: 70,
          dimensions: { AutoScalingGroupName: "app-hosts" },
          alarmActions: [outside],
        },
        { propertyDependencies: { dimensions: [seed.asg] } },
      );
      await assertViolations(cloudwatchScaleUpAlarmHasScaleDown, seed.stack.args(), [
        `${RULE("cpu-high")}; cannot be verified at preview: its action ${outside} is a scaling policy outside this stack.`,
      ]);
    });

    it("reports an unknown threshold on either side", async () => {
      const seed = seedPair();
      seed.alarm("php_cpu_scale_down", seed.down, downAlarm(unknown<number>()));
      await assertViolations(cloudwatchScaleUpAlarmHasScaleDown, seed.stack.args(), [
        `${RULE()}; cannot be verified at preview: a threshold is unknown.`,
      ]);
    });

    it("reports an unknown comparison operator on a group's alarm", async () => {
      const seed = seedAlarms();
      seed.alarm("cpu", seed.up, { comparisonOperator: unknown<string>() });
      await assertViolations(cloudwatchScaleUpAlarmHasScaleDown, seed.stack.args(), [
        `Alarm "cpu" on autoscaling group "app-hosts" must, if it scales up, have a scale-down alarm (Less* comparison) on the same group with a lower threshold; cannot be verified at preview: comparisonOperator is unknown.`,
      ]);
    });

    it("reports a scale-up alarm whose possible partner cannot be placed", async () => {
      const seed = seedPair();
      seed.alarm("cpu-low", seed.down, { ...downAlarm(40), comparisonOperator: unknown<string>() });
      await assertHasViolation(
        cloudwatchScaleUpAlarmHasScaleDown,
        seed.stack.args(),
        `${RULE()}; cannot be verified at preview: the comparison, group or scaling of "cpu-low" is unknown.`,
      );

      // Its group and its action both unknown, and nothing traced: it could be the partner.
      const untraced = seedPair();
      untraced.stack.add(T.metricAlarm, "cpu-low", {
        ...lowAlarm(40),
        evaluationPeriods: 5,
        alarmActions: [unknown<string>()],
        dimensions: { AutoScalingGroupName: unknown<string>() },
      });
      await assertViolations(cloudwatchScaleUpAlarmHasScaleDown, untraced.stack.args(), [
        `${RULE()}; cannot be verified at preview: the comparison, group or scaling of "cpu-low" is unknown.`,
      ]);
    });

    it("reports a scale-up alarm whose group cannot be traced", async () => {
      const seed = seedAlarms();
      seed.stack.add(T.metricAlarm, "cpu-high", {
        comparisonOperator: "GreaterThanThreshold",
        evaluationPeriods: 5,
        threshold: 70,
        alarmActions: [SNS_UP, unknown<string>()],
        dimensions: { AutoScalingGroupName: unknown<string>() },
      });
      await assertViolations(cloudwatchScaleUpAlarmHasScaleDown, seed.stack.args(), [
        `Scale-up alarm "cpu-high" must have a scale-down alarm (Less* comparison) on the same autoscaling group with a lower threshold; cannot be verified at preview: its AutoScalingGroupName dimension is unknown and its dependencies name no group.`,
      ]);
    });
  });
});

const ACTIONS = `Metric alarm "cpu" must have at least one action (alarmActions, okActions or insufficientDataActions)`;
const alarm = (props: Partial<AlarmProps>) =>
  resourceArgs(
    T.metricAlarm,
    { comparisonOperator: "GreaterThanThreshold", evaluationPeriods: 5, threshold: 70, ...props },
    { name: "cpu" },
  );

describe("cloudwatch-alarm-actions-present", () => {
  it("accepts an alarm with any action, even one whose ARN is not known yet", async () => {
    await assertNoViolations(cloudwatchAlarmActionsPresent, alarm({ alarmActions: [SNS_UP] }));
    await assertNoViolations(cloudwatchAlarmActionsPresent, alarm({ okActions: [unknown<string>()] }));
  });

  it("flags alarms without actions or with actions disabled", async () => {
    await assertViolations(
      cloudwatchAlarmActionsPresent,
      alarm({ alarmActions: [], okActions: [], insufficientDataActions: [] }),
      [`${ACTIONS}; it has none.`],
    );
    await assertViolations(
      cloudwatchAlarmActionsPresent,
      alarm({ actionsEnabled: false, alarmActions: [SNS_UP] }),
      [`${ACTIONS}; it has actionsEnabled false.`],
    );
  });

  it("reports unknown action lists at preview", async () => {
    await assertViolations(cloudwatchAlarmActionsPresent, alarm({ alarmActions: unknown<string[]>() }), [
      `${ACTIONS}; cannot be verified at preview: its action lists are unknown.`,
    ]);
    await assertViolations(
      cloudwatchAlarmActionsPresent,
      alarm({ actionsEnabled: unknown<boolean>(), alarmActions: [SNS_UP] }),
      [`${ACTIONS}; cannot be verified at preview: actionsEnabled is unknown.`],
    );
  });
});

const RETENTION = (days: number) =>
  `Log group "reactor-logs" must keep its events at least ${days} days (retentionInDays)`;
const logGroup = (props: PropsOf<typeof T.logGroup>, config: object = {}) =>
  resourceArgs(T.logGroup, props, { name: "reactor-logs", config });

describe("cloudwatch-log-group-retention-minimum (advisory)", () => {
  it("accepts a year or more, and never-expiring groups", async () => {
    await assertNoViolations(cloudwatchLogGroupRetentionMinimum, logGroup({ retentionInDays: 365 }));
    await assertNoViolations(cloudwatchLogGroupRetentionMinimum, logGroup({ retentionInDays: 0 }));
    await assertNoViolations(cloudwatchLogGroupRetentionMinimum, logGroup({}));
  });

  it("flags a shorter retention, against the configured minimum", async () => {
    await assertViolations(cloudwatchLogGroupRetentionMinimum, logGroup({ retentionInDays: 30 }), [
      `${RETENTION(365)}; it keeps them 30 days.`,
    ]);
    await assertNoViolations(
      cloudwatchLogGroupRetentionMinimum,
      logGroup({ retentionInDays: 30 }, { minimumRetentionDays: 30 }),
    );
    await assertViolations(
      cloudwatchLogGroupRetentionMinimum,
      logGroup({ retentionInDays: 14 }, { minimumRetentionDays: 30 }),
      [`${RETENTION(30)}; it keeps them 14 days.`],
    );
  });

  it("reports an unknown retention at preview", async () => {
    await assertViolations(
      cloudwatchLogGroupRetentionMinimum,
      logGroup({ retentionInDays: unknown<number>() }),
      [`${RETENTION(365)}; cannot be verified at preview: retentionInDays is unknown.`],
    );
  });
});
