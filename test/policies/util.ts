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
import { AWS_PROVIDER_TYPE, TYPES } from "../../provider/types";

/** Outputs the Network component registers (components/network.ts). */
export interface NetworkOutputs {
  vpcId: string;
  defaultSecurityGroupId: string;
  publicSubnetIds: string[];
  privateSubnetIds: string[];
}

/** The props each type token carries, from the real resource classes' Args. */
export interface ArgsByType {
  [TYPES.ec2.SecurityGroup]: aws.ec2.SecurityGroupArgs;
  [TYPES.ec2.DefaultSecurityGroup]: aws.ec2.DefaultSecurityGroupArgs;
  [TYPES.ec2.SecurityGroupRule]: aws.ec2.SecurityGroupRuleArgs;
  [TYPES.vpc.SecurityGroupIngressRule]: aws.vpc.SecurityGroupIngressRuleArgs;
  [TYPES.vpc.SecurityGroupEgressRule]: aws.vpc.SecurityGroupEgressRuleArgs;
  [TYPES.ec2.Subnet]: aws.ec2.SubnetArgs;
  [TYPES.ec2.LaunchTemplate]: aws.ec2.LaunchTemplateArgs;
  [TYPES.ec2.LaunchConfiguration]: aws.ec2.LaunchConfigurationArgs;
  [TYPES.ec2.Instance]: aws.ec2.InstanceArgs;
  [TYPES.ebs.Volume]: aws.ebs.VolumeArgs;
  [TYPES.autoscaling.Group]: aws.autoscaling.GroupArgs;
  [TYPES.autoscaling.Policy]: aws.autoscaling.PolicyArgs;
  [TYPES.autoscaling.Schedule]: aws.autoscaling.ScheduleArgs;
  [TYPES.dlm.LifecyclePolicy]: aws.dlm.LifecyclePolicyArgs;
  [TYPES.cloudwatch.MetricAlarm]: aws.cloudwatch.MetricAlarmArgs;
  [TYPES.lambda.Function]: aws.lambda.FunctionArgs;
  [TYPES.lambda.FunctionEventInvokeConfig]: aws.lambda.FunctionEventInvokeConfigArgs;
  [TYPES.sns.Topic]: aws.sns.TopicArgs;
  [TYPES.sns.TopicPolicy]: aws.sns.TopicPolicyArgs;
  [TYPES.elb.LoadBalancer]: aws.elb.LoadBalancerArgs;
  [TYPES.elb.LoadBalancerPolicy]: aws.elb.LoadBalancerPolicyArgs;
  [TYPES.elb.ListenerPolicy]: aws.elb.ListenerPolicyArgs;
  [TYPES.elb.Attachment]: aws.elb.AttachmentArgs;
  [TYPES.lb.Listener]: aws.lb.ListenerArgs;
  [TYPES.lb.LoadBalancer]: aws.lb.LoadBalancerArgs;
  [TYPES.lb.TargetGroupAttachment]: aws.lb.TargetGroupAttachmentArgs;
  [TYPES.autoscaling.Attachment]: aws.autoscaling.AttachmentArgs;
  [TYPES.lambda.FunctionUrl]: aws.lambda.FunctionUrlArgs;
  [TYPES.lambda.Permission]: aws.lambda.PermissionArgs;
  [TYPES.cloudwatch.LogGroup]: aws.cloudwatch.LogGroupArgs;
  [TYPES.sns.TopicSubscription]: aws.sns.TopicSubscriptionArgs;
  [AWS_PROVIDER_TYPE]: aws.ProviderArgs;
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
  props: PropsOf<typeof AWS_PROVIDER_TYPE>,
): PolicyProviderResource {
  return {
    type: AWS_PROVIDER_TYPE,
    props: proxied(props),
    urn: urnOf(AWS_PROVIDER_TYPE, name),
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
