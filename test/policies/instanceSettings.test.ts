import { ec2DetailedMonitoringEnabled, ec2ImdsHopLimitOne } from "../../policies/instanceSettings";
import { T } from "../../policies/types";
import { assertNoViolations, assertViolations, resourceArgs, unknown } from "./util";

const HOP = (subject: string) =>
  `${subject} must keep the IMDS hop limit at 1 (metadataOptions.httpPutResponseHopLimit) unless it runs containers that need the instance role`;

describe("ec2-imds-hop-limit-one (advisory)", () => {
  it("accepts a hop limit of 1 or unset (EC2's default), and an instance taking it from its template", async () => {
    await assertNoViolations(
      ec2ImdsHopLimitOne,
      resourceArgs(T.launchTemplate, {
        metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 },
      }),
    );
    await assertNoViolations(
      ec2ImdsHopLimitOne,
      resourceArgs(T.instance, { metadataOptions: { httpTokens: "required" } }),
    );
    await assertNoViolations(
      ec2ImdsHopLimitOne,
      resourceArgs(T.instance, { launchTemplate: { id: "lt-1" } }),
    );
  });

  it("flags the program's hop limit of 2 unless config names the host as a container host", async () => {
    const props = { metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 2 } };
    await assertViolations(
      ec2ImdsHopLimitOne,
      resourceArgs(T.launchTemplate, props, { name: "app-hosts-webhost" }),
      [
        `${HOP(`Launch template "app-hosts-webhost"`)}; it is 2. If containers on it need IMDS, name it in config containerHosts.`,
      ],
    );
    await assertNoViolations(
      ec2ImdsHopLimitOne,
      resourceArgs(T.launchTemplate, props, {
        name: "app-hosts-webhost",
        config: { containerHosts: ["app-hosts-webhost"] },
      }),
    );
  });

  it("reports an unknown hop limit at preview", async () => {
    await assertViolations(
      ec2ImdsHopLimitOne,
      resourceArgs(
        T.instance,
        { metadataOptions: { httpPutResponseHopLimit: unknown<number>() } },
        { name: "db" },
      ),
      [`${HOP(`Instance "db"`)}; cannot be verified at preview: httpPutResponseHopLimit is unknown.`],
    );
  });
});

describe("ec2-detailed-monitoring-enabled (advisory)", () => {
  it("accepts detailed monitoring on templates and instances", async () => {
    await assertNoViolations(
      ec2DetailedMonitoringEnabled,
      resourceArgs(T.launchTemplate, { monitoring: { enabled: true } }),
    );
    await assertNoViolations(ec2DetailedMonitoringEnabled, resourceArgs(T.instance, { monitoring: true }));
    await assertNoViolations(
      ec2DetailedMonitoringEnabled,
      resourceArgs(T.instance, { launchTemplate: { id: "lt-1" } }),
    );
  });

  it("flags basic monitoring", async () => {
    await assertViolations(
      ec2DetailedMonitoringEnabled,
      resourceArgs(T.instance, { ami: "ami-1" }, { name: "mongodb-server" }),
      [
        `Instance "mongodb-server" must enable detailed monitoring (monitoring true); it is false, so metrics arrive every 5 minutes.`,
      ],
    );
    await assertViolations(
      ec2DetailedMonitoringEnabled,
      resourceArgs(T.launchTemplate, { monitoring: { enabled: false } }, { name: "lt" }),
      [
        `Launch template "lt" must enable detailed monitoring (monitoring.enabled true); it is false, so metrics arrive every 5 minutes.`,
      ],
    );
  });

  it("reports unknown monitoring at preview", async () => {
    await assertViolations(
      ec2DetailedMonitoringEnabled,
      resourceArgs(T.launchTemplate, { monitoring: unknown<{ enabled: boolean }>() }, { name: "lt" }),
      [
        `Launch template "lt" must enable detailed monitoring (monitoring.enabled true); cannot be verified at preview: it is unknown.`,
      ],
    );
  });
});
