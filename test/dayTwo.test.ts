import * as assert from "node:assert/strict";
import * as path from "node:path";
import { defaultLookups, LookupFake } from "../scripts/lib/fakeAws";
import { PROJECT_ROOT } from "../scripts/lib/planner";
import { RecordedResource } from "../scripts/lib/record";
import { planFile, planYaml, Planned } from "./harness";
import { TYPES } from "../provider/types";

const T = {
  instance: TYPES.ec2.Instance,
  volume: TYPES.ebs.Volume,
  attachment: TYPES.ec2.VolumeAttachment,
  dlm: TYPES.dlm.LifecyclePolicy,
  role: TYPES.iam.Role,
  rolePolicy: TYPES.iam.RolePolicy,
  asg: TYPES.autoscaling.Group,
  lt: TYPES.ec2.LaunchTemplate,
  schedule: TYPES.autoscaling.Schedule,
} as const;

const ACCOUNT = "123456789012";

describe("day two on the prod stack: what pulumi up leaves alone and what it protects", () => {
  let plan: Planned;
  before(async () => {
    // Update mode: ids are concrete, so the retention policy's document (it names the DLM policy id) is known.
    plan = await planFile(path.join(PROJECT_ROOT, "Pulumi.prod.yaml"), { stack: "prod", preview: false });
  });

  it("leaves app-hosts' desired capacity to its scaling policies: ignoreChanges on the child group itself", () => {
    const asg = plan.get(T.asg, "app-hosts");
    assert.deepEqual(asg.options.ignoreChanges, ["desiredCapacity", "initialLifecycleHooks"]);
    // The initial size is still the seed's: ignoreChanges only keeps later runs from resetting it.
    assert.equal(asg.inputs.desiredCapacity, 2);
    const component = plan.resources.find((r) => r.type === "pillar:autoscaling:AutoscaleGroup")!;
    assert.deepEqual(component.options.ignoreChanges, []);
  });

  it("keeps the reactor's hooks as hooks of their own: an imported group gets them in place, a new heartbeat replaces nothing", () => {
    const asg = plan.get(T.asg, "app-hosts");
    // The group is still created with them, so its first instances wait for the reactor.
    const initial = asg.inputs.initialLifecycleHooks as Record<string, unknown>[];
    assert.deepEqual(
      initial.map((h) => h.name),
      ["pillar-launch", "pillar-terminate"],
    );
    const hooks = plan.ofType(TYPES.autoscaling.LifecycleHook);
    assert.deepEqual(
      hooks.map((h) => [
        h.name,
        h.inputs.autoscalingGroupName,
        h.inputs.lifecycleTransition,
        h.inputs.defaultResult,
        h.inputs.heartbeatTimeout,
      ]),
      [
        [
          "app-hosts-pillar-launch",
          "pillar-prod-app-hosts",
          "autoscaling:EC2_INSTANCE_LAUNCHING",
          "ABANDON",
          1200,
        ],
        [
          "app-hosts-pillar-terminate",
          "pillar-prod-app-hosts",
          "autoscaling:EC2_INSTANCE_TERMINATING",
          "CONTINUE",
          1200,
        ],
      ],
    );
    const { name: _n, ...launch } = initial[0]!;
    void _n;
    const { name: _h, autoscalingGroupName: _g, ...own } = hooks[0]!.inputs;
    void _h;
    void _g;
    assert.deepEqual(own, launch);
    const hookPolicy = plan.get(T.rolePolicy, "app-hosts-events-hooks");
    for (const h of hooks) {
      assert.ok(h.dependencies.includes(asg.urn));
      assert.ok(h.dependencies.includes(hookPolicy.urn));
    }
  });

  it("protects the MongoDB server: protect, termination protection, a root volume that outlives it", () => {
    const db = plan.get(T.instance, "mongodb-server");
    assert.equal(db.options.protect, true);
    // The seed names the image by id: changing the id is the explicit act that replaces the server.
    assert.deepEqual(db.options.ignoreChanges, []);
    assert.equal(db.inputs.disableApiTermination, true);
    assert.equal((db.inputs.rootBlockDevice as { deleteOnTermination: boolean }).deleteOnTermination, false);
    assert.equal(db.inputs.ebsBlockDevices, undefined);
    assert.equal(db.inputs.volumeTags, undefined);
    assert.equal(
      (db.inputs.tags as Record<string, string>)["pillar:snapshots"],
      "pillar-prod-mongodb-server",
    );
  });

  it("snapshots it daily at 03:00 UTC, seven kept, every attached volume including the root", () => {
    const dlm = plan.get(T.dlm, "mongodb-server-snapshots");
    const role = plan.get(T.role, "mongodb-server-snapshots");
    assert.deepEqual(dlm.inputs, {
      description: "snapshots of pillar-prod-mongodb-server",
      executionRoleArn: role.outputs.arn,
      state: "ENABLED",
      policyDetails: {
        policyType: "EBS_SNAPSHOT_MANAGEMENT",
        resourceTypes: ["INSTANCE"],
        targetTags: { "pillar:snapshots": "pillar-prod-mongodb-server" },
        parameters: { excludeBootVolume: false },
        schedules: [
          {
            name: "every 24h from 0300 UTC keep 7",
            createRule: { interval: 24, intervalUnit: "HOURS", times: "03:00" },
            retainRule: { count: 7 },
            copyTags: true,
          },
        ],
      },
    });
    assert.equal(dlm.parent, plan.resources.find((r) => r.type === "pillar:dlm:SnapshotPolicy")!.urn);
  });

  it("gives DLM a role only it can assume, that snapshots only this profile's tagged instances", () => {
    const role = plan.get(T.role, "mongodb-server-snapshots");
    assert.deepEqual(JSON.parse(role.inputs.assumeRolePolicy as string), {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "dlm.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
    assert.equal(role.inputs.description, "Data Lifecycle Manager snapshots of pillar-prod-mongodb-server");
    const create = plan.get(T.rolePolicy, "mongodb-server-snapshots-create");
    assert.equal(create.inputs.role, role.id);
    assert.deepEqual(JSON.parse(create.inputs.policy as string), {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "SnapshotTaggedInstances",
          Effect: "Allow",
          Action: "ec2:CreateSnapshots",
          Resource: `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/*`,
          Condition: { StringEquals: { "aws:ResourceTag/pillar:snapshots": "pillar-prod-mongodb-server" } },
        },
        {
          Sid: "TheirVolumesAndSnapshots",
          Effect: "Allow",
          Action: "ec2:CreateSnapshots",
          Resource: [`arn:aws:ec2:us-east-1:${ACCOUNT}:volume/*`, "arn:aws:ec2:us-east-1::snapshot/*"],
        },
        {
          Sid: "TagSnapshots",
          Effect: "Allow",
          Action: "ec2:CreateTags",
          Resource: "arn:aws:ec2:us-east-1::snapshot/*",
        },
        {
          Sid: "Describe",
          Effect: "Allow",
          Action: ["ec2:DescribeInstances", "ec2:DescribeSnapshots", "ec2:DescribeVolumes"],
          Resource: "*",
        },
      ],
    });
    const dlm = plan.get(T.dlm, "mongodb-server-snapshots");
    assert.ok(dlm.dependencies.includes(create.urn), "the policy waits for its permissions");
    const retention = plan.get(T.rolePolicy, "mongodb-server-snapshots-retention");
    assert.equal(retention.inputs.role, role.id);
    assert.match(dlm.id!, /^policy-[0-9a-f]{17}$/);
    assert.deepEqual(JSON.parse(retention.inputs.policy as string), {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "DeleteOwnSnapshots",
          Effect: "Allow",
          Action: "ec2:DeleteSnapshot",
          Resource: "arn:aws:ec2:us-east-1::snapshot/*",
          Condition: { StringEquals: { "aws:ResourceTag/aws:dlm:lifecycle-policy-id": dlm.id } },
        },
      ],
    });
    const snapshotChildren = plan.resources
      .filter((r) => r.parent?.endsWith("pillar:dlm:SnapshotPolicy::mongodb-server-snapshots"))
      .map((r) => `${r.type} ${r.name}`)
      .sort();
    assert.deepEqual(snapshotChildren, [
      `${T.dlm} mongodb-server-snapshots`,
      `${T.role} mongodb-server-snapshots`,
      `${T.rolePolicy} mongodb-server-snapshots-create`,
      `${T.rolePolicy} mongodb-server-snapshots-retention`,
    ]);
  });
});

