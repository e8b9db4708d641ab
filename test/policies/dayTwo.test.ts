import { autoscalingGroupDesiredCapacityIgnored, ec2StatefulInstanceProtected } from "../../policies/dayTwo";
import { T } from "../../policies/types";
import { assertNoViolations, assertViolations, PropsOf, StackBuilder, unknown } from "./util";

const TAG = "pillar-prod-mongodb-server";

/** The MongoDB server as pillar builds it for a stateful profile. */
const SERVER: PropsOf<typeof T.instance> = {
  ami: "ami-0abc1234",
  instanceType: "m3.medium",
  disableApiTermination: true,
  rootBlockDevice: { deleteOnTermination: false, encrypted: true, volumeSize: 50, volumeType: "gp3" },
  tags: { Name: "mongodb-server", "pillar:stateful": "true", "pillar:snapshots": TAG },
};

const DLM: PropsOf<typeof T.dlmLifecyclePolicy> = {
  description: "snapshots of pillar-prod-mongodb-server",
  executionRoleArn: "arn:aws:iam::123456789012:role/dlm",
  state: "ENABLED",
  policyDetails: {
    policyType: "EBS_SNAPSHOT_MANAGEMENT",
    resourceTypes: ["INSTANCE"],
    targetTags: { "pillar:snapshots": TAG },
    schedules: [
      {
        name: "daily",
        createRule: { interval: 24, intervalUnit: "HOURS", times: "03:00" },
        retainRule: { count: 7 },
      },
    ],
  },
};

function stack(
  server: Partial<PropsOf<typeof T.instance>>,
  ...policies: PropsOf<typeof T.dlmLifecyclePolicy>[]
) {
  const s = new StackBuilder();
  s.add(T.instance, "mongodb-server", { ...SERVER, ...server });
  policies.forEach((p, i) => s.add(T.dlmLifecyclePolicy, `snapshots-${i}`, p));
  return s.args();
}

const SUBJECT = `Instance "mongodb-server" of a stateful profile`;
const TERMINATION = `${SUBJECT} must have termination protection (disableApiTermination true)`;
const VOLUMES = `${SUBJECT} must keep its volumes when terminated (deleteOnTermination false)`;
const COVERED = `${SUBJECT} must be snapshotted by an enabled Data Lifecycle Manager policy for INSTANCE resources whose target tags it carries`;

