import * as assert from "node:assert/strict";
import { issuesOf, load, SeedDoc, seedValues, seedWith } from "./configHelpers";

const G = "pillar:autoscale.groups[0]";
const P = 'pillar:profiles["mongodb-server"]';
const group = (v: SeedDoc): SeedDoc => v.autoscale.groups[0];
const withGroup = (extra: SeedDoc) => seedWith((v) => Object.assign(group(v), extra));

describe("config: day-two defaults of the seed", () => {
  const model = load(seedValues("prod"));

  it("makes the seed's profile stateful with daily snapshots at 03:00 UTC, seven kept", () => {
    const p = model.profiles[0]!;
    assert.equal(p.stateful, true);
    assert.deepEqual(p.snapshots, {
      create: { kind: "interval", intervalHours: 24, time: "03:00" },
      retain: 7,
    });
  });

  it("leaves the group's desired capacity to its scalers, with no warm pool, mixed instances or schedule", () => {
    const g = model.autoscaleGroups[0]!;
    assert.equal(g.manageDesiredCapacity, false);
    assert.equal(g.warmPool, undefined);
    assert.equal(g.mixedInstances, undefined);
    assert.deepEqual(g.scheduledActions, []);
  });
});

describe("config: stateful profiles and snapshots", () => {
  const profile = (extra: SeedDoc) => seedWith((v) => Object.assign(v.profiles["mongodb-server"], extra));

  it("reads an interval, a time and a retention, or a DLM cron", () => {
    const a = load(profile({ snapshots: { interval_hours: "12", time: "22:30", retain: 14 } })).profiles[0]!;
    assert.deepEqual(a.snapshots, {
      create: { kind: "interval", intervalHours: 12, time: "22:30" },
      retain: 14,
    });
    const b = load(profile({ snapshots: { cron: "cron(0 3 ? * SUN *)" } })).profiles[0]!;
    assert.deepEqual(b.snapshots, { create: { kind: "cron", expression: "cron(0 3 ? * SUN *)" }, retain: 7 });
  });

  it("stateful: false has no snapshots, and refuses a snapshot schedule", () => {
    const p = load(profile({ stateful: false })).profiles[0]!;
    assert.equal(p.stateful, false);
    assert.equal(p.snapshots, undefined);
    assert.deepEqual(issuesOf(profile({ stateful: "false", snapshots: { retain: 3 } })), [
      `${P}.snapshots: snapshots only apply to a stateful profile; remove them or drop stateful: false`,
    ]);
  });

  it("needs a size for each data volume of a stateful profile, one root, and no volume deleted with the instance", () => {
    assert.deepEqual(
      issuesOf(
        profile({
          block_device_mappings: [
            { DeviceName: "/dev/sda1", "Ebs.VolumeSize": 50, "Ebs.DeleteOnTermination": true },
            { DeviceName: "/dev/xvda", "Ebs.VolumeSize": 8 },
            { DeviceName: "/dev/sdf" },
          ],
        }),
      ),
      [
        `${P}.block_device_mappings[0]["Ebs.DeleteOnTermination"]: true deletes the volume with its instance, but a stateful profile keeps its volumes when the instance goes; set stateful: false for a throwaway server`,
        `${P}.block_device_mappings[1].DeviceName: only one root volume: /dev/sda1 is already mapped`,
        `${P}.block_device_mappings[2]: a stateful profile's data volume (/dev/sdf) is its own EBS volume and needs Ebs.VolumeSize in GiB`,
      ],
    );
    // A throwaway server may let its volumes go.
    const p = load(
      profile({
        stateful: false,
        block_device_mappings: [
          { DeviceName: "/dev/sda1", "Ebs.DeleteOnTermination": true },
          { DeviceName: "/dev/sdf" },
        ],
      }),
    ).profiles[0]!;
    assert.deepEqual(
      p.blockDevices.map((d) => [d.deviceName, d.deleteOnTermination]),
      [
        ["/dev/sda1", true],
        ["/dev/sdf", true],
      ],
    );
  });

  it("names each bad snapshot setting with its limit", () => {
    assert.deepEqual(issuesOf(profile({ snapshots: { interval_hours: 5, time: "25:00", retain: 0 } })), [
      `${P}.snapshots.retain: expected a number of snapshots to keep from 1 to 1000, got 0`,
      `${P}.snapshots.interval_hours: Data Lifecycle Manager snapshots every 1, 2, 3, 4, 6, 8, 12 or 24 hours, got 5 (use cron for other schedules)`,
      `${P}.snapshots.time: expected a UTC time of day as HH:MM from 00:00 to 23:59 (e.g. "03:00"), got "25:00"`,
    ]);
    assert.deepEqual(issuesOf(profile({ snapshots: { cron: "0 3 * * *", time: "03:00" } })), [
      `${P}.snapshots: Only one of [cron] or [interval_hours/time] can be specified`,
      `${P}.snapshots.cron: expected an EventBridge cron expression "cron(minutes hours day-of-month month day-of-week year)", e.g. "cron(0 3 ? * SUN *)" for Sundays at 03:00 UTC`,
    ]);
    assert.deepEqual(issuesOf(profile({ snapshots: { retain: 1001 } })), [
      `${P}.snapshots.retain: expected a number of snapshots to keep from 1 to 1000, got 1001`,
    ]);
  });
});

