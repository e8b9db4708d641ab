import { ec2LaunchTemplateInStack } from "../../policies/launchTemplates";
import { T } from "../../policies/types";
import { StackBuilder, assertNoViolations, assertViolations, unknown } from "./util";

const RULE = (subject: string) =>
  `${subject} must launch from a launch template this stack defines, so that IMDSv2 (ec2-imdsv2-required) and EBS encryption (ec2-ebs-encrypted) are checked`;

/** A stack with the program's launch template, in preview (id unknown) or after apply. */
function withTemplate(stage: "preview" | "after-apply") {
  const stack = new StackBuilder();
  const template = stack.add(
    T.launchTemplate,
    "app-hosts-webhost",
    { name: "app-hosts-webhost-1a2b3c4", metadataOptions: { httpTokens: "required" } },
    stage === "after-apply" ? { outputs: { id: "lt-0a1b2c3d4e5f60718" } } : {},
  );
  return { stack, template };
}

describe("ec2-launch-template-in-stack", () => {
  it("accepts a group and an instance launching from the stack's template (preview: by dependency)", async () => {
    const { stack, template } = withTemplate("preview");
    stack.add(
      T.autoscalingGroup,
      "app-hosts",
      { maxSize: 10, minSize: 2, launchTemplate: { id: unknown<string>(), version: unknown<string>() } },
      { propertyDependencies: { launchTemplate: [template] } },
    );
    stack.add(
      T.instance,
      "bastion",
      { launchTemplate: { name: unknown<string>() } },
      { propertyDependencies: { launchTemplate: [template] } },
    );
    await assertNoViolations(ec2LaunchTemplateInStack, stack.args());
  });

  it("accepts references by the template's known id or name (after apply)", async () => {
    const { stack } = withTemplate("after-apply");
    stack.add(T.autoscalingGroup, "by-id", {
      maxSize: 10,
      minSize: 2,
      launchTemplate: { id: "lt-0a1b2c3d4e5f60718", version: "3" },
    });
    stack.add(T.instance, "by-name", { launchTemplate: { name: "app-hosts-webhost-1a2b3c4" } });
    stack.add(T.autoscalingGroup, "mixed", {
      maxSize: 10,
      minSize: 2,
      mixedInstancesPolicy: {
        launchTemplate: {
          launchTemplateSpecification: { launchTemplateId: "lt-0a1b2c3d4e5f60718" },
          overrides: [{ instanceType: "t3.small" }],
        },
      },
    });
    await assertNoViolations(ec2LaunchTemplateInStack, stack.args());
  });

  it("ignores instances that name no launch template", async () => {
    const stack = new StackBuilder();
    stack.add(T.instance, "mongodb-server", { ami: "ami-0abc1234", instanceType: "t3.small" });
    await assertNoViolations(ec2LaunchTemplateInStack, stack.args());
  });

  it("flags an instance or group whose launch template this stack does not define", async () => {
    const { stack } = withTemplate("after-apply");
    stack.add(T.instance, "legacy", { launchTemplate: { id: "lt-0123456789abcdef0", version: "7" } });
    stack.add(T.autoscalingGroup, "workers", {
      maxSize: 4,
      minSize: 1,
      launchTemplate: { name: "shared-base-template" },
    });
    stack.add(T.autoscalingGroup, "mixed", {
      maxSize: 4,
      minSize: 1,
      mixedInstancesPolicy: {
        launchTemplate: {
          launchTemplateSpecification: { launchTemplateId: "lt-0a1b2c3d4e5f60718" },
          overrides: [
            { instanceType: "t3.small" },
            { instanceType: "m7g.large", launchTemplateSpecification: { launchTemplateName: "arm-base" } },
          ],
        },
      },
    });
    await assertViolations(ec2LaunchTemplateInStack, stack.args(), [
      `${RULE(`Instance "legacy"`)}; cannot be verified: it launches from launch template lt-0123456789abcdef0 (launchTemplate.id), which this stack does not define.`,
      `${RULE(`Autoscaling group "workers"`)}; cannot be verified: it launches from launch template "shared-base-template" (launchTemplate.name), which this stack does not define.`,
      `${RULE(`Autoscaling group "mixed"`)}; cannot be verified: it launches from launch template "arm-base" (mixedInstancesPolicy.launchTemplate.overrides[1].launchTemplateSpecification.launchTemplateName), which this stack does not define.`,
    ]);
  });

  it("reports a reference unknown at preview that no dependency traces to a template", async () => {
    const stack = new StackBuilder();
    stack.add(T.autoscalingGroup, "app-hosts", {
      maxSize: 10,
      minSize: 2,
      launchTemplate: { id: unknown<string>() },
    });
    stack.add(T.instance, "i", { launchTemplate: unknown<{ id: string }>() });
    await assertViolations(ec2LaunchTemplateInStack, stack.args(), [
      `${RULE(`Autoscaling group "app-hosts"`)}; cannot be verified at preview: launchTemplate.id is unknown and its dependencies name no launch template of this stack.`,
      `${RULE(`Instance "i"`)}; cannot be verified at preview: launchTemplate is unknown and its dependencies name no launch template of this stack.`,
    ]);
  });
});
