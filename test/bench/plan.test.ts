/**
 * The plan suite's generators: each grows the dev stack by exactly the items asked for, in a config
 * that loads. (The suite itself plans every generated stack and checks its exit code, provider
 * checks and resource count; those plans take minutes, so they are not repeated here.)
 */
import * as assert from "node:assert/strict";
import { ConfigError } from "../../config/issues";
import { StackModel } from "../../config/model";
import {
  devStack,
  DIMENSIONS,
  withAlarms,
  withAutoscaleGroups,
  withGroups,
  withLoadBalancers,
  withProfiles,
} from "../../bench/plan";
import { load } from "../configHelpers";

/** A stack config (`pillar:`-prefixed keys) as the program loads it. */
function model(config: Record<string, unknown>): StackModel {
  const values = Object.fromEntries(
    Object.entries(config)
      .filter(([k]) => k.startsWith("pillar:"))
      .map(([k, v]) => [k.slice("pillar:".length), v]),
  );
  try {
    return load(values, { stack: "bench" });
  } catch (err) {
    if (err instanceof ConfigError) assert.fail(err.issues.map((i) => `${i.path}: ${i.message}`).join("\n"));
    throw err;
  }
}

describe("bench/plan generators", () => {
  const base = model(devStack());

  it("security groups: n more groups of 10 rules each", () => {
    const m = model(withGroups(devStack(), 3));
    assert.equal(m.securityGroups.length, base.securityGroups.length + 3);
    assert.deepEqual(
      m.securityGroups.slice(-3).map((g) => [g.name, g.rules.length]),
      [
        ["app-0", 10],
        ["app-1", 10],
        ["app-2", 10],
      ],
    );
  });

  it("autoscale groups: n more groups, each with two policies and two alarms on them", () => {
    const m = model(withAutoscaleGroups(devStack(), 3));
    assert.equal(m.autoscaleGroups.length, base.autoscaleGroups.length + 3);
    assert.deepEqual(
      m.autoscaleGroups.slice(-3).map((g) => [g.name, g.scalingPolicies.length, g.reactorProfile]),
      [
        ["hosts-0", 2, "web"],
        ["hosts-1", 2, "web"],
        ["hosts-2", 2, "web"],
      ],
    );
    assert.equal(m.alarms.length, base.alarms.length + 6);
  });

  it("load balancers: dev's classic ELB and n more, each with an HTTPS and an HTTP listener", () => {
    const m = model(withLoadBalancers(devStack(), 3));
    assert.deepEqual(
      m.loadBalancers.map((lb) => [lb.name, lb.type, lb.listeners.map((l) => l.lbProtocol)]),
      [
        ["dev-elb", "classic", ["HTTP"]],
        ["lb-0", "classic", ["HTTPS", "HTTP"]],
        ["lb-1", "classic", ["HTTPS", "HTTP"]],
        ["lb-2", "classic", ["HTTPS", "HTTP"]],
      ],
    );
  });

  it("alarms: n more alarms, each acting on one of dev's scaling policies", () => {
    const m = model(withAlarms(devStack(), 3));
    assert.equal(m.alarms.length, base.alarms.length + 3);
    assert.deepEqual(
      m.alarms.slice(-3).map((a) => [a.name, a.comparison, a.alarmActions]),
      [
        [
          "dev_cpu_up_0",
          "GreaterThanOrEqualToThreshold",
          [{ kind: "scaling_policy", group: "dev-hosts", policy: "dev_scale_up" }],
        ],
        [
          "dev_cpu_down_1",
          "LessThanOrEqualToThreshold",
          [{ kind: "scaling_policy", group: "dev-hosts", policy: "dev_scale_down" }],
        ],
        [
          "dev_cpu_up_2",
          "GreaterThanOrEqualToThreshold",
          [{ kind: "scaling_policy", group: "dev-hosts", policy: "dev_scale_up" }],
        ],
      ],
    );
  });

  it("profiles: n stateful servers with a root and a data volume", () => {
    assert.equal(base.profiles.length, 0);
    const m = model(withProfiles(devStack(), 3));
    assert.deepEqual(
      m.profiles.map((p) => [p.name, p.stateful, p.blockDevices.map((d) => d.deviceName), p.securityGroups]),
      [
        ["db-0", true, ["/dev/sda1", "/dev/sdf"], ["webhost"]],
        ["db-1", true, ["/dev/sda1", "/dev/sdf"], ["webhost"]],
        ["db-2", true, ["/dev/sda1", "/dev/sdf"], ["webhost"]],
      ],
    );
  });

  it("sizes every dimension as the issue asks: security groups at 200 and 2,000", () => {
    assert.deepEqual(
      Object.entries(DIMENSIONS).map(([k, d]) => [k, d.n, d.perItem]),
      [
        ["security groups (×10 rules)", 200, 12],
        ["autoscale groups", 2, 20],
        ["load balancers", 100, 4],
        ["alarms", 400, 1],
        ["profiles", 40, 12],
      ],
    );
    // Every generated stack at 10N loads: e.g. 20 autoscale groups, 1,000 load balancers.
    for (const d of Object.values(DIMENSIONS).slice(1)) model(d.make(devStack(), d.n * 10));
  });
});
