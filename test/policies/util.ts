// Test helpers for the policy pack: typed resource args, realistic stack graphs, and assertions
// on exact violation messages. Props are wrapped in @pulumi/policy's own unknown-checking proxy,
// exactly as its server does, so a policy that reads an unknown the naive way fails here too.

import * as assert from "node:assert/strict";
import type * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import {
  Policy,
  PolicyProviderResource,
  PolicyResource,
  PolicyResourceOptions,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  Secret,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import * as policySdk from "@pulumi/policy";
import { UNKNOWN } from "../../policies/values";

/** Outputs the Network component registers (components/network.ts). */
export interface NetworkOutputs {
  vpcId: string;
  defaultSecurityGroupId: string;
  publicSubnetIds: string[];
  privateSubnetIds: string[];
}

/** The props each type token carries, from the real resource classes' Args. */
export interface ArgsByType {
  "aws:ec2/securityGroup:SecurityGroup": aws.ec2.SecurityGroupArgs;
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": aws.ec2.DefaultSecurityGroupArgs;
  "aws:ec2/securityGroupRule:SecurityGroupRule": aws.ec2.SecurityGroupRuleArgs;
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": aws.vpc.SecurityGroupIngressRuleArgs;
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": aws.vpc.SecurityGroupEgressRuleArgs;
  "aws:ec2/subnet:Subnet": aws.ec2.SubnetArgs;
  "aws:ec2/launchTemplate:LaunchTemplate": aws.ec2.LaunchTemplateArgs;
  "aws:ec2/launchConfiguration:LaunchConfiguration": aws.ec2.LaunchConfigurationArgs;
  "aws:ec2/instance:Instance": aws.ec2.InstanceArgs;
  "aws:ebs/volume:Volume": aws.ebs.VolumeArgs;
  "aws:autoscaling/group:Group": aws.autoscaling.GroupArgs;
  "aws:autoscaling/policy:Policy": aws.autoscaling.PolicyArgs;
  "aws:autoscaling/schedule:Schedule": aws.autoscaling.ScheduleArgs;
  "aws:dlm/lifecyclePolicy:LifecyclePolicy": aws.dlm.LifecyclePolicyArgs;
  "aws:cloudwatch/metricAlarm:MetricAlarm": aws.cloudwatch.MetricAlarmArgs;
  "aws:lambda/function:Function": aws.lambda.FunctionArgs;
  "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig": aws.lambda.FunctionEventInvokeConfigArgs;
  "aws:sns/topic:Topic": aws.sns.TopicArgs;
  "aws:sns/topicPolicy:TopicPolicy": aws.sns.TopicPolicyArgs;
  "aws:elb/loadBalancer:LoadBalancer": aws.elb.LoadBalancerArgs;
  "aws:elb/loadBalancerPolicy:LoadBalancerPolicy": aws.elb.LoadBalancerPolicyArgs;
  "aws:elb/listenerPolicy:ListenerPolicy": aws.elb.ListenerPolicyArgs;
  "aws:elb/attachment:Attachment": aws.elb.AttachmentArgs;
  "aws:lb/listener:Listener": aws.lb.ListenerArgs;
  "aws:lb/loadBalancer:LoadBalancer": aws.lb.LoadBalancerArgs;
  "aws:lb/targetGroupAttachment:TargetGroupAttachment": aws.lb.TargetGroupAttachmentArgs;
  "aws:autoscaling/attachment:Attachment": aws.autoscaling.AttachmentArgs;
  "aws:lambda/functionUrl:FunctionUrl": aws.lambda.FunctionUrlArgs;
  "aws:lambda/permission:Permission": aws.lambda.PermissionArgs;
  "aws:cloudwatch/logGroup:LogGroup": aws.cloudwatch.LogGroupArgs;
  "aws:sns/topicSubscription:TopicSubscription": aws.sns.TopicSubscriptionArgs;
  "pulumi:providers:aws": aws.ProviderArgs;
  "pillar:network:Network": NetworkOutputs;
}

export type TypeToken = keyof ArgsByType;

/** What a policy sees for a resource: its Args with every Input resolved. */
export type PropsOf<K extends TypeToken> = pulumi.Unwrap<ArgsByType[K]>;

/** Outputs a resource has once created (ids, ARNs) that are not among its Args. */
export interface CreatedOutputs {
  id?: string;
  arn?: string;
}

/** A value not known until apply, where a `T` is expected. */
export function unknown<T>(): T {
  return UNKNOWN as unknown as T;
}

/** A value the engine delivers as a Pulumi secret, where a `T` is expected. */
export function secret<T>(value: T): T {
  return new Secret(value) as unknown as T;
}

// @pulumi/policy exports these at runtime (index.js) but its typings strip them as @internal.
const { unknownCheckingProxy, UnknownValueError } = policySdk as unknown as {
  unknownCheckingProxy: (props: object) => unknown;
  UnknownValueError: new (...args: never[]) => Error;
};

const STACK = "prod";
const PROJECT = "pillar";

function urnOf(type: string, name: string, parentType?: string): string {
  const qualified = parentType ? `${parentType}$${type}` : type;
  return `urn:pulumi:${STACK}::${PROJECT}::${qualified}::${name}`;
}

function proxied(props: object): Record<string, unknown> {
  return unknownCheckingProxy(props) as Record<string, unknown>;
}

const OPTIONS = {
  protect: false,
  ignoreChanges: [],
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: [],
};

class NotApplicable extends Error {}

function notApplicable(reason?: string): never {
  throw new NotApplicable(reason);
}

export interface ResourceArgsOptions {
  readonly name?: string;
  readonly config?: object;
  readonly provider?: PolicyProviderResource;
  readonly outputs?: CreatedOutputs;
}

/** ResourceValidationArgs for one resource, as @pulumi/policy's server builds them. */
export function resourceArgs<K extends TypeToken>(
  type: K,
  props: PropsOf<K>,
  options: ResourceArgsOptions = {},
): ResourceValidationArgs {
  const name = options.name ?? "subject";
  const wrapped = proxied({ ...(props as object), ...options.outputs });
  return {
    type,
    props: wrapped,
    urn: urnOf(type, name),
    name,
    opts: { ...OPTIONS },
    provider: options.provider,
    stackTags: new Map(),
    isType: () => false,
    asType: () => undefined,
    getConfig: <T extends object>() => (options.config ?? {}) as T,
    notApplicable,
  };
}

export interface AddOptions {
  readonly parent?: PolicyResource;
  readonly dependsOn?: readonly PolicyResource[];
  /** Which resources each input was computed from, keyed by input name. */
  readonly propertyDependencies?: Readonly<Record<string, readonly PolicyResource[]>>;
  readonly provider?: PolicyProviderResource;
  readonly outputs?: CreatedOutputs;
  /** Resource options the engine sends (protect, ignoreChanges, ...), over the defaults. */
  readonly opts?: Partial<PolicyResourceOptions>;
}

/** Builds the resource graph a stack policy receives: parents, dependencies, property dependencies. */
export class StackBuilder {
  private readonly resources: PolicyResource[] = [];

  add<K extends TypeToken>(
    type: K,
    name: string,
    props: PropsOf<K>,
    options: AddOptions = {},
  ): PolicyResource {
    const propertyDependencies: Record<string, PolicyResource[]> = {};
    for (const [key, deps] of Object.entries(options.propertyDependencies ?? {})) {
      propertyDependencies[key] = [...deps];
    }
    const dependencies = [
      ...new Set([...(options.dependsOn ?? []), ...Object.values(propertyDependencies).flat()]),
    ];
    const resource: PolicyResource = {
      type,
      props: proxied({ ...(props as object), ...options.outputs }),
      urn: urnOf(type, name, options.parent?.type),
      name,
      opts: { ...OPTIONS, ...options.opts, parent: options.parent?.urn },
      provider: options.provider,
      parent: options.parent,
      dependencies,
      propertyDependencies,
      isType: () => false,
      asType: () => undefined,
    };
    this.resources.push(resource);
    return resource;
  }

  args(config: object = {}): StackValidationArgs {
    return {
      resources: [...this.resources],
      stackTags: new Map(),
      getConfig: <T extends object>() => config as T,
      notApplicable,
    };
  }
}

/** The provider a resource names, as `args.provider` carries it. */
export function providerResource(
  name: string,
  props: PropsOf<"pulumi:providers:aws">,
): PolicyProviderResource {
  return {
    type: "pulumi:providers:aws",
    props: proxied(props),
    urn: urnOf("pulumi:providers:aws", name),
    name,
  };
}

function isStackPolicy(policy: Policy): policy is StackValidationPolicy {
  return "validateStack" in policy;
}

/**
 * Runs a policy like @pulumi/policy's server: an `UnknownValueError` escaping the policy becomes a
 * "can't run" note — which for the real server means an advisory-only outcome — so a test sees it.
 */
export async function violations(
  policy: ResourceValidationPolicy | StackValidationPolicy,
  args: ResourceValidationArgs | StackValidationArgs,
): Promise<string[]> {
  const found: string[] = [];
  const report = (message: string): void => {
    found.push(message);
  };
  const run = async (validate: () => Promise<void> | void): Promise<void> => {
    try {
      await validate();
    } catch (e) {
      if (e instanceof UnknownValueError) {
        found.push(`can't run policy during preview: ${e.message}`);
      } else if (!(e instanceof NotApplicable)) {
        throw e;
      }
    }
  };
  if (isStackPolicy(policy)) {
    await run(() => policy.validateStack(args as StackValidationArgs, report));
  } else {
    const validations = policy.validateResource ?? [];
    for (const validate of Array.isArray(validations) ? validations : [validations]) {
      await run(() => validate(args as ResourceValidationArgs, report));
    }
  }
  return found;
}

/** Asserts the policy reports exactly `message` (among possibly others). */
export async function assertHasViolation(
  policy: ResourceValidationPolicy | StackValidationPolicy,
  args: ResourceValidationArgs | StackValidationArgs,
  message: string,
): Promise<void> {
  const found = await violations(policy, args);
  assert.ok(
    found.includes(message),
    `expected violation:\n  ${message}\ngot:\n  ${found.join("\n  ") || "(none)"}`,
  );
}

/** Asserts the policy reports exactly these messages, in order. */
export async function assertViolations(
  policy: ResourceValidationPolicy | StackValidationPolicy,
  args: ResourceValidationArgs | StackValidationArgs,
  messages: readonly string[],
): Promise<void> {
  assert.deepEqual(await violations(policy, args), messages);
}

export async function assertNoViolations(
  policy: ResourceValidationPolicy | StackValidationPolicy,
  args: ResourceValidationArgs | StackValidationArgs,
): Promise<void> {
  assert.deepEqual(await violations(policy, args), []);
}

/** Every violation the whole pack reports for a stack, as "policy-name: message", like a preview would. */
export async function packViolations(
  policies: readonly (ResourceValidationPolicy | StackValidationPolicy)[],
  stack: StackValidationArgs,
  config: Readonly<Record<string, object>> = {},
): Promise<string[]> {
  const out: string[] = [];
  for (const policy of policies) {
    const getConfig = <T extends object>() => (config[policy.name] ?? {}) as T;
    if (isStackPolicy(policy)) {
      const found = await violations(policy, { ...stack, getConfig });
      out.push(...found.map((m) => `${policy.name}: ${m}`));
      continue;
    }
    for (const r of stack.resources) {
      const args: ResourceValidationArgs = {
        type: r.type,
        props: r.props,
        urn: r.urn,
        name: r.name,
        opts: r.opts,
        provider: r.provider,
        stackTags: stack.stackTags,
        isType: () => false,
        asType: () => undefined,
        getConfig,
        notApplicable,
      };
      const found = await violations(policy, args);
      out.push(...found.map((m) => `${policy.name}: ${m}`));
    }
  }
  return out;
}
