/** The small pure functions under the components and config, table by table: subnets, health targets, alarm actions. */
import * as assert from "node:assert/strict";
import { resolveAction } from "../components/alarms";
import { planSubnets } from "../components/network";
import type { AlarmAction } from "../config/model";
import { parseHealthTarget } from "../config/sections/elb";

describe("planSubnets", () => {
  const cases: [string, number, { public: string[]; private: string[] }][] = [
    [
      "10.0.0.0/16",
      2,
      { public: ["10.0.0.0/20", "10.0.16.0/20"], private: ["10.0.32.0/20", "10.0.48.0/20"] },
    ],
    [
      "10.0.0.0/16",
      3,
      {
        public: ["10.0.0.0/20", "10.0.16.0/20", "10.0.32.0/20"],
        private: ["10.0.48.0/20", "10.0.64.0/20", "10.0.80.0/20"],
      },
    ],
    [
      "172.16.0.0/12",
      2,
      { public: ["172.16.0.0/16", "172.17.0.0/16"], private: ["172.18.0.0/16", "172.19.0.0/16"] },
    ],
    // Past /24 the new prefix stops at /28, AWS's smallest subnet.
    [
      "10.1.2.0/24",
      2,
      { public: ["10.1.2.0/28", "10.1.2.16/28"], private: ["10.1.2.32/28", "10.1.2.48/28"] },
    ],
    [
      "10.0.0.0/26",
      2,
      { public: ["10.0.0.0/28", "10.0.0.16/28"], private: ["10.0.0.32/28", "10.0.0.48/28"] },
    ],
    ["10.0.0.0/27", 1, { public: ["10.0.0.0/28"], private: ["10.0.0.16/28"] }],
  ];
  for (const [cidr, azs, expected] of cases) {
    it(`${cidr} over ${azs} AZs`, () => assert.deepEqual(planSubnets(cidr, azs), expected));
  }

  it("a /16 holds eight AZs of /20s, the last private one at the top of the range", () => {
    const plan = planSubnets("10.0.0.0/16", 8);
    assert.equal(plan.public.length, 8);
    assert.equal(plan.private.at(-1), "10.0.240.0/20");
  });

  const tooSmall: [string, number][] = [
    ["10.0.0.0/16", 9],
    ["10.0.0.0/26", 3],
    ["10.0.0.0/27", 2],
  ];
  for (const [cidr, azs] of tooSmall) {
    it(`refuses ${cidr} over ${azs} AZs`, () =>
      assert.throws(() => planSubnets(cidr, azs), {
        message: `${cidr} is too small for ${azs} public and private subnets`,
      }));
  }
});

describe("parseHealthTarget", () => {
  const expected =
    'expected "PROTOCOL:PORT/path" with HTTP or HTTPS (e.g. "HTTPS:443/check.html"), or "PROTOCOL:PORT" with TCP or SSL (e.g. "TCP:22")';
  const cases: [string, ReturnType<typeof parseHealthTarget>][] = [
    ["HTTPS:443/check.html", { protocol: "HTTPS", port: 443, path: "/check.html" }],
    ["HTTP:80/", { protocol: "HTTP", port: 80, path: "/" }],
    ["HTTP:8080/health?full=1", { protocol: "HTTP", port: 8080, path: "/health?full=1" }],
    ["TCP:22", { protocol: "TCP", port: 22 }],
    ["SSL:8443", { protocol: "SSL", port: 8443 }],
    ["TCP:1", { protocol: "TCP", port: 1 }],
    ["TCP:65535", { protocol: "TCP", port: 65535 }],
    [`HTTP:80/${"a".repeat(1023)}`, { protocol: "HTTP", port: 80, path: `/${"a".repeat(1023)}` }],
    ["TCP:0", 'port 0 in "TCP:0" is not 1-65535'],
    ["TCP:65536", 'port 65536 in "TCP:65536" is not 1-65535'],
    ["HTTP:80", `HTTP health checks need a path: ${expected}, got "HTTP:80"`],
    ["HTTPS:443", `HTTPS health checks need a path: ${expected}, got "HTTPS:443"`],
    ["TCP:22/check", `TCP health checks take no path: ${expected}, got "TCP:22/check"`],
    ["SSL:443/", `SSL health checks take no path: ${expected}, got "SSL:443/"`],
    ["http:80/", `${expected}, got "http:80/"`],
    ["UDP:53", `${expected}, got "UDP:53"`],
    ["TCP:123456", `${expected}, got "TCP:123456"`],
    ["TCP:", `${expected}, got "TCP:"`],
    ["", `${expected}, got ""`],
    [`HTTP:80/${"a".repeat(1024)}`, "the health check path is longer than 1024 characters"],
  ];
  for (const [target, result] of cases) {
    it(`${JSON.stringify(target.length > 40 ? `${target.slice(0, 40)}…` : target)}`, () =>
      assert.deepEqual(parseHealthTarget(target), result));
  }
});

describe("resolveAction", () => {
  const policyArns = {
    web: { up: "arn:aws:autoscaling:…:policyName/up", down: "arn:aws:autoscaling:…:policyName/down" },
  };
  const topicArns = { ops: "arn:aws:sns:us-east-1:123456789012:ops" };
  const cases: [AlarmAction, string][] = [
    [
      { kind: "arn", arn: "arn:aws:sns:us-east-1:123456789012:elsewhere" },
      "arn:aws:sns:us-east-1:123456789012:elsewhere",
    ],
    [{ kind: "scaling_policy", group: "web", policy: "up" }, policyArns.web.up],
    [{ kind: "scaling_policy", group: "web", policy: "down" }, policyArns.web.down],
    [{ kind: "sns", topic: "ops" }, topicArns.ops],
  ];
  for (const [action, arn] of cases) {
    it(`${action.kind} ${JSON.stringify(action)}`, () =>
      assert.equal(resolveAction(action, policyArns, topicArns), arn));
  }

  const missing: [AlarmAction, string][] = [
    [{ kind: "scaling_policy", group: "api", policy: "up" }, "no scaling policy api:up"],
    [{ kind: "scaling_policy", group: "web", policy: "sideways" }, "no scaling policy web:sideways"],
    [{ kind: "sns", topic: "pager" }, "no topic pager"],
  ];
  for (const [action, message] of missing) {
    it(`throws for ${JSON.stringify(action)}`, () =>
      assert.throws(() => resolveAction(action, policyArns, topicArns), { message }));
  }
});