describe("ec2-stateful-instance-protected", () => {
  it("accepts the stateful server pillar builds, with its DLM policy", async () => {
    await assertNoViolations(ec2StatefulInstanceProtected, stack({}, DLM));
    await assertNoViolations(
      ec2StatefulInstanceProtected,
      stack(
        { ebsBlockDevices: [{ deviceName: "/dev/sdf", deleteOnTermination: false, volumeSize: 10 }] },
        DLM,
      ),
    );
  });

  it("skips an instance tagged stateful false, and treats one without the tag as stateful", async () => {
    await assertNoViolations(
      ec2StatefulInstanceProtected,
      stack({
        tags: { "pillar:stateful": "false" },
        disableApiTermination: undefined,
        rootBlockDevice: undefined,
      }),
    );
    await assertViolations(ec2StatefulInstanceProtected, stack({ tags: { Name: "x" } }, DLM), [
      `${COVERED}; none of the stack's 1 policies targets its tags.`,
    ]);
  });

  it("flags missing termination protection and volumes that die with the instance", async () => {
    await assertViolations(
      ec2StatefulInstanceProtected,
      stack(
        {
          disableApiTermination: false,
          rootBlockDevice: { encrypted: true },
          ebsBlockDevices: [
            { deviceName: "/dev/sdf", deleteOnTermination: false },
            { deviceName: "/dev/sdg", deleteOnTermination: true },
          ],
        },
        DLM,
      ),
      [
        `${TERMINATION}; it has false.`,
        `${VOLUMES}; rootBlockDevice.deleteOnTermination is (not set) (unset means true).`,
        `${VOLUMES}; ebsBlockDevices[1].deleteOnTermination is true (unset means true).`,
      ],
    );
    await assertViolations(
      ec2StatefulInstanceProtected,
      stack({ disableApiTermination: undefined, rootBlockDevice: undefined }, DLM),
      [
        `${TERMINATION}; it has (not set).`,
        `${VOLUMES}; it declares no rootBlockDevice, so its root volume is deleted with it (the provider's default).`,
      ],
    );
  });

  it("flags a server no enabled INSTANCE policy targets by all of its tags", async () => {
    const other = {
      ...DLM,
      policyDetails: { ...DLM.policyDetails, targetTags: { "pillar:snapshots": "pillar-dev-db" } },
    };
    const disabled = { ...DLM, state: "DISABLED" };
    const volumes = { ...DLM, policyDetails: { ...DLM.policyDetails, resourceTypes: ["VOLUME"] } };
    const twoTags = {
      ...DLM,
      policyDetails: { ...DLM.policyDetails, targetTags: { "pillar:snapshots": TAG, backup: "yes" } },
    };
    await assertViolations(ec2StatefulInstanceProtected, stack({}), [
      `${COVERED}; none of the stack's 0 policies targets its tags.`,
    ]);
    await assertViolations(ec2StatefulInstanceProtected, stack({}, other, disabled, volumes, twoTags), [
      `${COVERED}; none of the stack's 4 policies targets its tags.`,
    ]);
  });

  it("reports unknown tags, flags, volumes and policy targets as cannot be verified", async () => {
    await assertViolations(
      ec2StatefulInstanceProtected,
      stack({ tags: unknown<Record<string, string>>() }, DLM),
      [`${SUBJECT} must keep its data; cannot be verified at preview: its pillar:stateful tag is unknown.`],
    );
    await assertViolations(
      ec2StatefulInstanceProtected,
      stack(
        {
          disableApiTermination: unknown<boolean>(),
          rootBlockDevice: { deleteOnTermination: unknown<boolean>() },
          ebsBlockDevices: unknown<[]>(),
        },
        { ...DLM, policyDetails: { ...DLM.policyDetails, targetTags: unknown<Record<string, string>>() } },
      ),
      [
        `${TERMINATION}; cannot be verified at preview: disableApiTermination is unknown.`,
        `${VOLUMES}; cannot be verified at preview: rootBlockDevice.deleteOnTermination is unknown.`,
        `${VOLUMES}; cannot be verified at preview: ebsBlockDevices is unknown.`,
        `${COVERED}; cannot be verified at preview: a policy's targets or the instance's tags are unknown.`,
      ],
    );
    // A known covering policy decides, whatever another one's unknowns.
    await assertNoViolations(
      ec2StatefulInstanceProtected,
      stack({}, DLM, { ...DLM, state: unknown<string>() }),
    );
  });
});

const GROUP: PropsOf<typeof T.autoscalingGroup> = {
  name: "pillar-prod-app-hosts",
  minSize: 2,
  desiredCapacity: 2,
  maxSize: 10,
  launchTemplate: { id: "lt-1", version: "1" },
};
const RULE = `Autoscaling group "app-hosts" must leave desiredCapacity to its scalers (ignoreChanges ["desiredCapacity"])`;

function groupStack(
  ignoreChanges: string[],
  scalers: (s: StackBuilder, group: ReturnType<StackBuilder["add"]>) => void,
  group: Partial<PropsOf<typeof T.autoscalingGroup>> = {},
) {
  const s = new StackBuilder();
  const g = s.add(T.autoscalingGroup, "app-hosts", { ...GROUP, ...group }, { opts: { ignoreChanges } });
  scalers(s, g);
  return s.args();
}