const SERVERS = `config:
  aws:region: us-east-1
  pillar:cloud:
    main: { region: us-east-1 }
  pillar:network:
    vpc_id: vpc-0abc1234
    private_subnets: [subnet-0abc1234]
  pillar:profiles:
    db:
      size: r7i.large
      subnetid: subnet-0abc1234
      block_device_mappings:
        - { DeviceName: /dev/sda1, Ebs.VolumeSize: 30 }
        - { DeviceName: /dev/sdf, Ebs.VolumeSize: 200, Ebs.VolumeType: io2, Ebs.Iops: 4000 }
      snapshots: { interval_hours: 12, time: "01:30", retain: 14 }
    scratch:
      size: t3.small
      stateful: false
      subnetid: subnet-0abc1234
`;

describe("a stateful profile with a data volume and an image lookup, beside a throwaway one", () => {
  let plan: Planned;
  before(async () => {
    plan = await planYaml(SERVERS, { stack: "servers", preview: false });
  });

  it("keeps the data volume as its own protected EBS volume, attached so a replacement gets it back", () => {
    const db = plan.get(T.instance, "db");
    assert.deepEqual(db.options.ignoreChanges, ["ami"]);
    assert.equal(db.options.protect, true);
    assert.deepEqual(db.inputs.rootBlockDevice, {
      deleteOnTermination: false,
      encrypted: true,
      tags: { Name: "db", "pillar:profile": "db" },
      volumeSize: 30,
      volumeType: "gp3",
    });
    const volume = plan.get(T.volume, "db-sdf");
    assert.equal(volume.options.protect, true);
    assert.deepEqual(volume.inputs, {
      // The subnet's zone, looked up: never the instance's output, which a replacement would make unknown.
      availabilityZone: plan.assumptions
        .find((a) => a.startsWith("subnet subnet-0abc1234"))!
        .split(" ")
        .pop(),
      size: 200,
      type: "io2",
      iops: 4000,
      encrypted: true,
      tags: { Name: "db /dev/sdf", "pillar:profile": "db" },
    });
    const attach = plan.get(T.attachment, "db-sdf");
    assert.deepEqual(attach.inputs, {
      deviceName: "/dev/sdf",
      instanceId: db.id,
      volumeId: volume.id,
      stopInstanceBeforeDetaching: true,
    });
    assert.equal(attach.options.deleteBeforeReplace, true);
    assert.equal(attach.options.protect, false);
    assert.deepEqual(plan.get(T.dlm, "db-snapshots").inputs.policyDetails, {
      policyType: "EBS_SNAPSHOT_MANAGEMENT",
      resourceTypes: ["INSTANCE"],
      targetTags: { "pillar:snapshots": "pillar-servers-db" },
      parameters: { excludeBootVolume: false },
      schedules: [
        {
          name: "every 12h from 0130 UTC keep 14",
          createRule: { interval: 12, intervalUnit: "HOURS", times: "01:30" },
          retainRule: { count: 14 },
          copyTags: true,
        },
      ],
    });
  });

  it("leaves a stateful: false profile as it was: no protection, volumes die with it, no snapshots", () => {
    const scratch = plan.get(T.instance, "scratch");
    assert.equal(scratch.options.protect, false);
    assert.deepEqual(scratch.options.ignoreChanges, []);
    assert.equal(scratch.inputs.disableApiTermination, undefined);
    assert.deepEqual(scratch.inputs.rootBlockDevice, {
      deleteOnTermination: true,
      encrypted: true,
      volumeType: "gp3",
    });
    assert.deepEqual(scratch.inputs.volumeTags, { Name: "scratch", "pillar:profile": "scratch" });
    assert.equal((scratch.inputs.tags as Record<string, string>)["pillar:stateful"], "false");
    assert.equal((scratch.inputs.tags as Record<string, string>)["pillar:snapshots"], undefined);
    assert.deepEqual(
      plan.ofType(T.dlm).map((r) => r.name),
      ["db-snapshots"],
    );
  });
});