describe("config: desired capacity, warm pools, mixed instances", () => {
  it("reads manage_desired_capacity and a warm pool with its defaults", () => {
    const g = load(withGroup({ manage_desired_capacity: true, warm_pool: { min_size: 1 } }))
      .autoscaleGroups[0]!;
    assert.equal(g.manageDesiredCapacity, true);
    assert.deepEqual(g.warmPool, { minSize: 1, poolState: "Stopped", reuseOnScaleIn: false });
    const h = load(
      withGroup({
        warm_pool: {
          min_size: 2,
          max_group_prepared_capacity: 6,
          pool_state: "Hibernated",
          reuse_on_scale_in: true,
        },
      }),
    ).autoscaleGroups[0]!;
    assert.deepEqual(h.warmPool, {
      minSize: 2,
      maxGroupPreparedCapacity: 6,
      poolState: "Hibernated",
      reuseOnScaleIn: true,
    });
  });

  it("refuses a warm pool larger than the group's max_size", () => {
    assert.deepEqual(issuesOf(withGroup({ warm_pool: { min_size: 11 } })), [
      `${G}.warm_pool.min_size: a warm pool of at least 11 instances is larger than the group's max_size 10: the group could never take them all into service`,
    ]);
    assert.deepEqual(issuesOf(withGroup({ warm_pool: { max_group_prepared_capacity: 12 } })), [
      `${G}.warm_pool.max_group_prepared_capacity: 12 is larger than the group's max_size 10: the group never runs more than 10 instances, so the rest of the pool would be paid for and never used`,
    ]);
    assert.deepEqual(issuesOf(withGroup({ warm_pool: { min_size: 4, max_group_prepared_capacity: 3 } })), [
      `${G}.warm_pool.max_group_prepared_capacity: 3 is smaller than the warm pool's own min_size 4`,
    ]);
    assert.deepEqual(issuesOf(withGroup({ warm_pool: { min_size: -1, pool_state: "Frozen" } })), [
      `${G}.warm_pool.pool_state: expected one of "Stopped", "Hibernated", "Running", got "Frozen"`,
    ]);
  });

  it("reads mixed instances: overrides, On-Demand base and share, Spot strategy, capacity rebalance", () => {
    const g = load(
      withGroup({
        mixed_instances: {
          instance_types: ["t3.small", "t3a.small", "m7i-flex.large"],
          on_demand_base_capacity: 2,
          on_demand_percentage_above_base: "25",
        },
      }),
    ).autoscaleGroups[0]!;
    assert.deepEqual(g.mixedInstances, {
      instanceTypes: ["t3.small", "t3a.small", "m7i-flex.large"],
      onDemandBaseCapacity: 2,
      onDemandPercentageAboveBase: 25,
      spotAllocationStrategy: "price-capacity-optimized",
      capacityRebalance: true,
    });
    // All On-Demand (AWS's default share): no Spot, so no capacity rebalancing unless asked for.
    const od = load(withGroup({ mixed_instances: { instance_types: ["t3.small"] } })).autoscaleGroups[0]!;
    assert.deepEqual(
      [od.mixedInstances?.onDemandPercentageAboveBase, od.mixedInstances?.capacityRebalance],
      [100, false],
    );
  });

  it("refuses a Spot share outside 0-100, a negative base, bad or repeated types and a warm pool beside them", () => {
    assert.deepEqual(
      issuesOf(
        withGroup({
          warm_pool: {},
          mixed_instances: {
            instance_types: ["t3.small", "T3.Large", "t3.small"],
            on_demand_base_capacity: -1,
            on_demand_percentage_above_base: 150,
          },
        }),
      ),
      [
        `${G}.mixed_instances.instance_types[1]: expected an EC2 instance type such as "t3.small", got "T3.Large"`,
        `${G}.mixed_instances.instance_types[2]: "t3.small" is already listed at ${G}.mixed_instances.instance_types[0]`,
        `${G}.mixed_instances.on_demand_base_capacity: expected a whole number of at least 0, got -1`,
        `${G}.mixed_instances.on_demand_percentage_above_base: expected a percentage from 0 to 100, got 150`,
        `${G}.warm_pool: a warm pool cannot be used with mixed_instances: AWS refuses warm pools on groups with a mixed instances policy or Spot Instances`,
      ],
    );
    assert.deepEqual(
      issuesOf(
        withGroup({ mixed_instances: { instance_types: ["t3.small"], on_demand_percentage_above_base: -5 } }),
      ),
      [`${G}.mixed_instances.on_demand_percentage_above_base: expected a percentage from 0 to 100, got -5`],
    );
    assert.deepEqual(
      issuesOf(
        withGroup({
          mixed_instances: { instance_types: ["t3.small"], spot_allocation_strategy: "cheapest" },
        }),
      ),
      [
        `${G}.mixed_instances.spot_allocation_strategy: expected one of "price-capacity-optimized", "capacity-optimized", "capacity-optimized-prioritized", "lowest-price", got "cheapest"`,
      ],
    );
    const many = Array.from({ length: 41 }, (_, i) => `c${i + 1}.large`);
    assert.deepEqual(issuesOf(withGroup({ mixed_instances: { instance_types: many } })), [
      `${G}.mixed_instances.instance_types: at most 40 instance types (an Auto Scaling limit), got 41`,
    ]);
  });

  it("checks overrides and the launch template's type against the stack's allow-list", () => {
    const v = seedWith((c) => {
      c.autoscale.allowed_instance_types = ["t3.*", "t2.small", "m7i.large"];
      group(c).mixed_instances = { instance_types: ["t3.small", "m7i.xlarge", "t2.small"] };
    });
    assert.deepEqual(issuesOf(v), [
      `${G}.mixed_instances.instance_types[1]: instance type "m7i.xlarge" is not in pillar:autoscale.allowed_instance_types: "m7i.large", "t2.small", "t3.*"`,
    ]);
    const lt = seedWith((c) => (c.autoscale.allowed_instance_types = ["t3.*"]));
    assert.deepEqual(issuesOf(lt), [
      `${G}.launch_config[2].instance_type: instance type "t2.small" is not in pillar:autoscale.allowed_instance_types: "t3.*"`,
    ]);
    const bad = seedWith((c) => (c.autoscale.allowed_instance_types = ["t2.small", "t3", "*"]));
    assert.deepEqual(issuesOf(bad), [
      `pillar:autoscale.allowed_instance_types[1]: expected an instance type ("t3.small") or a family ("t3.*"), got "t3"`,
      `pillar:autoscale.allowed_instance_types[2]: expected an instance type ("t3.small") or a family ("t3.*"), got "*"`,
    ]);
  });
});

