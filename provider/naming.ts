/**
 * Physical names as the AWS provider computes them at preview: an explicit name wins; a name prefix
 * leaves the name to Terraform at create; otherwise the provider auto-names the resource from its
 * logical name, shaped by the engine's `pulumi:autonaming` options.
 *
 * Sources:
 * - pulumi-aws provider/autonaming.go: every resource with an input `name` gets
 *   `tfbridge.AutoName("name", 255, "-")` unless provider/resources.go sets its own;
 *   provider/resources.go: aws_iam_role `name` 64, aws_lambda_function `function_name`→`name` 64,
 *   aws_lambda_permission `statement_id` 100, aws_sns_topic and aws_sqs_queue `name` 80 with
 *   `.fifo` appended for FIFO, aws_key_pair `key_name` 255, aws_cloudwatch_metric_alarm
 *   `alarm_name`→`name` 255; aws_elb (classic) has no override, so 255; provider/aliases.go:
 *   aws_lb_target_group `name` 32, aws_lb none (so 255, and the TF validator's 32 refuses the rest).
 * - pulumi-terraform-bridge pkg/tfbridge/info/autonaming.go (ComputeAutoNameDefault): the default is
 *   `<logical><separator><7 random hex>`; too long is an error, not a truncation; a proposed name is
 *   transformed and length-checked; an enforced name is used as it is; disabled is an error.
 *   pulumi/pulumi sdk/go/common/resource/resource_id.go (NewUniqueName) words the length error.
 * - A conflicting `namePrefix` stops the bridge's default (pkg/tfbridge/schema.go ConflictsWith), and
 *   Terraform appends a 26-character unique id at create (internal/create naming, id.UniqueIDSuffixLength).
 *
 * The offline random suffix is the first hex digits of SHA-256 over the URN, so a plan is reproducible.
 *
 * To add a type: one entry in NAMING below, keyed by its token, with the property that holds the name,
 * where the name must be unique, and the bridge's auto-name options if it has any (cite the line).
 */
import { createHash } from "node:crypto";
import {
  specialSecretSig as SECRET_SIG,
  specialSigKey as SIG_KEY,
  unknownValue as UNKNOWN_SENTINEL,
} from "@pulumi/pulumi/runtime/rpc";
import { AutonamingModel, engineAutonaming, SeededRandom } from "../config/autonaming";
import type { RegisteredResource } from "./resource";
import { TYPES } from "./types";

/** The bridge's AutoNameOptions. */
export interface AutonameOptions {
  readonly maxLength: number;
  readonly separator: string;
  readonly randomLength: number;
  /** Characters of the random part; hex digits when absent. */
  readonly charset?: string;
  readonly transform?: (name: string) => string;
  /** Applied after the name is made (not to an enforced name), e.g. `.fifo` for FIFO topics and queues. */
  readonly postTransform?: (name: string, inputs: Readonly<Record<string, unknown>>) => string;
}

/** Where a physical name must be unique, for the plan's duplicate check. */
export type NameScope = (r: RegisteredResource) => string;

export interface NamingSpec {
  /** The input property that holds the physical name. */
  readonly property: string;
  /** How people call the thing (for messages): "security group", "IAM role". */
  readonly what: string;
  readonly scope: NameScope;
  /** AWS compares these names without regard to case (security groups, IAM). */
  readonly caseInsensitive?: boolean;
  /** The bridge's auto-naming; absent when the name is a required input. */
  readonly autoname?: AutonameOptions;
}

const DEFAULT_AUTONAME: AutonameOptions = { maxLength: 255, separator: "-", randomLength: 7 };
const fifo =
  (flag: string) =>
  (name: string, inputs: Readonly<Record<string, unknown>>): string =>
    unwrap(inputs[flag]) === true ? `${name}.fifo` : name;

/** A reference input's identity: its value when known, else the resource its value comes from. */
export function referenceKey(r: RegisteredResource, property: string): string {
  const v = unwrap(r.wireInputs[property]);
  if (typeof v === "string" && v !== UNKNOWN_SENTINEL) return v;
  const dep = r.propertyDependencies[property]?.[0];
  return dep !== undefined ? `the output of ${dep}` : "(unknown)";
}

const region: NameScope = () => "the region";
const account: NameScope = () => "the account";
const within =
  (what: string, property: string): NameScope =>
  (r) =>
    `${what} ${referenceKey(r, property)}`;

