import * as assert from "node:assert/strict";
import { Secret } from "@pulumi/policy";
import {
  DEFAULT_ALLOWED_INSTANCE_TYPES,
  ec2EbsEncrypted,
  ec2ImdsV2Required,
  ec2InstanceTypeAllowed,
  ec2LaunchConfigurationsForbidden,
} from "../../policies/ec2";
import { T } from "../../policies/types";
import { assertNoViolations, assertViolations, resourceArgs, secret, unknown } from "./util";

const IMDS = 'must require IMDSv2 (metadataOptions.httpTokens "required")';

describe("ec2-imdsv2-required", () => {
  it("accepts launch templates and instances requiring tokens", async () => {
    await assertNoViolations(
      ec2ImdsV2Required,
      resourceArgs(T.launchTemplate, {
        metadataOptions: { httpEndpoint: "enabled", httpTokens: "required" },
      }),
    );
    await assertNoViolations(
      ec2ImdsV2Required,
      resourceArgs(T.instance, { metadataOptions: { httpTokens: "required" }, instanceType: "t3.small" }),
    );
  });

  it("flags optional tokens and missing metadata options", async () => {
    await assertViolations(
      ec2ImdsV2Required,
      resourceArgs(T.launchTemplate, { metadataOptions: { httpTokens: "optional" } }, { name: "webhost" }),
      [`Launch template "webhost" ${IMDS}; it is "optional".`],
    );
    await assertViolations(
      ec2ImdsV2Required,
      resourceArgs(T.instance, { instanceType: "t3.small" }, { name: "mongodb-1" }),
      [`Instance "mongodb-1" ${IMDS}; it is (not set).`],
    );
  });

  it("ignores other resources, and instances that take their options from a launch template", async () => {
    await assertNoViolations(ec2ImdsV2Required, resourceArgs(T.volume, { availabilityZone: "us-east-1a" }));
    await assertNoViolations(
      ec2ImdsV2Required,
      resourceArgs(T.instance, { launchTemplate: { id: "lt-0123", version: "3" } }),
    );
  });

  it("reports unknown tokens at preview", async () => {
    await assertViolations(
      ec2ImdsV2Required,
      resourceArgs(
        T.launchTemplate,
        { metadataOptions: { httpTokens: unknown<string>() } },
        { name: "webhost" },
      ),
      [`Launch template "webhost" ${IMDS}; cannot be verified at preview: httpTokens is unknown.`],
    );
    await assertViolations(
      ec2ImdsV2Required,
      resourceArgs(T.instance, { metadataOptions: unknown<object>() }, { name: "i" }),
      [`Instance "i" ${IMDS}; cannot be verified at preview: httpTokens is unknown.`],
    );
  });
});

