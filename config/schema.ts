/**
 * JSON Schema (draft 2020-12) for every `pillar:` config key, in the seed's own shapes. Shapes only:
 * cross-references (group, ELB, policy and profile names, subnets, regions) are checked by the loader
 * after the shapes pass, so every message can list the names that do exist.
 */

import { LOG_RETENTION_DAYS } from "../scripts/lib/provider/rules/cloudwatch";

type Schema = Record<string, unknown>;

const str: Schema = { type: "string", minLength: 1, description: "a non-empty string" };
const strList: Schema = { type: "array", items: str };

/**
 * Whole numbers, where YAML or `pulumi config set` may give numeric strings: the validator turns a
 * numeric string into its number before checking ranges (validate.ts), so `"0"` meets `minimum`.
 * `description` is what an error says was expected, in words.
 */
function intSchema(min?: number, max?: number, what = "a whole number", words?: string): Schema {
  const range =
    min !== undefined && max !== undefined
      ? ` ${min}–${max}`
      : min !== undefined
        ? min === 0
          ? " of 0 or more"
          : ` of at least ${min}`
        : max !== undefined
          ? ` of at most ${max}`
          : "";
  return {
    type: ["integer", "string"],
    pattern: "^-?[0-9]+$",
    ...(min !== undefined ? { minimum: min } : {}),
    ...(max !== undefined ? { maximum: max } : {}),
    description: words ?? `${what}${range}`,
  };
}
const int: Schema = intSchema();
const nonNegInt: Schema = intSchema(0);
const num: Schema = {
  type: ["number", "string"],
  pattern: "^-?[0-9]+(\\.[0-9]+)?$",
  description: "a number",
};
const port: Schema = intSchema(1, 65535, "a port number");
const rulePort: Schema = intSchema(-1, 65535, "", "a port number 0–65535 (or -1: every ICMP type or code)");
const bool: Schema = { type: ["boolean", "string"], enum: [true, false, "true", "false", "True", "False"] };
const strOrList: Schema = {
  type: ["string", "array"],
  minLength: 1,
  items: str,
  minItems: 1,
  description: "a non-empty string or a list of them",
};
/** Names made of letters, digits and `. _ -`, which pillar turns into resource names. */
const resourceName = (max: number): Schema => ({
  type: "string",
  pattern: "^[A-Za-z0-9._-]+$",
  maxLength: max,
  description: `a name of 1–${max} letters, digits and . _ -`,
});
const VPC_ID: Schema = {
  type: "string",
  pattern: "^vpc-[0-9a-f]{7,17}$",
  description: "a VPC id (vpc- and 8 or 17 hex digits)",
};
const SUBNET_ID: Schema = {
  type: "string",
  pattern: "^subnet-[0-9a-f]{7,17}$",
  description: "a subnet id (subnet- and 8 or 17 hex digits)",
};
/** CloudWatch takes at most 5 actions of each kind (terraform-provider-aws metric_alarm.go MaxItems 5). */
const ALARM_ACTIONS: Schema = { type: "array", items: str, maxItems: 5 };
const grains: Schema = {
  type: "object",
  additionalProperties: {
    type: ["string", "number", "boolean", "array"],
    items: { type: ["string", "number"] },
  },
};
const tags: Schema = { type: "object", additionalProperties: { type: ["string", "number", "boolean"] } };

const blockDevice: Schema = {
  type: "object",
  required: ["DeviceName"],
  additionalProperties: false,
  properties: {
    DeviceName: { type: "string", pattern: "^/dev/[a-z0-9]+$", description: "a device name like /dev/sda1" },
    "Ebs.VolumeSize": intSchema(1, undefined, "a volume size in GiB"),
    "Ebs.VolumeType": { enum: ["gp3", "gp2", "io1", "io2", "st1", "sc1", "standard"] },
    "Ebs.Iops": nonNegInt,
    "Ebs.Throughput": nonNegInt,
    "Ebs.Encrypted": bool,
    "Ebs.KmsKeyId": str,
    "Ebs.DeleteOnTermination": bool,
  },
};

const image: Schema = {
  type: ["string", "object"],
  pattern: "^ami-[0-9a-f]{7,17}$",
  description: "an AMI id (ami- and 8 or 17 hex digits) or a lookup {owners, name}",
  required: ["owners", "name"],
  additionalProperties: false,
  properties: { owners: { ...strList, minItems: 1 }, name: str, architecture: { enum: ["x86_64", "arm64"] } },
};