/** Every named type the program creates; others add theirs here. */
export const NAMING: Readonly<Record<string, NamingSpec>> = {
  [TYPES.ec2.SecurityGroup]: {
    property: "name",
    what: "security group",
    // CreateSecurityGroup: "Names are case-insensitive and must be unique within the VPC."
    scope: within("VPC", "vpcId"),
    caseInsensitive: true,
    autoname: DEFAULT_AUTONAME,
  },
  [TYPES.elb.LoadBalancer]: {
    property: "name",
    what: "classic load balancer",
    scope: region,
    autoname: DEFAULT_AUTONAME,
  },
  // pulumi-aws provider/aliases.go registers aws_lb with no resource info, so the provider-wide
  // AutoName("name", 255, "-") of provider/autonaming.go applies: a logical name over 24 characters
  // makes a name the TF validator (32) refuses. Names are unique per region among load balancers of
  // one type (terraform-provider-aws elbv2/load_balancer.go create: findLoadBalancer, same type only).
  [TYPES.lb.LoadBalancer]: {
    property: "name",
    what: "application load balancer",
    scope: region,
    autoname: DEFAULT_AUTONAME,
  },
  // pulumi-aws provider/aliases.go: aws_lb_target_group `name` is tfbridge.AutoName("name", 32, "-").
  [TYPES.lb.TargetGroup]: {
    property: "name",
    what: "target group",
    scope: region,
    autoname: { ...DEFAULT_AUTONAME, maxLength: 32 },
  },
  [TYPES.elb.LoadBalancerPolicy]: {
    property: "policyName",
    what: "load balancer policy",
    scope: within("load balancer", "loadBalancerName"),
  },
  [TYPES.ec2.LaunchTemplate]: {
    property: "name",
    what: "launch template",
    scope: region,
    autoname: DEFAULT_AUTONAME,
  },
  [TYPES.ec2.KeyPair]: {
    property: "keyName",
    what: "key pair",
    scope: region,
    autoname: DEFAULT_AUTONAME,
  },
  [TYPES.iam.Role]: {
    property: "name",
    what: "IAM role",
    // IAM: "names are not distinguished by case"; roles are global to the account.
    scope: account,
    caseInsensitive: true,
    autoname: { ...DEFAULT_AUTONAME, maxLength: 64 },
  },
  [TYPES.iam.RolePolicy]: {
    property: "name",
    what: "inline role policy",
    scope: within("role", "role"),
    autoname: DEFAULT_AUTONAME,
  },
  [TYPES.iam.InstanceProfile]: {
    property: "name",
    what: "instance profile",
    scope: account,
    caseInsensitive: true,
    autoname: DEFAULT_AUTONAME,
  },
  [TYPES.sns.Topic]: {
    property: "name",
    what: "SNS topic",
    scope: region,
    autoname: { ...DEFAULT_AUTONAME, maxLength: 80, postTransform: fifo("fifoTopic") },
  },
  [TYPES.sqs.Queue]: {
    property: "name",
    what: "SQS queue",
    scope: region,
    autoname: { ...DEFAULT_AUTONAME, maxLength: 80, postTransform: fifo("fifoQueue") },
  },
  [TYPES.dynamodb.Table]: {
    property: "name",
    what: "DynamoDB table",
    scope: region,
    autoname: DEFAULT_AUTONAME,
  },
  [TYPES.cloudwatch.MetricAlarm]: {
    property: "name",
    what: "CloudWatch alarm",
    scope: region,
    autoname: DEFAULT_AUTONAME,
  },
  [TYPES.cloudwatch.LogGroup]: {
    property: "name",
    what: "log group",
    scope: region,
    autoname: DEFAULT_AUTONAME,
  },
  [TYPES.autoscaling.Group]: {
    property: "name",
    what: "Auto Scaling group",
    scope: region,
    autoname: DEFAULT_AUTONAME,
  },
  [TYPES.autoscaling.Policy]: {
    property: "name",
    what: "scaling policy",
    scope: within("Auto Scaling group", "autoscalingGroupName"),
    autoname: DEFAULT_AUTONAME,
  },
  [TYPES.autoscaling.Schedule]: {
    // A required input, no auto-name (terraform-provider-aws autoscaling/schedule.go); a second
    // PutScheduledUpdateGroupAction with the same name in the group updates the first.
    property: "scheduledActionName",
    what: "scheduled action",
    scope: within("Auto Scaling group", "autoscalingGroupName"),
  },
  [TYPES.ssm.Document]: {
    property: "name",
    what: "SSM document",
    scope: region,
    autoname: DEFAULT_AUTONAME,
  },
  [TYPES.lambda.Function]: {
    property: "name",
    what: "Lambda function",
    scope: region,
    autoname: { ...DEFAULT_AUTONAME, maxLength: 64 },
  },
  [TYPES.lambda.Permission]: {
    property: "statementId",
    what: "Lambda permission statement",
    scope: within("function", "function"),
    autoname: { ...DEFAULT_AUTONAME, maxLength: 100 },
  },
};

/** How the physical name came about. */
export type NameSource = "explicit" | "prefix" | "auto" | "proposed" | "enforced";

