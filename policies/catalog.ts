// Pulumi's policy vocabulary for every policy of the pack (what @pulumi/policy 1.21 carries in
// GetAnalyzerInfo: severity, remediation steps, a URL, a compliance framework, tags), and the peer
// rules each one covers. Kept in one place so policies/README.md's table is generated from it and a
// test holds the two together; all.ts attaches the metadata to the policies.

import { Policy, PolicyComplianceFramework, Severity } from "@pulumi/policy";

export interface Peers {
  /** Checkov ids (bridgecrewio/checkov, docs/5.Policy Index/terraform.md). */
  readonly checkov?: readonly string[];
  /** AWS Security Hub controls (AWS Foundational Security Best Practices). */
  readonly securityHub?: readonly string[];
  /** cdk-nag AwsSolutions rules (cdklabs/cdk-nag RULES.md). */
  readonly cdkNag?: readonly string[];
  /** Trivy checks (aquasecurity/trivy-checks, checks/cloud/aws). */
  readonly trivy?: readonly string[];
}

export interface PolicyMetadata {
  readonly severity: Severity;
  readonly remediationSteps: string;
  readonly url: string;
  readonly tags: readonly string[];
  readonly framework?: PolicyComplianceFramework;
  readonly peers: Peers;
}

/** A Security Hub control as the framework reference: FSBP is the standard its controls belong to. */
function fsbp(reference: string, specification: string): PolicyComplianceFramework {
  return { name: "AWS Foundational Security Best Practices", version: "1.0.0", reference, specification };
}

const AWS = "https://docs.aws.amazon.com";