describe("config: scheduled actions", () => {
  const schedule = (...actions: SeedDoc[]) => withGroup({ scheduled_actions: actions });

  it("reads a recurring action in a time zone and a one-time action", () => {
    const g = load(
      schedule(
        {
          name: "business-hours",
          recurrence: "0 8 * * MON-FRI",
          time_zone: "Europe/Berlin",
          min_size: 4,
          desired_capacity: 4,
        },
        { name: "launch-day", start_time: "2026-12-01T08:00:00Z", max_size: 20 },
      ),
    ).autoscaleGroups[0]!;
    assert.deepEqual(g.scheduledActions, [
      {
        name: "business-hours",
        recurrence: "0 8 * * MON-FRI",
        timeZone: "Europe/Berlin",
        minSize: 4,
        desiredCapacity: 4,
        path: `${G}.scheduled_actions[0]`,
      },
      {
        name: "launch-day",
        startTime: "2026-12-01T08:00:00Z",
        maxSize: 20,
        path: `${G}.scheduled_actions[1]`,
      },
    ]);
  });

  it("refuses a cron AWS would refuse, naming the field", () => {
    const bad = (recurrence: string) => issuesOf(schedule({ name: "a", recurrence, desired_capacity: 3 }))[0];
    const at = `${G}.scheduled_actions[0].recurrence`;
    assert.equal(
      bad("0 8 ? * MON-FRI *"),
      `${at}: expected Unix cron with five fields "minute hour day-of-month month day-of-week" (e.g. "0 8 * * MON-FRI"), got 6 field(s)`,
    );
    assert.equal(
      bad("cron(0 8 * * ? *)"),
      `${at}: expected Unix cron with five fields "minute hour day-of-month month day-of-week" (e.g. "0 8 * * MON-FRI"); "cron(0 8 * * ? *)" is not that form`,
    );
    assert.equal(bad("0 24 * * *"), `${at}: hour 24 is outside 0-23`);
    assert.equal(
      bad("0 8 ? * 1"),
      `${at}: "?" (day of month) is EventBridge syntax (? L W #), which Unix cron does not have; use * or a list`,
    );
    assert.equal(bad("0 8 * * FRI-MON"), `${at}: the day of week range "FRI-MON" runs backwards`);
    assert.equal(bad("*/0 * * * *"), `${at}: the step in "*/0" must be a whole number of at least 1`);
    assert.equal(bad("0 8 * FOO *"), `${at}: "FOO" is not a month (expected 1-12 or JAN-DEC)`);
    assert.equal(bad("0 8 * * 7"), `${at}: day of week 7 is outside 0-6 (0 is Sunday) or SUN-SAT`);
  });

  it("refuses an unknown time zone, a time zone without recurrence and bad times", () => {
    assert.deepEqual(
      issuesOf(
        schedule(
          { name: "a", recurrence: "0 8 * * *", time_zone: "Europe/Atlantis", desired_capacity: 3 },
          { name: "b", recurrence: "0 8 * * *", time_zone: "europe/berlin", desired_capacity: 3 },
          {
            name: "c",
            start_time: "2026-02-30T08:00:00Z",
            time_zone: "Etc/UTC",
            end_time: "2026-03-01T08:00:00Z",
            desired_capacity: 3,
          },
          {
            name: "d",
            recurrence: "0 8 * * *",
            start_time: "2026-03-02T08:00:00Z",
            end_time: "2026-03-01T08:00:00Z",
            desired_capacity: 3,
          },
        ),
      ),
      [
        `${G}.scheduled_actions[0].time_zone: "Europe/Atlantis" is not an IANA time zone name (e.g. "Etc/UTC", "Europe/Berlin", "America/New_York")`,
        `${G}.scheduled_actions[1].time_zone: time zone names are case-sensitive: write "Europe/Berlin", not "europe/berlin"`,
        `${G}.scheduled_actions[2].time_zone: time_zone applies to the recurrence only; start_time and end_time are always UTC`,
        `${G}.scheduled_actions[2].start_time: expected a UTC time as YYYY-MM-DDThh:mm:ssZ (e.g. "2026-12-01T08:00:00Z"), got "2026-02-30T08:00:00Z"`,
        `${G}.scheduled_actions[2].end_time: end_time ends a recurrence; this action has none`,
        `${G}.scheduled_actions[3].end_time: end_time 2026-03-01T08:00:00Z must be after start_time 2026-03-02T08:00:00Z`,
      ],
    );
  });

  it("refuses actions without sizes or times, sizes that cannot hold, duplicates, and a managed desired capacity beside them", () => {
    assert.deepEqual(
      issuesOf(
        seedWith((v) =>
          Object.assign(group(v), {
            manage_desired_capacity: true,
            scheduled_actions: [
              { name: "a" },
              { name: "b", recurrence: "0 8 * * *", desired_capacity: 12 },
              { name: "b", recurrence: "0 8 * * *", min_size: 11 },
              { name: "bad name!", recurrence: "0 8 * * *", max_size: 1, min_size: 0, desired_capacity: 0 },
            ],
          }),
        ),
      ),
      [
        `${G}.scheduled_actions[0]: a scheduled action must set at least one of min_size, max_size or desired_capacity`,
        `${G}.scheduled_actions[0]: a scheduled action needs a recurrence (cron, repeating) or a start_time (once)`,
        `${G}.scheduled_actions[1].desired_capacity: desired_capacity 12 is outside min_size 2 (the group's) .. max_size 10 (the group's) when this action runs`,
        `${G}.scheduled_actions[2].name: duplicate scheduled action "b" (first at ${G}.scheduled_actions[1].name)`,
        `${G}.scheduled_actions[2].min_size: min_size 11 is greater than max_size 10 (the group's) when this action runs`,
        `${G}.scheduled_actions[3].name: expected a name of letters, digits, ".", "_" and "-" (at most 255), got "bad name!"`,
        `${G}.manage_desired_capacity: every pulumi up would reset the desired capacity and undo scheduled action "b" (${G}.scheduled_actions[1]); leave the desired capacity to the schedule`,
      ],
    );
  });
});