export interface PhysicalName {
  readonly property: string;
  /** The name, when known at preview. */
  readonly value?: string;
  readonly source: NameSource;
  /** For source "auto": the characters the provider adds after the logical name. */
  readonly suffixLength?: number;
  /** For source "prefix": the prefix Terraform extends at create. */
  readonly prefix?: string;
  /** The provider's error when it cannot name the resource (too long, naming disabled). */
  readonly error?: string;
}

/** A wire value with a secret's wrapper removed. */
export function unwrap(v: unknown): unknown {
  if (v !== null && typeof v === "object" && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    if (o[SIG_KEY] === SECRET_SIG) return unwrap(o.value);
  }
  return v;
}

function hexSuffix(urn: string, n: number): string {
  return createHash("sha256").update(urn).digest("hex").slice(0, n);
}

function randomPart(urn: string, o: AutonameOptions): string {
  if (o.charset === undefined) return hexSuffix(urn, o.randomLength);
  const r = new SeededRandom(urn);
  let s = "";
  for (let i = 0; i < o.randomLength; i++) s += o.charset[r.intn(o.charset.length)];
  return s;
}

/** Go's len(): bytes of the UTF-8 encoding. */
const byteLength = (s: string): number => Buffer.byteLength(s, "utf8");

/**
 * The bridge's ComputeAutoNameDefault for a resource with no name given: the name, or the error
 * the provider's Check would return.
 */
export function autoname(
  type: string,
  logicalName: string,
  urn: string,
  inputs: Readonly<Record<string, unknown>>,
  o: AutonameOptions,
  autonaming: AutonamingModel | undefined,
): Omit<PhysicalName, "property"> {
  const engine = engineAutonaming(autonaming, type, logicalName, urn);
  let vs = o.transform ? o.transform(logicalName) : logicalName;
  let source: NameSource = "auto";
  let suffixLength: number | undefined;
  if (engine === undefined) {
    const prefix = vs + o.separator;
    if (o.maxLength > 0 && byteLength(prefix) + o.randomLength > o.maxLength)
      return {
        source,
        error: `could not make instance of '${type}': name '${prefix}' plus ${o.randomLength} random chars is longer than maximum length ${o.maxLength}`,
      };
    vs = prefix + randomPart(urn, o);
    suffixLength = o.separator.length + o.randomLength;
  } else if (engine.mode === "enforce") {
    return { source: "enforced", value: engine.proposedName! };
  } else if (engine.mode === "disable") {
    return { source, error: "automatic naming is disabled but no explicit name was provided" };
  } else {
    source = "proposed";
    vs = o.transform ? o.transform(engine.proposedName!) : engine.proposedName!;
    if (o.maxLength > 0 && byteLength(vs) > o.maxLength)
      return { source, error: `calculated name '${vs}' exceeds maximum length of ${o.maxLength}` };
    if (o.charset !== undefined) {
      if (!o.charset.includes("-")) vs = vs.split("-").join(o.separator);
      if (!o.charset.includes("_")) vs = vs.split("_").join(o.separator);
      const bad = [...vs].find((c) => !o.charset!.includes(c));
      if (bad !== undefined)
        return {
          source,
          error: `calculated name '${vs}' contains invalid character '${bad}' not in charset '${o.charset}'`,
        };
    }
  }
  const value = o.postTransform ? o.postTransform(vs, inputs) : vs;
  return { source, value, ...(suffixLength !== undefined ? { suffixLength } : {}) };
}

/** The physical name of a recorded resource, or undefined for a type without one. */
export function physicalName(
  r: Pick<RegisteredResource, "type" | "name" | "urn" | "wireInputs">,
  autonaming: AutonamingModel | undefined,
): PhysicalName | undefined {
  const spec = NAMING[r.type];
  if (!spec) return undefined;
  const given = unwrap(r.wireInputs[spec.property]);
  if (given !== undefined && given !== null) {
    return typeof given === "string" && given !== UNKNOWN_SENTINEL
      ? { property: spec.property, source: "explicit", value: given }
      : { property: spec.property, source: "explicit" };
  }
  const prefix = unwrap(r.wireInputs.namePrefix);
  if (prefix !== undefined && prefix !== null) {
    return {
      property: spec.property,
      source: "prefix",
      ...(typeof prefix === "string" && prefix !== UNKNOWN_SENTINEL ? { prefix } : {}),
    };
  }
  if (!spec.autoname) return { property: spec.property, source: "explicit" };
  return {
    ...autoname(r.type, r.name, r.urn, r.wireInputs, spec.autoname, autonaming),
    property: spec.property,
  };
}

/** How the plan shows a physical name: the name, or why it is not known yet. */
export function displayName(p: PhysicalName): string {
  if (p.error !== undefined) return `(the provider cannot name it: ${p.error})`;
  if (p.value !== undefined) return p.value;
  if (p.source === "prefix") return `${p.prefix ?? "(known after apply)"}<unique suffix at create>`;
  return "(known after apply)";
}
