// Pulumi's policy metadata on every policy, and policies/README.md kept in step with the pack.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Policy } from "@pulumi/policy";
import { allPolicies } from "../../policies/all";
import { CATALOG, peerTable } from "../../policies/catalog";

const README = fs.readFileSync(path.resolve(__dirname, "../../policies/README.md"), "utf8");

/** The rows of the markdown table that starts with `header`, as cells. */
function table(header: string): string[][] {
  const lines = README.split("\n");
  const start = lines.indexOf(header);
  assert.ok(start >= 0, `README has a table headed ${header}`);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith("|")) break;
    rows.push(
      line
        .slice(1, -1)
        .split(" | ")
        .map((c) => c.trim()),
    );
  }
  return rows;
}

describe("policy metadata (catalog.ts)", () => {
  it("every policy carries a severity, remediation steps, a URL and tags; every entry names a policy", () => {
    const names = allPolicies.map((p) => p.name);
    assert.deepEqual(Object.keys(CATALOG).sort(), [...names].sort());
    for (const p of allPolicies as Policy[]) {
      assert.ok(["low", "medium", "high", "critical"].includes(p.severity ?? ""), `${p.name} severity`);
      assert.ok((p.remediationSteps ?? "").length > 20, `${p.name} remediation steps`);
      assert.match(p.url ?? "", /^https:\/\/(docs\.aws\.amazon\.com|www\.pulumi\.com)\//, `${p.name} url`);
      assert.ok((p.tags ?? []).length > 0, `${p.name} tags`);
      if (p.framework !== undefined) {
        assert.equal(p.framework.name, "AWS Foundational Security Best Practices", p.name);
        assert.ok(
          CATALOG[p.name]!.peers.securityHub?.includes(p.framework.reference),
          `${p.name} framework reference`,
        );
        assert.ok(p.framework.specification.length > 0, p.name);
      }
    }
  });

  it("mandatory policies are high or critical", () => {
    for (const p of allPolicies as Policy[]) {
      if (p.enforcementLevel === "mandatory" || p.enforcementLevel === "remediate") {
        assert.ok(["high", "critical"].includes(p.severity!), `${p.name} is ${p.severity}`);
      }
    }
  });

  it("every policy that reads config declares a schema for it", () => {
    for (const p of allPolicies) {
      const code = ["validateResource", "validateStack", "remediateResource"]
        .map((k) => String((p as unknown as Record<string, unknown>)[k] ?? ""))
        .join("\n");
      if (code.includes("getConfig")) {
        assert.ok(p.configSchema !== undefined, `${p.name} reads config without a configSchema`);
        assert.ok(Object.keys(p.configSchema.properties).length > 0, p.name);
      }
    }
  });
});

describe("policies/README.md", () => {
  it("lists every policy once, in pack order, with its level", () => {
    const rows = table("| policy | level | checks |");
    assert.deepEqual(
      rows.map(([name, level]) => [name, level]),
      allPolicies.map((p) => [`\`${p.name}\``, p.enforcementLevel]),
    );
  });

  it("has the peer-rule table generated from the catalog", () => {
    const between =
      /<!-- peer-table:start \(generated from catalog\.ts\) -->\n([\s\S]*?)\n<!-- peer-table:end -->/.exec(
        README,
      );
    assert.ok(between, "README has the generated peer table");
    assert.equal(between[1], peerTable(allPolicies));
  });

  it("documents every config property of every policy", () => {
    const rows = table("| policy | property | default |");
    const documented = rows.map(([name, property]) => `${name} ${property!.split(":")[0]}`);
    const declared = allPolicies.flatMap((p) =>
      Object.keys(p.configSchema?.properties ?? {}).map((k) => `\`${p.name}\` \`${k}\``),
    );
    assert.deepEqual(documented.sort(), declared.sort());
  });
});