describe("ec2-ebs-encrypted", () => {
  it("accepts encrypted volumes everywhere, booleans or strings", async () => {
    await assertNoViolations(
      ec2EbsEncrypted,
      resourceArgs(T.launchTemplate, {
        blockDeviceMappings: [
          { deviceName: "/dev/sda1", ebs: { volumeSize: 50, volumeType: "gp3", encrypted: "true" } },
          { deviceName: "/dev/sdb", virtualName: "ephemeral0" },
        ],
      }),
    );
    await assertNoViolations(
      ec2EbsEncrypted,
      resourceArgs(T.instance, {
        rootBlockDevice: { volumeSize: 50, encrypted: true },
        ebsBlockDevices: [{ deviceName: "/dev/sdf", encrypted: true }],
      }),
    );
    await assertNoViolations(
      ec2EbsEncrypted,
      resourceArgs(T.volume, { availabilityZone: "us-east-1a", encrypted: true }),
    );
  });

  it("flags each unencrypted or undeclared volume", async () => {
    await assertViolations(
      ec2EbsEncrypted,
      resourceArgs(
        T.launchTemplate,
        {
          blockDeviceMappings: [
            { deviceName: "/dev/sda1", ebs: { volumeSize: 50, encrypted: "false" } },
            { deviceName: "/dev/sdf", ebs: { volumeSize: 10 } },
          ],
        },
        { name: "webhost" },
      ),
      [
        `Launch template "webhost" blockDeviceMappings[0].ebs must be encrypted (encrypted: true); it is "false".`,
        `Launch template "webhost" blockDeviceMappings[1].ebs must be encrypted (encrypted: true); it is (not set).`,
      ],
    );
    await assertViolations(
      ec2EbsEncrypted,
      resourceArgs(T.launchTemplate, { imageId: "ami-1234567" }, { name: "bare" }),
      [
        `Launch template "bare" must encrypt every EBS volume; it declares no EBS block device mapping, so its root volume's encryption follows the AMI.`,
      ],
    );
    await assertViolations(
      ec2EbsEncrypted,
      resourceArgs(
        T.instance,
        { rootBlockDevice: { encrypted: false }, ebsBlockDevices: [{ deviceName: "/dev/sdf" }] },
        { name: "mongodb" },
      ),
      [
        `Instance "mongodb" rootBlockDevice must be encrypted (encrypted: true); it is false.`,
        `Instance "mongodb" ebsBlockDevices[0] must be encrypted (encrypted: true); it is (not set).`,
      ],
    );
    await assertViolations(
      ec2EbsEncrypted,
      resourceArgs(T.instance, { instanceType: "t3.small" }, { name: "bare" }),
      [
        `Instance "bare" must encrypt every EBS volume; it declares no rootBlockDevice, so its root volume's encryption follows the AMI.`,
      ],
    );
    await assertViolations(
      ec2EbsEncrypted,
      resourceArgs(T.volume, { availabilityZone: "us-east-1a" }, { name: "data" }),
      [`EBS volume "data" must be encrypted (encrypted: true); it is (not set).`],
    );
  });

  it("flags a launch template that maps only a non-root device: the root follows the AMI", async () => {
    await assertViolations(
      ec2EbsEncrypted,
      resourceArgs(
        T.launchTemplate,
        { blockDeviceMappings: [{ deviceName: "/dev/sdf", ebs: { volumeSize: 100, encrypted: "true" } }] },
        { name: "webhost" },
      ),
      [
        `Launch template "webhost" must encrypt every EBS volume; it maps no root device (/dev/sda1, /dev/xvda), so its root volume's encryption follows the AMI.`,
      ],
    );
    // The root device names are configurable, for AMIs that use another one.
    await assertNoViolations(
      ec2EbsEncrypted,
      resourceArgs(
        T.launchTemplate,
        { blockDeviceMappings: [{ deviceName: "/dev/sdf", ebs: { encrypted: "true" } }] },
        { config: { rootDeviceNames: ["/dev/sdf"] } },
      ),
    );
  });

  it("reports a launch template whose mapped device names are unknown", async () => {
    await assertViolations(
      ec2EbsEncrypted,
      resourceArgs(
        T.launchTemplate,
        { blockDeviceMappings: [{ deviceName: unknown<string>(), ebs: { encrypted: "true" } }] },
        { name: "webhost" },
      ),
      [
        `Launch template "webhost" must encrypt every EBS volume; cannot be verified at preview: the deviceName of blockDeviceMappings[0] is unknown, so whether it maps the root device (/dev/sda1, /dev/xvda) is not known.`,
      ],
    );
  });

  it("leaves an instance's root volume to its launch template when it has one", async () => {
    await assertNoViolations(
      ec2EbsEncrypted,
      resourceArgs(T.instance, { launchTemplate: { id: "lt-0123", version: "3" } }),
    );
  });

  it("reads through secret markers", async () => {
    await assertNoViolations(
      ec2EbsEncrypted,
      resourceArgs(T.volume, { availabilityZone: "us-east-1a", encrypted: secret(true) }),
    );
  });

  it("reports unknown encryption flags and mapping lists at preview", async () => {
    await assertViolations(
      ec2EbsEncrypted,
      resourceArgs(T.launchTemplate, { blockDeviceMappings: unknown<[]>() }, { name: "webhost" }),
      [
        `Launch template "webhost" blockDeviceMappings must be encrypted (encrypted: true); cannot be verified at preview: the mapping list is unknown.`,
      ],
    );
    await assertViolations(
      ec2EbsEncrypted,
      resourceArgs(
        T.volume,
        { availabilityZone: "us-east-1a", encrypted: unknown<boolean>() },
        { name: "data" },
      ),
      [
        `EBS volume "data" must be encrypted (encrypted: true); cannot be verified at preview: encrypted is unknown.`,
      ],
    );
  });
});

describe("ec2-launch-configurations-forbidden", () => {
  it("flags any launch configuration", async () => {
    await assertViolations(
      ec2LaunchConfigurationsForbidden,
      resourceArgs(
        T.launchConfiguration,
        { imageId: "ami-1234567", instanceType: "t2.small" },
        { name: "webhost" },
      ),
      [
        `Launch configuration "webhost" must not exist: use an aws.ec2.LaunchTemplate (launch configurations are closed to new accounts).`,
      ],
    );
  });

  it("accepts launch templates", async () => {
    await assertNoViolations(
      ec2LaunchConfigurationsForbidden,
      resourceArgs(T.launchTemplate, { imageId: "ami-1" }),
    );
  });

  it("flags a launch configuration whatever is unknown about it", async () => {
    await assertViolations(
      ec2LaunchConfigurationsForbidden,
      resourceArgs(
        T.launchConfiguration,
        { imageId: unknown<string>(), instanceType: unknown<string>() },
        { name: "lc" },
      ),
      [
        `Launch configuration "lc" must not exist: use an aws.ec2.LaunchTemplate (launch configurations are closed to new accounts).`,
      ],
    );
  });
});