describe("a stateful profile whose root mapping is not the image's root device", () => {
  it("fails the plan naming the profile, before a data volume could be mapped over the root", async () => {
    const amazonLinux: Record<string, LookupFake> = {
      [TYPES.ec2.getAmi]: (i) => {
        const answer = defaultLookups("us-east-1")[TYPES.ec2.getAmi]!(i);
        return { result: { ...answer.result, rootDeviceName: "/dev/xvda" }, assumption: answer.assumption };
      },
    };
    await assert.rejects(planYaml(SERVERS, { stack: "servers", lookups: amazonLinux }), (err: Error) =>
      err.message.includes(
        "pillar:profiles.db: block device /dev/sda1 is mapped as the root volume, but the image's root device is /dev/xvda",
      ),
    );
  });
});

/** The engine's view of an update: per resource, the inputs that differ once ignoreChanges keeps the old values. */
function effectiveChanges(before: Planned, after: Planned): Map<string, string[]> {
  const old = new Map(before.resources.map((r) => [r.urn, r]));
  const changes = new Map<string, string[]>();
  for (const r of after.resources) {
    const prev: RecordedResource | undefined = old.get(r.urn);
    assert.ok(prev, `${r.urn} is new in the second plan`);
    const keys = new Set([...Object.keys(prev.inputs), ...Object.keys(r.inputs)]);
    const changed = [...keys].filter(
      (k) =>
        !r.options.ignoreChanges.includes(k) &&
        JSON.stringify(prev.inputs[k]) !== JSON.stringify(r.inputs[k]),
    );
    if (changed.length > 0) changes.set(`${r.type} ${r.name}`, changed.sort());
  }
  return changes;
}