const upPolicy = (s: StackBuilder, g: ReturnType<StackBuilder["add"]>) =>
  s.add(
    T.scalingPolicy,
    "webhost_scale_up",
    { autoscalingGroupName: GROUP.name as string, scalingAdjustment: 1, adjustmentType: "ChangeInCapacity" },
    { propertyDependencies: { autoscalingGroupName: [g] } },
  );

describe("autoscaling-group-desired-capacity-ignored", () => {
  it("accepts a group that ignores desiredCapacity, one with no scalers, and one that leaves it unset", async () => {
    await assertNoViolations(
      autoscalingGroupDesiredCapacityIgnored,
      groupStack(["desiredCapacity"], upPolicy),
    );
    await assertNoViolations(
      autoscalingGroupDesiredCapacityIgnored,
      groupStack([], () => undefined),
    );
    await assertNoViolations(
      autoscalingGroupDesiredCapacityIgnored,
      groupStack([], upPolicy, { desiredCapacity: undefined }),
    );
  });

  it("flags a managed desired capacity beside a scaling policy, a scheduled action or a scaling alarm", async () => {
    await assertViolations(autoscalingGroupDesiredCapacityIgnored, groupStack([], upPolicy), [
      `${RULE}: its size is changed by scaling policy "webhost_scale_up", and every pulumi up resets it to 2.`,
    ]);
    await assertViolations(
      autoscalingGroupDesiredCapacityIgnored,
      groupStack(["minSize"], (s) =>
        s.add(T.scheduledAction, "morning", {
          autoscalingGroupName: "pillar-prod-app-hosts",
          scheduledActionName: "morning",
          desiredCapacity: 4,
        }),
      ),
      [`${RULE}: its size is changed by scheduled action "morning", and every pulumi up resets it to 2.`],
    );
    await assertViolations(
      autoscalingGroupDesiredCapacityIgnored,
      groupStack([], (s) =>
        s.add(T.metricAlarm, "cpu_high", {
          comparisonOperator: "GreaterThanOrEqualToThreshold",
          evaluationPeriods: 5,
          dimensions: { AutoScalingGroupName: "pillar-prod-app-hosts" },
          alarmActions: [
            "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:1a2b:autoScalingGroupName/pillar-prod-app-hosts:policyName/up",
          ],
        }),
      ),
      [`${RULE}: its size is changed by alarm "cpu_high", and every pulumi up resets it to 2.`],
    );
  });

  it("ignores scalers of other groups and alarms that only notify", async () => {
    await assertNoViolations(
      autoscalingGroupDesiredCapacityIgnored,
      groupStack([], (s) => {
        s.add(T.scalingPolicy, "other", { autoscalingGroupName: "pillar-prod-other" });
        s.add(T.metricAlarm, "notify", {
          comparisonOperator: "GreaterThanOrEqualToThreshold",
          evaluationPeriods: 5,
          dimensions: { AutoScalingGroupName: "pillar-prod-app-hosts" },
          alarmActions: ["arn:aws:sns:us-east-1:123456789012:ops"],
        });
      }),
    );
  });

  it("reports a scaler whose group is unknown and untraceable as cannot be verified", async () => {
    await assertViolations(
      autoscalingGroupDesiredCapacityIgnored,
      groupStack([], (s) => s.add(T.scalingPolicy, "mystery", { autoscalingGroupName: unknown<string>() })),
      [`${RULE}; cannot be verified at preview: scaling policy "mystery" names a group that is unknown.`],
    );
    // Unknown but traced to the group through its property dependencies: a plain violation.
    await assertViolations(
      autoscalingGroupDesiredCapacityIgnored,
      groupStack(
        [],
        (s, g) =>
          s.add(
            T.scalingPolicy,
            "traced",
            { autoscalingGroupName: unknown<string>() },
            { propertyDependencies: { autoscalingGroupName: [g] } },
          ),
        { name: unknown<string>(), desiredCapacity: unknown<number>() },
      ),
      [
        `${RULE}: its size is changed by scaling policy "traced", and every pulumi up resets it to its configured value.`,
      ],
    );
  });
});