const rule: Schema = {
  type: "object",
  required: ["ip_protocol", "cidr_ip"],
  additionalProperties: false,
  properties: {
    ip_protocol: { type: ["string", "integer"] },
    from_port: rulePort,
    to_port: rulePort,
    cidr_ip: strOrList,
    description: { ...str, maxLength: 255, description: "a rule description of at most 255 characters" },
  },
};

const provider: Schema = {
  type: "object",
  additionalProperties: false,
  properties: {
    provider: { const: "ec2" },
    region: {
      type: "string",
      pattern: "^[a-z]{2}(-[a-z]+)+-[0-9]+$",
      description: "an AWS region like us-east-1",
    },
    profile: str,
    id: {},
    key: {},
    keyname: str,
    public_key: {
      type: "string",
      pattern: "^(ssh-(rsa|ed25519)|ecdsa-sha2-nistp(256|384|521)) ",
      description:
        "an OpenSSH public key (ssh-rsa, ssh-ed25519 or ecdsa-sha2-nistp256/384/521, then the key)",
    },
    private_key: str,
    ssh_username: strOrList,
    ssh_interface: { enum: ["private_ips", "public_ips"] },
    minion: { type: "object", properties: { master: str }, additionalProperties: true },
    delete_sshkeys: bool,
    rename_on_destroy: bool,
    env: str,
    default_tags: tags,
  },
};

const profile: Schema = {
  type: "object",
  required: ["size"],
  additionalProperties: false,
  properties: {
    provider: str,
    size: str,
    image,
    ssh_interface: { enum: ["private_ips", "public_ips"] },
    ssh_username: str,
    block_device_mappings: { type: "array", items: blockDevice },
    subnetid: str,
    security_groups: strList,
    grains,
    keyname: str,
    count: intSchema(1, undefined, "a count"),
    stateful: bool,
    // Ranges and forms are checked by the loader (config/dayTwo.ts), which can say them in words.
    snapshots: {
      type: "object",
      additionalProperties: false,
      properties: { interval_hours: int, time: str, cron: str, retain: int },
    },
  },
};

const securityGroup: Schema = {
  type: "object",
  required: ["name", "rules"],
  additionalProperties: false,
  properties: {
    name: {
      type: "string",
      pattern: "^[A-Za-z0-9][A-Za-z0-9._-]*$",
      description: "a group name of letters, digits and . _ -, starting with a letter or digit",
    },
    description: { type: "string", maxLength: 255, description: "a description of at most 255 characters" },
    vpc_id: VPC_ID,
    rules: { type: "array", items: rule },
    rules_egress: { type: "array", items: rule },
    tags,
  },
};

const listener: Schema = {
  type: "object",
  required: ["elb_port", "instance_port", "elb_protocol"],
  additionalProperties: false,
  properties: {
    elb_port: port,
    instance_port: port,
    elb_protocol: { enum: ["HTTP", "HTTPS", "TCP", "SSL", "http", "https", "tcp", "ssl"] },
    instance_protocol: { enum: ["HTTP", "HTTPS", "TCP", "SSL", "http", "https", "tcp", "ssl"] },
    certificate: {
      type: "string",
      pattern: "^arn:aws[a-z-]*:(iam::[0-9]{12}:server-certificate/|acm:[a-z0-9-]+:[0-9]{12}:certificate/).+",
      description:
        "an IAM server certificate ARN (arn:aws:iam::…:server-certificate/…) or ACM certificate ARN",
    },
  },
};

const elb: Schema = {
  type: "object",
  required: ["name", "listeners", "subnets"],
  additionalProperties: false,
  properties: {
    name: {
      type: "string",
      pattern: "^[A-Za-z0-9-]{1,32}$",
      description: "1–32 letters, digits and hyphens",
    },
    listeners: { type: "array", minItems: 1, items: listener },
    subnets: { ...strList, minItems: 1 },
    health_check: {
      type: "object",
      required: ["target"],
      additionalProperties: false,
      properties: {
        target: str,
        interval: intSchema(5, 300, "seconds"),
        timeout: intSchema(2, 60, "seconds"),
        healthy_threshold: intSchema(2, 10, "a count"),
        unhealthy_threshold: intSchema(2, 10, "a count"),
      },
    },
    attributes: {
      type: "object",
      additionalProperties: false,
      properties: {
        cross_zone_load_balancing: {
          type: "object",
          properties: { enabled: bool },
          additionalProperties: false,
        },
        connection_draining: {
          type: "object",
          properties: { enabled: bool, timeout: intSchema(1, 3600, "seconds") },
          additionalProperties: false,
        },
        connecting_settings: {
          type: "object",
          properties: { idle_timeout: intSchema(1, 4000, "seconds") },
          additionalProperties: false,
        },
        access_log: {
          type: "object",
          required: ["s3_bucket_name"],
          properties: {
            enabled: bool,
            s3_bucket_name: str,
            s3_bucket_prefix: { type: "string" },
            emit_interval: { enum: [5, 60, "5", "60"] },
          },
          additionalProperties: false,
        },
      },
    },
    security_groups: strList,
    ssl_policy: str,
    scheme: { enum: ["internet-facing", "internal"] },
  },
};