export const CATALOG: Readonly<Record<string, PolicyMetadata>> = {
  "ec2-ssh-only-from-default-group": {
    severity: "critical",
    remediationSteps:
      "Give every tcp 22 rule (and any all-traffic or port-range rule covering 22) the VPC's default group as its source: in pillar, `cidr_ip: default`. Remove SSH from CIDRs and from other groups.",
    url: `${AWS}/vpc/latest/userguide/security-group-rules.html`,
    tags: ["security", "network", "seed"],
    framework: fsbp("EC2.13", "Security groups should not allow ingress from 0.0.0.0/0 or ::/0 to port 22"),
    peers: {
      checkov: ["CKV_AWS_24"],
      securityHub: ["EC2.13"],
      cdkNag: ["AwsSolutions-EC23"],
      trivy: ["AVD-AWS-0107"],
    },
  },
  "ec2-ingress-world-only-http-https": {
    severity: "critical",
    remediationSteps:
      "Open 0.0.0.0/0 and ::/0 only to single-port tcp 80 and tcp 443 rules; give every other port a narrower source (a CIDR of your network or a security group).",
    url: `${AWS}/vpc/latest/userguide/security-group-rules.html`,
    tags: ["security", "network"],
    framework: fsbp(
      "EC2.18",
      "Security groups should only allow unrestricted incoming traffic for authorized ports",
    ),
    peers: {
      checkov: ["CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_277"],
      securityHub: ["EC2.18", "EC2.19"],
      cdkNag: ["AwsSolutions-EC23"],
      trivy: ["AVD-AWS-0107"],
    },
  },
  "ec2-imdsv2-required": {
    severity: "high",
    remediationSteps:
      'Set metadataOptions.httpTokens "required" on launch templates and instances (at its default level "remediate" the pack does this itself where nothing else is unknown).',
    url: `${AWS}/AWSEC2/latest/UserGuide/configuring-instance-metadata-service.html`,
    tags: ["security", "ec2", "remediation"],
    framework: fsbp("EC2.8", "EC2 instances should use Instance Metadata Service Version 2 (IMDSv2)"),
    peers: {
      checkov: ["CKV_AWS_79"],
      securityHub: ["EC2.8", "EC2.170", "AutoScaling.3"],
      trivy: ["AVD-AWS-0028", "AVD-AWS-0130"],
    },
  },
  "ec2-ebs-encrypted": {
    severity: "high",
    remediationSteps:
      'Set encrypted true on every EBS volume, instance root and EBS device and launch template mapping, and map the AMI\'s root device explicitly (pillar does). At level "remediate" the pack turns encryption on in launch template mappings; an existing volume or instance device must be replaced by hand (snapshot, copy encrypted, swap), which is why the pack never does it.',
    url: `${AWS}/ebs/latest/userguide/ebs-encryption.html`,
    tags: ["security", "encryption", "remediation"],
    framework: fsbp("EC2.3", "Attached Amazon EBS volumes should be encrypted at-rest"),
    peers: {
      checkov: ["CKV_AWS_3", "CKV_AWS_8"],
      securityHub: ["EC2.3"],
      cdkNag: ["AwsSolutions-EC26"],
      trivy: ["AVD-AWS-0026", "AVD-AWS-0131", "AVD-AWS-0008"],
    },
  },
  "ec2-launch-configurations-forbidden": {
    severity: "high",
    remediationSteps:
      "Use an aws.ec2.LaunchTemplate and the group's launchTemplate (pillar translates the seed's launch_config into one).",
    url: `${AWS}/autoscaling/ec2/userguide/launch-configurations.html`,
    tags: ["reliability", "autoscaling"],
    framework: fsbp("AutoScaling.9", "Amazon EC2 Auto Scaling groups should use Amazon EC2 launch templates"),
    peers: { checkov: ["CKV_AWS_315"], securityHub: ["AutoScaling.9"] },
  },
  "ec2-launch-template-in-stack": {
    severity: "high",
    remediationSteps:
      "Define the launch template in this stack (or adopt it with `pulumi import`), so that its metadata options and block device mappings are checked with the instances that use it.",
    url: `${AWS}/autoscaling/ec2/userguide/launch-templates.html`,
    tags: ["security", "ec2", "verifiability"],
    peers: {},
  },
  "ec2-instance-behind-load-balancer-no-public-ip": {
    severity: "high",
    remediationSteps:
      'Set associatePublicIpAddress "false" on the launch template\'s primary network interface (pillar: launch_config associate_public_ip_address: false), launch into private subnets with a NAT gateway or VPC endpoints for outbound traffic, and keep mapPublicIpOnLaunch false on subnets the stack creates.',
    url: `${AWS}/vpc/latest/userguide/vpc-ip-addressing.html`,
    tags: ["security", "network"],
    framework: fsbp(
      "EC2.25",
      "Amazon EC2 launch templates should not assign public IPs to network interfaces",
    ),
    peers: {
      checkov: ["CKV_AWS_88", "CKV_AWS_130", "CKV_AWS_389"],
      securityHub: ["EC2.9", "EC2.25", "EC2.15", "AutoScaling.5"],
      trivy: ["AVD-AWS-0009", "AVD-AWS-0164"],
    },
  },
  "ec2-user-data-no-secrets": {
    severity: "critical",
    remediationSteps:
      "Remove credentials from user data; give the instance an instance profile and have it read what it needs at boot from SSM Parameter Store or Secrets Manager. Rotate any key that was in user data: it is readable through the EC2 API.",
    url: `${AWS}/AWSEC2/latest/UserGuide/user-data.html`,
    tags: ["security", "secrets"],
    peers: { checkov: ["CKV_AWS_46"], trivy: ["AVD-AWS-0029", "AVD-AWS-0129"] },
  },
  "autoscaling-group-capacity-ordered": {
    severity: "high",
    remediationSteps: "Keep min_size <= desired_capacity <= max_size in the group's config.",
    url: `${AWS}/autoscaling/ec2/userguide/asg-capacity-limits.html`,
    tags: ["reliability", "autoscaling"],
    peers: {},
  },
  "autoscaling-group-multi-subnet": {
    severity: "high",
    remediationSteps:
      "List at least two subnets in different Availability Zones in the group's vpc_zone_identifiers (a created network: availability_zones of 2 or more).",
    url: `${AWS}/autoscaling/ec2/userguide/auto-scaling-benefits.html`,
    tags: ["reliability", "autoscaling"],
    framework: fsbp(
      "AutoScaling.2",
      "Amazon EC2 Auto Scaling group should cover multiple Availability Zones",
    ),
    peers: { securityHub: ["AutoScaling.2"] },
  },
  "cloudwatch-alarm-actions-present": {
    severity: "high",
    remediationSteps:
      "Give every alarm an action (an SNS topic, a scaling policy) and leave actionsEnabled on.",
    url: `${AWS}/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html`,
    tags: ["operations", "cloudwatch"],
    framework: fsbp("CloudWatch.15", "CloudWatch alarms should have specified actions configured"),
    peers: { checkov: ["CKV_AWS_319"], securityHub: ["CloudWatch.15", "CloudWatch.17"] },
  },
  "cloudwatch-scale-up-alarm-has-scale-down": {
    severity: "high",
    remediationSteps:
      "Pair every alarm that triggers a scale-out policy with an alarm on the same group and metric that triggers a scale-in policy, with a strictly lower threshold (the seed: CPU >= 70 and <= 40).",
    url: `${AWS}/autoscaling/ec2/userguide/as-scaling-simple-step.html`,
    tags: ["reliability", "autoscaling", "cost", "seed"],
    peers: {},
  },
  "lambda-function-runtime-supported": {
    severity: "high",
    remediationSteps:
      "Set the function's runtime to nodejs22.x or nodejs24.x (pillar: pillar:reactor runtime).",
    url: `${AWS}/lambda/latest/dg/lambda-runtimes.html`,
    tags: ["security", "lambda"],
    framework: fsbp("Lambda.2", "Lambda functions should use supported runtimes"),
    peers: { checkov: ["CKV_AWS_363"], securityHub: ["Lambda.2"], cdkNag: ["AwsSolutions-L1"] },
  },
  "lambda-function-failure-destination": {
    severity: "high",
    remediationSteps:
      "Give the function a dead-letter queue or an on-failure destination (aws.lambda.FunctionEventInvokeConfig), and an alarm on it.",
    url: `${AWS}/lambda/latest/dg/invocation-async.html`,
    tags: ["reliability", "lambda"],
    peers: { checkov: ["CKV_AWS_116"] },
  },
  "lambda-function-not-public": {
    severity: "critical",
    remediationSteps:
      'Use authorizationType "AWS_IAM" on Function URLs and give Principal "*" permissions a sourceArn, sourceAccount or principalOrgId. A function that must be public and authenticates its callers itself (the reactor\'s webhook, which verifies every SNS signature) goes in config allowedPublicFunctions.',
    url: `${AWS}/lambda/latest/dg/urls-auth.html`,
    tags: ["security", "lambda"],
    framework: fsbp("Lambda.1", "Lambda function policies should prohibit public access"),
    peers: {
      checkov: ["CKV_AWS_258", "CKV_AWS_301", "CKV_AWS_364"],
      securityHub: ["Lambda.1"],
      trivy: ["AVD-AWS-0067"],
    },
  },
  "sns-topic-not-public": {
    severity: "critical",
    remediationSteps:
      'Name the publishers (Principal Service or an account) instead of "*"; where "*" is needed for other actions, add a positive condition on aws:SourceArn, aws:SourceAccount or aws:SourceOwner.',
    url: `${AWS}/sns/latest/dg/sns-access-policy-use-cases.html`,
    tags: ["security", "sns"],
    framework: fsbp("SNS.4", "SNS topic access policies should not allow public access"),
    peers: { checkov: ["CKV_AWS_169"], securityHub: ["SNS.4"] },
  },
  "aws-provider-credentials-secret": {
    severity: "critical",
    remediationSteps:
      "Prefer ambient credentials (a profile, environment variables, an instance or OIDC role); if static keys are needed, set them with `pulumi config set --secret`.",
    url: "https://www.pulumi.com/registry/packages/aws/installation-configuration/",
    tags: ["security", "secrets"],
    peers: { checkov: ["CKV_AWS_41"] },
  },
  "elb-https-listener-certificate": {
    severity: "medium",
    remediationSteps:
      "Add an HTTPS listener with a certificate (sslCertificateId, an ACM or IAM certificate ARN).",
    url: `${AWS}/elasticloadbalancing/latest/classic/elb-create-https-ssl-load-balancer.html`,
    tags: ["security", "elb"],
    framework: fsbp(
      "ELB.3",
      "Classic Load Balancer listeners should be configured with HTTPS or TLS termination",
    ),
    peers: {
      checkov: ["CKV_AWS_376"],
      securityHub: ["ELB.3"],
      cdkNag: ["AwsSolutions-ELB5"],
      trivy: ["AVD-AWS-0054"],
    },
  },
  "elb-listener-tls-policy-current": {
    severity: "medium",
    remediationSteps:
      "Attach an SSL negotiation policy to every HTTPS/SSL listener (pillar does, from elb ssl_policy); without one the ELB default, which allows TLS 1.0, applies.",
    url: `${AWS}/elasticloadbalancing/latest/classic/elb-security-policy-table.html`,
    tags: ["security", "elb", "tls"],
    framework: fsbp(
      "ELB.8",
      "Classic Load Balancers with SSL listeners should use a predefined security policy that has strong AWS Configuration",
    ),
    peers: { securityHub: ["ELB.8"] },
  },
  "elb-ssl-negotiation-policy-current": {
    severity: "medium",
    remediationSteps:
      'Reference ELBSecurityPolicy-TLS-1-2-2017-01 (pillar: elb ssl_policy). Set this policy to "remediate" to have the pack replace an older predefined reference; clients limited to TLS 1.0/1.1 stop connecting.',
    url: `${AWS}/elasticloadbalancing/latest/classic/elb-security-policy-table.html`,
    tags: ["security", "elb", "tls", "remediation"],
    framework: fsbp(
      "ELB.8",
      "Classic Load Balancers with SSL listeners should use a predefined security policy that has strong AWS Configuration",
    ),
    peers: { checkov: ["CKV_AWS_213"], securityHub: ["ELB.8"], trivy: ["AVD-AWS-0047"] },
  },
  "elb-http-listener-redirects-to-https": {
    severity: "low",
    remediationSteps:
      "Application Load Balancer: give the HTTP listener a redirect action to HTTPS (HTTP_301). Classic load balancer, which cannot redirect: have the instances answer the forwarded port with a 301 to https:// (checking X-Forwarded-Proto) and list the balancer in config redirectingLoadBalancers, or drop the HTTP listener.",
    url: `${AWS}/elasticloadbalancing/latest/application/load-balancer-listeners.html`,
    tags: ["security", "elb", "tls"],
    peers: { checkov: ["CKV_AWS_2"], trivy: ["AVD-AWS-0054"] },
  },
  "elb-access-logs-enabled": {
    severity: "low",
    remediationSteps:
      "Set elb access_logs (an S3 bucket whose policy lets the regional ELB account write to it).",
    url: `${AWS}/elasticloadbalancing/latest/classic/access-log-collection.html`,
    tags: ["operations", "elb", "audit"],
    framework: fsbp("ELB.5", "Application and Classic Load Balancers logging should be enabled"),
    peers: { checkov: ["CKV_AWS_92"], securityHub: ["ELB.5"], cdkNag: ["AwsSolutions-ELB2"] },
  },
  "elb-cross-zone-enabled": {
    severity: "low",
    remediationSteps: "Leave cross_zone_load_balancing enabled (the provider's default).",
    url: `${AWS}/elasticloadbalancing/latest/classic/enable-disable-crosszone-lb.html`,
    tags: ["reliability", "elb"],
    framework: fsbp("ELB.9", "Classic Load Balancers should have cross-zone load balancing enabled"),
    peers: { checkov: ["CKV_AWS_138"], securityHub: ["ELB.9"], cdkNag: ["AwsSolutions-ELB4"] },
  },
  "alb-listener-tls-policy-current": {
    severity: "medium",
    remediationSteps:
      "Set sslPolicy ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09 (AWS's recommended policy; pillar's default) or another ELBSecurityPolicy-TLS13-1-2-… on every HTTPS listener. An ALB takes no custom policies.",
    url: `${AWS}/elasticloadbalancing/latest/application/describe-ssl-policies.html`,
    tags: ["security", "elb", "tls"],
    framework: fsbp(
      "ELB.17",
      "Application and Network Load Balancers with listeners should use recommended security policies",
    ),
    peers: { checkov: ["CKV_AWS_103"], securityHub: ["ELB.17"], trivy: ["AVD-AWS-0047"] },
  },
  "alb-drop-invalid-header-fields": {
    severity: "medium",
    remediationSteps:
      "Set dropInvalidHeaderFields true on the load balancer (pillar: on unless drop_invalid_header_fields: false).",
    url: `${AWS}/elasticloadbalancing/latest/application/application-load-balancers.html`,
    tags: ["security", "elb"],
    framework: fsbp("ELB.4", "Application Load Balancer should be configured to drop invalid http headers"),
    peers: { checkov: ["CKV_AWS_131"], securityHub: ["ELB.4"], trivy: ["AVD-AWS-0052"] },
  },
  "alb-access-logs-enabled": {
    severity: "low",
    remediationSteps:
      "Set accessLogs { bucket, enabled: true } (pillar: attributes.access_log.s3_bucket_name) on a bucket whose policy lets the region's ELB log delivery write to it.",
    url: `${AWS}/elasticloadbalancing/latest/application/enable-access-logging.html`,
    tags: ["operations", "elb", "audit"],
    framework: fsbp("ELB.5", "Application and Classic Load Balancers logging should be enabled"),
    peers: { checkov: ["CKV_AWS_91"], securityHub: ["ELB.5"], cdkNag: ["AwsSolutions-ELB2"] },
  },
  "alb-deletion-protection-enabled": {
    severity: "low",
    remediationSteps:
      "Set enableDeletionProtection true (pillar: on unless deletion_protection: false, which stacks torn down often may say).",
    url: `${AWS}/elasticloadbalancing/latest/application/edit-load-balancer-attributes.html`,
    tags: ["reliability", "elb"],
    framework: fsbp(
      "ELB.6",
      "Application, Gateway, and Network Load Balancers should have deletion protection enabled",
    ),
    peers: { checkov: ["CKV_AWS_150"], securityHub: ["ELB.6"] },
  },
  "alb-targets-only-through-load-balancer": {
    severity: "medium",
    remediationSteps:
      "Remove 0.0.0.0/0 and ::/0 ingress from the security groups of the load balancer's targets and allow the instance ports from the load balancer's own security group (pillar: a group for the ALB, and cidr_ip: <that group> on the instances' rules).",
    url: `${AWS}/elasticloadbalancing/latest/application/load-balancer-update-security-groups.html`,
    tags: ["security", "network", "elb"],
    peers: {},
  },
  "ec2-security-group-descriptions-present": {
    severity: "low",
    remediationSteps:
      "Describe every group and rule: what the group guards, why each rule lets its traffic in or out.",
    url: `${AWS}/vpc/latest/userguide/security-group-rules.html`,
    tags: ["operations", "network"],
    peers: {
      checkov: ["CKV_AWS_23"],
      cdkNag: ["AwsSolutions-EC27"],
      trivy: ["AVD-AWS-0099", "AVD-AWS-0124"],
    },
  },
  "ec2-egress-world-not-all-ports": {
    severity: "low",
    remediationSteps:
      "Replace the all-traffic egress rule with rules for what the hosts need (tcp 443 to package mirrors and AWS APIs, the Salt master's 4505-4506, the database port to its group), or keep the AWS default deliberately and disable this policy.",
    url: `${AWS}/vpc/latest/userguide/security-group-rules.html`,
    tags: ["security", "network"],
    peers: { checkov: ["CKV_AWS_382"], trivy: ["AVD-AWS-0104"] },
  },
  "ec2-instance-not-in-default-group": {
    severity: "medium",
    remediationSteps:
      'Give the hosts that need access (the Salt master, a bastion) a security group of their own, reference it instead of "default" in the rules, and take the instances out of the default group.',
    url: `${AWS}/vpc/latest/userguide/default-security-group.html`,
    tags: ["security", "network", "seed"],
    framework: fsbp("EC2.2", "VPC default security groups should not allow inbound or outbound traffic"),
    peers: { checkov: ["CKV2_AWS_12"], securityHub: ["EC2.2"], trivy: ["AVD-AWS-0173"] },
  },
  "ec2-instance-behind-load-balancer-public-ip-default": {
    severity: "medium",
    remediationSteps:
      'Decide it in the stack: associatePublicIpAddress "false" on the launch template (pillar: launch_config associate_public_ip_address: false) with private subnets, or confirm the subnets\' MapPublicIpOnLaunch is false.',
    url: `${AWS}/vpc/latest/userguide/vpc-ip-addressing.html`,
    tags: ["security", "network", "verifiability"],
    peers: { checkov: ["CKV_AWS_130"], securityHub: ["EC2.15"], trivy: ["AVD-AWS-0164"] },
  },
  "ec2-imds-hop-limit-one": {
    severity: "low",
    remediationSteps:
      "Set metadataOptions.httpPutResponseHopLimit to 1, or name the host in config containerHosts when containers on it need the instance role.",
    url: `${AWS}/AWSEC2/latest/UserGuide/configuring-instance-metadata-service.html`,
    tags: ["security", "ec2"],
    peers: { checkov: ["CKV_AWS_341"] },
  },
  "ec2-detailed-monitoring-enabled": {
    severity: "low",
    remediationSteps:
      "Set monitoring true on instances and monitoring.enabled true on launch templates (pillar: instance_monitoring).",
    url: `${AWS}/AWSEC2/latest/UserGuide/manage-detailed-monitoring.html`,
    tags: ["operations", "ec2"],
    peers: { checkov: ["CKV_AWS_126"], cdkNag: ["AwsSolutions-EC28"] },
  },
  "autoscaling-group-elb-health-check": {
    severity: "medium",
    remediationSteps: 'Set healthCheckType "ELB" on groups attached to a load balancer (pillar does).',
    url: `${AWS}/autoscaling/ec2/userguide/ec2-auto-scaling-health-checks.html`,
    tags: ["reliability", "autoscaling"],
    framework: fsbp(
      "AutoScaling.1",
      "Auto Scaling groups associated with a load balancer should use ELB health checks",
    ),
    peers: { checkov: ["CKV2_AWS_15"], securityHub: ["AutoScaling.1"], cdkNag: ["AwsSolutions-AS2"] },
  },
  "ec2-instance-type-allowed": {
    severity: "low",
    remediationSteps:
      "Move to a current-generation type (t2.small -> t3.small, m3.medium -> m7i.large or m6a.large), or list the type in config allowedInstanceTypes.",
    url: `${AWS}/ec2/latest/instancetypes/instance-types.html`,
    tags: ["cost", "ec2"],
    peers: {},
  },
  "ec2-stateful-instance-protected": {
    severity: "high",
    remediationSteps:
      "Keep the profile stateful (the default; stateful: false only for throwaway servers): termination protection on, every volume kept on termination, and a snapshot schedule (pillar: the profile's snapshots:) whose target tags the instance carries.",
    url: `${AWS}/ebs/latest/userguide/snapshot-lifecycle.html`,
    tags: ["reliability", "data", "ec2"],
    framework: fsbp("EC2.28", "EBS volumes should be covered by a backup plan"),
    peers: { checkov: ["CKV2_AWS_9"], securityHub: ["EC2.28"], cdkNag: ["AwsSolutions-EC29"] },
  },
  "autoscaling-group-desired-capacity-ignored": {
    severity: "medium",
    remediationSteps:
      'Leave desiredCapacity to the scalers: ignoreChanges ["desiredCapacity"] on the group (pillar does unless manage_desired_capacity: true).',
    url: `${AWS}/autoscaling/ec2/userguide/asg-capacity-limits.html`,
    tags: ["reliability", "autoscaling", "day-two"],
    peers: {},
  },
  "cloudwatch-log-group-retention-minimum": {
    severity: "low",
    remediationSteps:
      "Keep logs at least the configured minimum (pillar: pillar:reactor log_retention_days), or lower config minimumRetentionDays for stacks that must keep them shorter.",
    url: `${AWS}/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html`,
    tags: ["operations", "audit", "cost"],
    framework: fsbp("CloudWatch.16", "CloudWatch log groups should be retained for a specified time period"),
    peers: { checkov: ["CKV_AWS_338", "CKV_AWS_66"], securityHub: ["CloudWatch.16"] },
  },
  "lambda-function-tracing-enabled": {
    severity: "low",
    remediationSteps:
      'Set tracingConfig.mode "Active" and allow xray:PutTraceSegments and xray:PutTelemetryRecords on the function\'s role.',
    url: `${AWS}/lambda/latest/dg/services-xray.html`,
    tags: ["operations", "lambda"],
    peers: { checkov: ["CKV_AWS_50"], trivy: ["AVD-AWS-0066"] },
  },
  "sns-alarm-topic-has-subscription": {
    severity: "medium",
    remediationSteps:
      "Subscribe an e-mail, chat or paging endpoint to the topic (pillar: pillar:reactor alert_email) and confirm the subscription.",
    url: `${AWS}/sns/latest/dg/sns-create-subscribe-endpoint-to-topic.html`,
    tags: ["operations", "sns"],
    peers: {},
  },
};

