import * as assert from "node:assert/strict";
import fc from "fast-check";
import { planSecurityGroups } from "../components/securityGroupPlan";
import { ConfigIssue } from "../config/issues";
import { SecurityGroupModel } from "../config/model";
import {
  classifySource,
  normalizeProtocol,
  resolveSecurityGroups,
  RuleDraft,
  SecurityGroupDraft,
} from "../config/sections/security_groups";

let n = 0;
function rule(
  protocol: string,
  from: number | undefined,
  to: number | undefined,
  sources: string[],
  path = `r${n++}`,
): RuleDraft {
  return {
    protocol,
    ...(from !== undefined ? { fromPort: from } : {}),
    ...(to !== undefined ? { toPort: to } : {}),
    sources,
    sourcePaths: sources.map((_, i) => `${path}.cidr_ip[${i}]`),
    path,
  };
}

function group(
  name: string,
  rules: RuleDraft[],
  path = `g.${name}`,
  egress?: RuleDraft[],
): SecurityGroupDraft {
  return { name, description: `${name} group`, rules, ...(egress ? { egress } : {}), tags: {}, path };
}

/** Every problem resolving the drafts finds, as config reports it (`path: message`). */
function checkSecurityGroups(groups: readonly SecurityGroupDraft[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  resolveSecurityGroups(groups, issues);
  return issues;
}

/** The drafts as config hands them to the planner; fails on any problem. */
function resolved(groups: readonly SecurityGroupDraft[]): SecurityGroupModel[] {
  const issues: ConfigIssue[] = [];
  const out = resolveSecurityGroups(groups, issues);
  assert.deepEqual(issues, []);
  return out;
}

const edgeSummary = (groups: SecurityGroupDraft[]) =>
  planSecurityGroups(resolved(groups)).edges.map(
    (e) => `${e.key} | ${e.source.kind === "group" ? `group:${e.source.group}` : e.source.cidr}`,
  );

describe("security-group planner", () => {
  it("expands the seed's two groups into the exact edge set", () => {
    const seed = [
      group("webhost", [
        rule("tcp", 80, 80, ["0.0.0.0/0"]),
        rule("tcp", 443, 443, ["0.0.0.0/0"]),
        rule("tcp", 22, 22, ["default"]),
      ]),
      group("mongodb", [rule("tcp", 27017, 27017, ["webhost"]), rule("tcp", 22, 22, ["default"])]),
    ];
    assert.deepEqual(edgeSummary(seed), [
      "mongodb-in-tcp-22-from-default | group:default",
      "mongodb-in-tcp-27017-from-webhost | group:webhost",
      "mongodb-out-all-all-to-0.0.0.0_0 | 0.0.0.0/0",
      "webhost-in-tcp-22-from-default | group:default",
      "webhost-in-tcp-443-from-0.0.0.0_0 | 0.0.0.0/0",
      "webhost-in-tcp-80-from-0.0.0.0_0 | 0.0.0.0/0",
      "webhost-out-all-all-to-0.0.0.0_0 | 0.0.0.0/0",
    ]);
    assert.equal(planSecurityGroups(resolved(seed)).usesDefault, true);
  });

  it("resolves forward references, self-references and two-group cycles", () => {
    const groups = [
      group("a", [rule("tcp", 5432, 5432, ["b"]), rule("-1", undefined, undefined, ["a"])]),
      group("b", [rule("tcp", 8080, 8090, ["a"])]),
    ];
    assert.deepEqual(edgeSummary(groups), [
      "a-in-all-all-from-a | group:a",
      "a-in-tcp-5432-from-b | group:b",
      "a-out-all-all-to-0.0.0.0_0 | 0.0.0.0/0",
      "b-in-tcp-8080-8090-from-a | group:a",
      "b-out-all-all-to-0.0.0.0_0 | 0.0.0.0/0",
    ]);
  });

  it("expands a list mixing CIDRs, IPv6 and group names into one edge per source", () => {
    const plan = planSecurityGroups(
      resolved([
        group("web", [rule("tcp", 443, 443, ["10.0.0.0/8", "2001:DB8::/32", "web", "default"])], "g", []),
      ]),
    );
    assert.deepEqual(
      plan.edges.map((e) => [e.key, e.source, e.description]),
      [
        [
          "web-in-tcp-443-from-10.0.0.0_8",
          { kind: "cidr4", cidr: "10.0.0.0/8" },
          "pillar web: tcp 443 from 10.0.0.0/8",
        ],
        [
          "web-in-tcp-443-from-2001-db8--_32",
          { kind: "cidr6", cidr: "2001:db8::/32" },
          "pillar web: tcp 443 from 2001:db8::/32",
        ],
        [
          "web-in-tcp-443-from-default",
          { kind: "group", group: "default" },
          "pillar web: tcp 443 from security group default",
        ],
        [
          "web-in-tcp-443-from-web",
          { kind: "group", group: "web" },
          "pillar web: tcp 443 from security group web",
        ],
      ],
    );
  });

  it("uses a group's own egress rules instead of the implicit all-egress", () => {
    const plan = planSecurityGroups(resolved([group("db", [], "g", [rule("tcp", 443, 443, ["0.0.0.0/0"])])]));
    assert.deepEqual(
      plan.edges.map((e) => [e.key, e.direction]),
      [["db-out-tcp-443-to-0.0.0.0_0", "egress"]],
    );
  });

  it("plans ICMP type/code and protocol numbers", () => {
    const plan = planSecurityGroups(
      resolved([
        group(
          "x",
          [rule("icmp", 8, -1, ["10.0.0.0/16"]), rule("50", undefined, undefined, ["10.0.0.0/16"])],
          "g",
          [],
        ),
      ]),
    );
    assert.deepEqual(
      plan.edges.map((e) => [e.key, e.description]),
      [
        ["x-in-50-all-from-10.0.0.0_16", "pillar x: protocol 50 from 10.0.0.0/16"],
        ["x-in-icmp-type8-code-1-from-10.0.0.0_16", "pillar x: icmp type 8 code -1 from 10.0.0.0/16"],
      ],
    );
  });

  it("normalizes protocol names and numbers", () => {
    assert.deepEqual(
      ["TCP", "6", 17, "all", "-1", "icmp", "58", "50", "300", "tpc"].map((p) => normalizeProtocol(p)),
      ["tcp", "tcp", "udp", "-1", "-1", "icmp", "icmpv6", "50", undefined, undefined],
    );
  });

  const errors: [string, SecurityGroupDraft[], string[]][] = [
    [
      "unknown group name",
      [group("a", [rule("tcp", 1, 1, ["b"], "p")])],
      ['p.cidr_ip[0]: unknown security group "b"; known groups: "a", "default"'],
    ],
    [
      "duplicate group names",
      [group("a", [], "g0"), group("a", [], "g1")],
      ['g1.name: duplicate security group name "a" (first defined at g0.name)'],
    ],
    [
      "duplicate edges",
      [group("a", [rule("tcp", 1, 1, ["10.0.0.0/8"], "p"), rule("tcp", 1, 1, ["10.0.0.0/8"], "q")])],
      ["q.cidr_ip[0]: duplicate rule: a already has this ingress rule at p.cidr_ip[0]"],
    ],
    [
      "CIDR with a bad prefix",
      [group("a", [rule("tcp", 1, 1, ["10.0.0.0/33"], "p")])],
      ['p.cidr_ip[0]: expected a prefix length 0-32 in CIDR "10.0.0.0/33"'],
    ],
    [
      "malformed address",
      [group("a", [rule("tcp", 1, 1, ["10.0.0/8"], "p")])],
      ['p.cidr_ip[0]: expected an IPv4/IPv6 CIDR or a security group name, got "10.0.0/8"'],
    ],
    [
      "from_port above to_port",
      [group("a", [rule("tcp", 9, 1, ["10.0.0.0/8"], "p")])],
      ["p: from_port 9 is greater than to_port 1"],
    ],
    [
      "tcp without ports",
      [group("a", [rule("tcp", undefined, undefined, ["10.0.0.0/8"], "p")])],
      ["p: tcp rules need from_port and to_port (0-65535)"],
    ],
    [
      "ports on all-protocols",
      [group("a", [rule("-1", 22, 22, ["10.0.0.0/8"], "p")])],
      ["p: protocol all (-1) covers every port; remove from_port/to_port or use tcp/udp"],
    ],
    [
      "ICMP code out of range",
      [group("a", [rule("icmp", 8, 300, ["10.0.0.0/8"], "p")])],
      ["p.to_port: expected an ICMP code -1-255, got 300"],
    ],
    [
      "IPv6 source on icmp",
      [group("a", [rule("icmp", 8, 0, ["::/0"], "p")])],
      ['p.cidr_ip[0]: ICMP for IPv6 is protocol "icmpv6", not "icmp", for source ::/0'],
    ],
  ];
  for (const [name, groups, expected] of errors) {
    it(`rejects ${name}`, () => {
      assert.deepEqual(
        checkSecurityGroups(groups).map((i) => `${i.path}: ${i.message}`),
        expected,
      );
      // What has a problem is left out of the model, so the planner makes nothing of it.
      const owner = (p: string) => p.split(/[.[]/)[0];
      const problems = new Set(checkSecurityGroups(groups).map((i) => owner(i.path)));
      const issues: ConfigIssue[] = [];
      const planned = planSecurityGroups(resolveSecurityGroups(groups, issues)).edges;
      assert.deepEqual(
        planned.filter((e) => problems.has(owner(e.path))),
        [],
      );
    });
  }

  it("classifies sources", () => {
    assert.deepEqual(classifySource("0.0.0.0/0"), { kind: "cidr4", cidr: "0.0.0.0/0" });
    assert.deepEqual(classifySource("::/0"), { kind: "cidr6", cidr: "::/0" });
    assert.deepEqual(classifySource("webhost"), { kind: "group", group: "webhost" });
  });
});

describe("security-group planner, property-based", () => {
  const names = fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,7}$/), { minLength: 1, maxLength: 6 });
  const graph = names.chain((groupNames) => {
    const source = fc.oneof(
      fc.constantFrom(...groupNames, "default"),
      fc
        .tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }))
        .map(([a, b]) => `10.${a}.${b}.0/24`),
    );
    const ruleArb = fc.tuple(fc.constantFrom("tcp", "udp"), fc.integer({ min: 0, max: 65535 }), source);
    return fc.tuple(
      fc.constant(groupNames),
      fc.array(fc.uniqueArray(ruleArb, { maxLength: 6, selector: ([p, port, s]) => `${p}/${port}/${s}` }), {
        minLength: groupNames.length,
        maxLength: groupNames.length,
      }),
    );
  });
  const build = (groupNames: string[], rules: [string, number, string][][]) =>
    groupNames.map((g, i) =>
      group(
        g,
        (rules[i] ?? []).map(([p, port, s], j) => rule(p, port, port, [s], `g${g}.r${j}`)),
        `g.${g}`,
      ),
    );

  it("every edge's endpoints exist, names are unique, and shuffling changes no name", () => {
    fc.assert(
      fc.property(graph, fc.integer(), ([groupNames, rules], seed) => {
        const groups = build(groupNames, rules);
        const plan = planSecurityGroups(resolved(groups));
        const known = new Set([...groupNames, "default"]);
        for (const e of plan.edges) {
          assert.ok(known.has(e.group));
          if (e.source.kind === "group") assert.ok(known.has(e.source.group));
        }
        const keys = plan.edges.map((e) => e.key);
        assert.equal(new Set(keys).size, keys.length);
        const shuffle = <T>(xs: T[]) =>
          xs
            .map((x, i) => [((seed ^ (i * 2654435761)) >>> 0) % 1000, x] as const)
            .sort((a, b) => a[0] - b[0])
            .map(([, x]) => x);
        // Shuffle the raw YAML order and build again, so every config path (position) changes too.
        const order = shuffle(groupNames.map((_, i) => i));
        const shuffled = build(
          order.map((i) => groupNames[i]!),
          order.map((i) => shuffle([...(rules[i] ?? [])])),
        );
        const replanned = planSecurityGroups(resolved(shuffled));
        assert.deepEqual(
          replanned.edges.map((e) => e.key),
          keys,
        );
        assert.deepEqual(
          replanned.edges.map((e) => e.description),
          plan.edges.map((e) => e.description),
        );
      }),
      { numRuns: 200 },
    );
  });
});