const launchConfigItem: Schema = {
  type: "object",
  minProperties: 1,
  maxProperties: 1,
  additionalProperties: false,
  properties: {
    image_id: image,
    key_name: str,
    instance_type: str,
    security_groups: strList,
    region: str,
    user_data: { type: "string" },
    block_device_mappings: { type: "array", items: blockDevice },
    instance_profile_name: str,
    associate_public_ip_address: bool,
    ebs_optimized: bool,
    instance_monitoring: bool,
  },
};

const scalingPolicy: Schema = {
  type: "object",
  required: ["name"],
  additionalProperties: false,
  properties: {
    name: resourceName(255),
    as_name: str,
    adjustment_type: { enum: ["ChangeInCapacity", "PercentChangeInCapacity", "ExactCapacity"] },
    scaling_adjustment: int,
    cooldown: nonNegInt,
    min_adjustment_magnitude: intSchema(1),
    target_tracking: {
      type: "object",
      required: ["metric", "target_value"],
      additionalProperties: false,
      properties: {
        metric: { enum: ["ASGAverageCPUUtilization", "ASGAverageNetworkIn", "ASGAverageNetworkOut"] },
        target_value: num,
        disable_scale_in: bool,
        estimated_instance_warmup: nonNegInt,
      },
    },
  },
};

const autoscaleGroup: Schema = {
  type: "object",
  required: ["name", "min_size", "max_size", "vpc_zone_identifiers", "launch_config"],
  additionalProperties: false,
  properties: {
    name: resourceName(255),
    desired_capacity: nonNegInt,
    min_size: nonNegInt,
    max_size: nonNegInt,
    default_cooldown: nonNegInt,
    vpc_zone_identifiers: { ...strList, minItems: 1 },
    load_balancers: strList,
    health_check_type: { enum: ["EC2", "ELB"] },
    health_check_period: nonNegInt,
    launch_config_name: resourceName(125),
    launch_config: { type: "array", minItems: 1, items: launchConfigItem },
    scaling_policies: { type: "array", items: scalingPolicy },
    reactor_profile: str,
    tags,
    instance_refresh: {
      type: "object",
      additionalProperties: false,
      properties: { min_healthy_percentage: intSchema(0, 100, "a percentage"), instance_warmup: nonNegInt },
    },
    notifications: {
      type: "array",
      items: { enum: ["launch", "launch_error", "terminate", "terminate_error"] },
    },
    manage_desired_capacity: bool,
    warm_pool: {
      type: "object",
      additionalProperties: false,
      properties: {
        min_size: int,
        max_group_prepared_capacity: int,
        pool_state: { enum: ["Stopped", "Hibernated", "Running"] },
        reuse_on_scale_in: bool,
      },
    },
    mixed_instances: {
      type: "object",
      required: ["instance_types"],
      additionalProperties: false,
      properties: {
        instance_types: { ...strList, minItems: 1 },
        on_demand_base_capacity: int,
        on_demand_percentage_above_base: int,
        spot_allocation_strategy: {
          enum: [
            "price-capacity-optimized",
            "capacity-optimized",
            "capacity-optimized-prioritized",
            "lowest-price",
          ],
        },
        capacity_rebalance: bool,
      },
    },
    scheduled_actions: {
      type: "array",
      items: {
        type: "object",
        required: ["name"],
        additionalProperties: false,
        properties: {
          name: str,
          recurrence: str,
          time_zone: str,
          start_time: str,
          end_time: str,
          min_size: int,
          max_size: int,
          desired_capacity: int,
        },
      },
    },
  },
};