/** The policy with its catalog metadata; a policy without an entry is returned as it is (a test requires one). */
export function withMetadata<P extends Policy>(policy: P): P {
  const m = CATALOG[policy.name];
  if (m === undefined) {
    return policy;
  }
  return {
    ...policy,
    severity: m.severity,
    remediationSteps: m.remediationSteps,
    url: m.url,
    tags: [...m.tags],
    ...(m.framework !== undefined ? { framework: m.framework } : {}),
  };
}

const PEER_COLUMNS: readonly [keyof Peers, string][] = [
  ["checkov", "Checkov"],
  ["securityHub", "Security Hub"],
  ["cdkNag", "cdk-nag"],
  ["trivy", "Trivy"],
];

/** The peer-rule table of policies/README.md, one row per policy in pack order. */
export function peerTable(policies: readonly Pick<Policy, "name" | "enforcementLevel">[]): string {
  const head = ["policy", "level", "severity", ...PEER_COLUMNS.map(([, title]) => title)];
  const rows = policies.map((p) => {
    const m = CATALOG[p.name];
    const peers = PEER_COLUMNS.map(([key]) => (m?.peers[key] ?? []).join(", ") || "—");
    return [`\`${p.name}\``, String(p.enforcementLevel ?? "advisory"), m?.severity ?? "?", ...peers];
  });
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  return [line(head), line(head.map(() => "---")), ...rows.map(line)].join("\n");
}