const ALLOWED = DEFAULT_ALLOWED_INSTANCE_TYPES.join(", ");

describe("ec2-instance-type-allowed (advisory)", () => {
  it("accepts current generations by default", async () => {
    await assertNoViolations(
      ec2InstanceTypeAllowed,
      resourceArgs(T.launchTemplate, { instanceType: "t3.small" }),
    );
    await assertNoViolations(ec2InstanceTypeAllowed, resourceArgs(T.instance, { instanceType: "m7i.large" }));
  });

  it("flags the seed's previous-generation types by default", async () => {
    await assertViolations(
      ec2InstanceTypeAllowed,
      resourceArgs(T.launchTemplate, { instanceType: "t2.small" }, { name: "webhost" }),
      [`Launch template "webhost" must use an allowed instance type (${ALLOWED}); it uses "t2.small".`],
    );
    await assertViolations(
      ec2InstanceTypeAllowed,
      resourceArgs(T.instance, { instanceType: "m3.medium" }, { name: "mongodb-server" }),
      [`Instance "mongodb-server" must use an allowed instance type (${ALLOWED}); it uses "m3.medium".`],
    );
  });

  it("takes the allow-list from config", async () => {
    const config = { allowedInstanceTypes: ["t2.small", "m3.*"] };
    await assertNoViolations(
      ec2InstanceTypeAllowed,
      resourceArgs(T.launchTemplate, { instanceType: "t2.small" }, { config }),
    );
    await assertNoViolations(
      ec2InstanceTypeAllowed,
      resourceArgs(T.instance, { instanceType: "m3.medium" }, { config }),
    );
    await assertViolations(
      ec2InstanceTypeAllowed,
      resourceArgs(T.instance, { instanceType: "t3.small" }, { config, name: "i" }),
      [`Instance "i" must use an allowed instance type (t2.small, m3.*); it uses "t3.small".`],
    );
  });

  it("leaves a launch template without a type to the group's instance policy", async () => {
    await assertNoViolations(ec2InstanceTypeAllowed, resourceArgs(T.launchTemplate, { imageId: "ami-1" }));
  });

  it("reports an unknown type at preview", async () => {
    await assertViolations(
      ec2InstanceTypeAllowed,
      resourceArgs(T.instance, { instanceType: unknown<string>() }, { name: "i" }),
      [
        `Instance "i" must use an allowed instance type (${ALLOWED}); cannot be verified at preview: instanceType is unknown.`,
      ],
    );
  });
});

describe("ec2-instance-type-allowed on a group's mixed-instances overrides", () => {
  const spot = (overrides: { instanceType?: string }[] | undefined, config?: object) =>
    resourceArgs(
      T.autoscalingGroup,
      {
        maxSize: 4,
        minSize: 1,
        ...(overrides
          ? {
              mixedInstancesPolicy: {
                launchTemplate: {
                  launchTemplateSpecification: { launchTemplateId: "lt-1", version: "1" },
                  overrides,
                },
              },
            }
          : { launchTemplate: { id: "lt-1", version: "1" } }),
      },
      { name: "spot", ...(config ? { config } : {}) },
    );
  const RULE = `Autoscaling group "spot" must override only with allowed instance types`;

  it("accepts allowed overrides and a group without a mixed instances policy", async () => {
    await assertNoViolations(
      ec2InstanceTypeAllowed,
      spot([{ instanceType: "t3.small" }, { instanceType: "m7i.large" }]),
    );
    await assertNoViolations(ec2InstanceTypeAllowed, spot(undefined));
  });

  it("flags each override outside the allow-list, from config too", async () => {
    await assertViolations(
      ec2InstanceTypeAllowed,
      spot([{ instanceType: "t3.small" }, { instanceType: "t2.small" }, { instanceType: "m3.medium" }]),
      [
        `${RULE} (${ALLOWED}); overrides[1] uses "t2.small".`,
        `${RULE} (${ALLOWED}); overrides[2] uses "m3.medium".`,
      ],
    );
    await assertViolations(
      ec2InstanceTypeAllowed,
      spot([{ instanceType: "t2.small" }, { instanceType: "t3.small" }], {
        allowedInstanceTypes: ["t2.small"],
      }),
      [`${RULE} (t2.small); overrides[1] uses "t3.small".`],
    );
  });

  it("reports unknown overrides at preview", async () => {
    await assertViolations(ec2InstanceTypeAllowed, spot(unknown<{ instanceType: string }[]>()), [
      `${RULE} (${ALLOWED}); cannot be verified at preview: its overrides are unknown.`,
    ]);
    await assertViolations(ec2InstanceTypeAllowed, spot([{ instanceType: unknown<string>() }]), [
      `${RULE} (${ALLOWED}); cannot be verified at preview: overrides[0].instanceType is unknown.`,
    ]);
  });
});