const alarm: Schema = {
  type: "object",
  required: ["name", "attributes"],
  additionalProperties: false,
  properties: {
    name: resourceName(255),
    attributes: {
      type: "object",
      required: [
        "metric",
        "namespace",
        "statistic",
        "comparison",
        "threshold",
        "period",
        "evaluation_periods",
      ],
      additionalProperties: false,
      properties: {
        metric: str,
        namespace: str,
        statistic: { enum: ["Average", "Sum", "Minimum", "Maximum", "SampleCount"] },
        comparison: str,
        threshold: num,
        period: intSchema(10, undefined, "a period in seconds"),
        evaluation_periods: intSchema(1, undefined, "a count"),
        datapoints_to_alarm: intSchema(1, undefined, "a count"),
        description: {
          type: "string",
          maxLength: 1024,
          description: "a description of at most 1024 characters",
        },
        unit: str,
        treat_missing_data: { enum: ["missing", "ignore", "breaching", "notBreaching"] },
        alarm_actions: ALARM_ACTIONS,
        ok_actions: ALARM_ACTIONS,
        insufficient_data_actions: ALARM_ACTIONS,
        dimensions: { type: "object", additionalProperties: strOrList },
      },
    },
  },
};

const topic: Schema = {
  type: "object",
  required: ["name"],
  additionalProperties: false,
  properties: {
    name: {
      type: "string",
      pattern: "^[A-Za-z0-9_-]+$",
      maxLength: 256,
      description: "a topic name of letters, digits, _ and -",
    },
    subscriptions: {
      type: "array",
      items: {
        type: "object",
        required: ["protocol", "endpoint"],
        additionalProperties: false,
        properties: { protocol: { enum: ["email", "email-json", "https", "sqs", "lambda"] }, endpoint: str },
      },
    },
  },
};

const reactorProfile: Schema = {
  type: "object",
  additionalProperties: false,
  properties: {
    provider: str,
    ssh_interface: { enum: ["private_ips", "public_ips"] },
    ssh_username: str,
    minion: {
      type: "object",
      additionalProperties: false,
      properties: { startup_states: { ...strOrList }, master: str },
    },
    grains,
    bootstrap: {
      type: "object",
      required: ["document"],
      additionalProperties: false,
      properties: {
        document: str,
        parameters: { type: "object", additionalProperties: strOrList },
        timeout_seconds: intSchema(30, 3600, "seconds"),
      },
    },
  },
};

const reactorSettings: Schema = {
  type: "object",
  additionalProperties: false,
  properties: {
    signature_version: { enum: ["1", "2", 1, 2] },
    runtime: { enum: ["nodejs22.x", "nodejs24.x"] },
    memory_size: intSchema(128, 10240, "a memory size in MB"),
    timeout: intSchema(30, 900, "seconds"),
    reserved_concurrency: intSchema(1, undefined, "a count"),
    deletion_protection: bool,
    alert_email: {
      type: "string",
      pattern: "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$",
      description: "an e-mail address",
    },
    log_retention_days: {
      type: ["integer", "string"],
      enum: [...LOG_RETENTION_DAYS.filter((d) => d > 0)],
    },
    tombstone_ttl_days: intSchema(1, 3650, "days"),
    function_url: bool,
    lifecycle_heartbeat_timeout: intSchema(30, 7200, "seconds"),
    max_message_age: intSchema(60, 315_360_000, "seconds"),
    clock_skew: intSchema(0, 3600, "seconds"),
  },
};

/** Schema per config key, without the `pillar:` prefix. */
export const schemas: Readonly<Record<string, Schema>> = {
  cloud: { type: "object", minProperties: 1, additionalProperties: provider },
  network: {
    type: "object",
    additionalProperties: false,
    properties: {
      vpc_id: VPC_ID,
      public_subnets: { type: "array", items: SUBNET_ID },
      private_subnets: { type: "array", items: SUBNET_ID },
      cidr_block: {
        type: "string",
        pattern: "^[0-9]{1,3}(\\.[0-9]{1,3}){3}/(1[6-9]|2[0-4])$",
        description: "an IPv4 CIDR block from /16 to /24, like 10.20.0.0/16",
      },
      availability_zones: intSchema(2, 6, "a number of availability zones"),
      nat_gateways: { enum: ["single", "one_per_az", "none"] },
    },
  },
  profiles: { type: "object", additionalProperties: profile },
  security_groups: { type: "array", items: securityGroup },
  elb: { ...elb, type: ["object", "array"], items: elb },
  autoscale: {
    type: "object",
    required: ["groups"],
    additionalProperties: false,
    properties: { groups: { type: "array", items: autoscaleGroup }, allowed_instance_types: strList },
  },
  cloudwatch: {
    type: "object",
    additionalProperties: false,
    properties: { alarms: { type: "array", items: alarm }, topics: { type: "array", items: topic } },
  },
  "ec2.autoscale": { type: "object", additionalProperties: reactorProfile },
  reactor: reactorSettings,
};

/** Every config key pillar reads, in the order they are reported. */
export const configKeys = Object.keys(schemas);