/** Canonical publishes a newer Ubuntu: the same lookup now answers another AMI. */
function newerImage(): Record<string, LookupFake> {
  const base = defaultLookups("us-east-1")[TYPES.ec2.getAmi]!;
  return {
    [TYPES.ec2.getAmi]: (inputs) => {
      const answer = base(inputs);
      if (answer.result.name === undefined) return answer; // a lookup by id keeps its image
      const id = "ami-0fedcba9876543210";
      return {
        result: { ...answer.result, id, imageId: id },
        assumption: `${answer.assumption} (newer: ${id})`,
      };
    },
  };
}

describe("a looked-up image does not replace a running stateful server", () => {
  let first: Planned;
  let second: Planned;
  before(async () => {
    first = await planYaml(SERVERS, { stack: "servers" });
    second = await planYaml(SERVERS, { stack: "servers", lookups: newerImage() });
  });

  it("the lookup did answer a newer AMI in the second plan", () => {
    const ami = (p: Planned, n: string) => p.get(T.instance, n).inputs.ami;
    assert.notEqual(ami(first, "db"), ami(second, "db"));
    assert.equal(ami(second, "db"), "ami-0fedcba9876543210");
  });

  it("changes no input of the stateful server, its volume, attachment or snapshot policy; only the throwaway one is replaced", () => {
    // `ami` forces replacement of an aws.ec2.Instance (ForceNew in terraform-provider-aws ec2/instance.go).
    assert.deepEqual([...effectiveChanges(first, second)], [[`${T.instance} scratch`, ["ami"]]]);
  });
});

const GROUPS = `config:
  aws:region: us-east-1
  pillar:cloud:
    main: { region: us-east-1 }
  pillar:network:
    vpc_id: vpc-0abc1234
    private_subnets: [subnet-0abc1234, subnet-0abc1235]
  pillar:autoscale:
    allowed_instance_types: ["t3.*", "t3a.*", "m7i.large"]
    groups:
      - name: warm
        min_size: 2
        max_size: 8
        vpc_zone_identifiers: [private]
        launch_config:
          - instance_type: t3.small
        warm_pool: { min_size: 1, max_group_prepared_capacity: 6, pool_state: Hibernated, reuse_on_scale_in: true }
        scheduled_actions:
          - { name: morning, recurrence: "0 7 * * MON-FRI", time_zone: Europe/Berlin, min_size: 4, desired_capacity: 4 }
          - { name: evening, recurrence: "0 19 * * MON-FRI", time_zone: Europe/Berlin, min_size: 2 }
          - { name: launch-day, start_time: "2026-12-01T06:00:00Z", max_size: 8 }
      - name: spot
        min_size: 1
        max_size: 6
        vpc_zone_identifiers: [private]
        launch_config:
          - instance_type: t3.small
        mixed_instances:
          instance_types: [t3.small, t3a.small, m7i.large]
          on_demand_base_capacity: 1
          on_demand_percentage_above_base: 20
      - name: pinned
        min_size: 1
        desired_capacity: 3
        max_size: 3
        manage_desired_capacity: true
        vpc_zone_identifiers: [private]
        launch_config:
          - instance_type: t3.micro
`;