describe("remediations (ec2-imdsv2-required, ec2-ebs-encrypted at their default level, remediate)", () => {
  const imds = ec2ImdsV2Required.remediateResource!;
  const ebs = ec2EbsEncrypted.remediateResource!;

  it("are the policies' default level, so a preview fixes what it safely can", () => {
    assert.equal(ec2ImdsV2Required.enforcementLevel, "remediate");
    assert.equal(ec2EbsEncrypted.enforcementLevel, "remediate");
  });

  it("sets httpTokens required, keeping the other metadata options and every other input", async () => {
    assert.deepEqual(
      await imds(
        resourceArgs(T.launchTemplate, {
          imageId: "ami-1",
          metadataOptions: { httpEndpoint: "enabled", httpTokens: "optional", httpPutResponseHopLimit: 1 },
        }),
      ),
      {
        imageId: "ami-1",
        metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
      },
    );
    assert.deepEqual(await imds(resourceArgs(T.instance, { ami: "ami-1", instanceType: "t3.small" })), {
      ami: "ami-1",
      instanceType: "t3.small",
      metadataOptions: { httpTokens: "required" },
    });
  });

  it("leaves IMDS alone where the fix is not unambiguous or not needed", async () => {
    for (const args of [
      resourceArgs(T.launchTemplate, { metadataOptions: { httpTokens: "required" } }),
      resourceArgs(T.launchTemplate, { metadataOptions: unknown<object>() }),
      resourceArgs(T.launchTemplate, { metadataOptions: { httpTokens: unknown<string>() } }),
      resourceArgs(T.instance, { launchTemplate: { id: "lt-0123" } }),
      resourceArgs(T.volume, { availabilityZone: "us-east-1a" }),
    ]) {
      assert.equal(await imds(args), undefined);
    }
  });

  it("turns on encryption in launch template mappings, keeping secrets and other mappings", async () => {
    const kms = secret("arn:aws:kms:us-east-1:123456789012:key/1");
    const result = (await ebs(
      resourceArgs(T.launchTemplate, {
        imageId: "ami-1",
        blockDeviceMappings: [
          { deviceName: "/dev/sda1", ebs: { volumeSize: 50, encrypted: "false", kmsKeyId: kms } },
          { deviceName: "/dev/sdb", virtualName: "ephemeral0" },
          { deviceName: "/dev/sdf", ebs: { volumeSize: 10, encrypted: "true" } },
        ],
      }),
    )) as Record<string, unknown>;
    assert.deepEqual(result, {
      imageId: "ami-1",
      blockDeviceMappings: [
        { deviceName: "/dev/sda1", ebs: { volumeSize: 50, encrypted: "true", kmsKeyId: kms } },
        { deviceName: "/dev/sdb", virtualName: "ephemeral0" },
        { deviceName: "/dev/sdf", ebs: { volumeSize: 10, encrypted: "true" } },
      ],
    });
    assert.ok(
      ((result["blockDeviceMappings"] as { ebs?: { kmsKeyId: unknown } }[])[0]!.ebs!
        .kmsKeyId as unknown) instanceof Secret,
      "a secret stays a secret",
    );
  });

  it("never touches volumes or instances (turning encryption on replaces them) or unknown flags", async () => {
    for (const args of [
      resourceArgs(T.volume, { availabilityZone: "us-east-1a", encrypted: false }),
      resourceArgs(T.instance, { rootBlockDevice: { encrypted: false } }),
      resourceArgs(T.launchTemplate, {
        blockDeviceMappings: [{ deviceName: "/dev/sda1", ebs: { encrypted: unknown<string>() } }],
      }),
      resourceArgs(T.launchTemplate, { blockDeviceMappings: unknown<[]>() }),
      resourceArgs(T.launchTemplate, {
        blockDeviceMappings: [{ deviceName: "/dev/sda1", ebs: { encrypted: "true" } }],
      }),
    ]) {
      assert.equal(await ebs(args), undefined);
    }
  });
});