describe("groups: warm pool, mixed instances and Spot, scheduled actions, managed desired capacity", () => {
  let plan: Planned;
  before(async () => {
    plan = await planYaml(GROUPS, { stack: "groups", preview: false });
  });

  it("creates the warm pool on the group, and templates that can hibernate for a Hibernated pool", () => {
    const warm = plan.get(T.asg, "warm");
    assert.deepEqual(warm.inputs.warmPool, {
      poolState: "Hibernated",
      minSize: 1,
      maxGroupPreparedCapacity: 6,
      instanceReusePolicy: { reuseOnScaleIn: true },
    });
    assert.deepEqual(plan.get(T.lt, "warm-warm").inputs.hibernationOptions, { configured: true });
    assert.equal(plan.get(T.lt, "spot-spot").inputs.hibernationOptions, undefined);
    assert.equal(plan.get(T.asg, "spot").inputs.warmPool, undefined);
  });

  it("leaves min and max to the scheduled actions that set them, and desired capacity to every scaler", () => {
    assert.deepEqual(plan.get(T.asg, "warm").options.ignoreChanges, [
      "desiredCapacity",
      "minSize",
      "maxSize",
    ]);
    assert.deepEqual(plan.get(T.asg, "spot").options.ignoreChanges, ["desiredCapacity"]);
    assert.deepEqual(plan.get(T.asg, "pinned").options.ignoreChanges, []);
    assert.equal(plan.get(T.asg, "pinned").inputs.desiredCapacity, 3);
  });

  it("schedules the actions in their time zone, sending -1 for every size an action leaves alone", () => {
    const warm = plan.get(T.asg, "warm");
    assert.deepEqual(
      plan.ofType(T.schedule).map((s) => [s.name, s.inputs]),
      [
        [
          "warm-evening",
          {
            autoscalingGroupName: "pillar-groups-warm",
            scheduledActionName: "evening",
            recurrence: "0 19 * * MON-FRI",
            timeZone: "Europe/Berlin",
            minSize: 2,
            maxSize: -1,
            desiredCapacity: -1,
          },
        ],
        [
          "warm-launch-day",
          {
            autoscalingGroupName: "pillar-groups-warm",
            scheduledActionName: "launch-day",
            startTime: "2026-12-01T06:00:00Z",
            minSize: -1,
            maxSize: 8,
            desiredCapacity: -1,
          },
        ],
        [
          "warm-morning",
          {
            autoscalingGroupName: "pillar-groups-warm",
            scheduledActionName: "morning",
            recurrence: "0 7 * * MON-FRI",
            timeZone: "Europe/Berlin",
            minSize: 4,
            maxSize: -1,
            desiredCapacity: 4,
          },
        ],
      ],
    );
    for (const s of plan.ofType(T.schedule))
      assert.deepEqual(s.propertyDependencies.autoscalingGroupName, [warm.urn]);
  });

  it("puts the Spot group's types in overrides, the launch template staying the one source of the rest", () => {
    const spot = plan.get(T.asg, "spot");
    const lt = plan.get(T.lt, "spot-spot");
    assert.equal(spot.inputs.launchTemplate, undefined);
    assert.equal(spot.inputs.capacityRebalance, true);
    assert.deepEqual(spot.inputs.mixedInstancesPolicy, {
      launchTemplate: {
        launchTemplateSpecification: { launchTemplateId: lt.id, version: "1" },
        overrides: [
          { instanceType: "t3.small" },
          { instanceType: "t3a.small" },
          { instanceType: "m7i.large" },
        ],
      },
      instancesDistribution: {
        onDemandBaseCapacity: 1,
        onDemandPercentageAboveBaseCapacity: 20,
        spotAllocationStrategy: "price-capacity-optimized",
      },
    });
    assert.equal(lt.inputs.instanceType, "t3.small");
    assert.deepEqual(spot.propertyDependencies.mixedInstancesPolicy, [lt.urn]);
    assert.equal(plan.get(T.asg, "warm").inputs.mixedInstancesPolicy, undefined);
  });
});
