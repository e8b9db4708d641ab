/**
 * The README's table "Every seed option, and what pillar does with it", as data the importer applies:
 * each mapped option carries the row's note, and every option pillar does not take says why. A test
 * keeps the `readme` labels and the README's rows the same.
 */

export interface SeedOption {
  /** The README row's first cell, exactly. */
  readonly readme: string;
  /** The pillar paths (or Salt paths, for options not mapped) the row is about. */
  readonly match: RegExp;
  readonly note: string;
}

const NAME = "[^.\\[\\]]+";
const I = "\\[\\d+\\]";

/** Rows of the README table the importer applies, by the pillar path an option lands on. */
export const SEED_OPTIONS: readonly SeedOption[] = [
  {
    readme: "`aws_provider.region`",
    match: new RegExp(`^pillar:cloud\\.${NAME}\\.region$`),
    note: "the explicit aws.Provider's region; must agree with aws:region",
  },
  {
    readme: "`aws_provider.id` / `key`",
    match: new RegExp(`^pillar:cloud\\.${NAME}\\.(id|key)$`),
    note: "static credentials, only ever as Pulumi secrets; prefer an AWS profile or ambient credentials",
  },
  {
    readme: "`aws_provider.keyname`",
    match: new RegExp(`^pillar:cloud\\.${NAME}\\.keyname$`),
    note: "the EC2 key pair instances use: an existing key by name (or imported from public_key:)",
  },
  {
    readme: "`aws_provider.private_key`",
    match: new RegExp(`^pillar:cloud\\.${NAME}\\.private_key$`),
    note: "accepted and unused: Pulumi never connects over SSH; SSM Run Command bootstraps instances",
  },
  {
    readme: "`aws_provider.ssh_username`, `ssh_interface`",
    match: new RegExp(`^pillar:cloud\\.${NAME}\\.(ssh_username|ssh_interface)$`),
    note: "exported as stack outputs (ssh), for your own tooling",
  },
  {
    readme: "`aws_provider.minion.master`",
    match: new RegExp(`^pillar:cloud\\.${NAME}\\.minion\\.master$`),
    note: "the Salt master address passed to the bootstrap document",
  },
  {
    readme: "`aws_provider.delete_sshkeys`",
    match: new RegExp(`^pillar:cloud\\.${NAME}\\.delete_sshkeys$`),
    note: "accepted and ignored: it deletes keys on the Salt master; there is no AWS side",
  },
  {
    readme: "`aws_provider.rename_on_destroy`",
    match: new RegExp(`^pillar:cloud\\.${NAME}\\.rename_on_destroy$`),
    note: "accepted and ignored: Pulumi auto-naming avoids name collisions (under verbatim names the engine deletes before it replaces)",
  },
  {
    readme: "`aws_provider.provider: ec2`",
    match: new RegExp(`^pillar:cloud\\.${NAME}\\.provider$`),
    note: "accepted (must be ec2)",
  },
  {
    readme: "profile `size`, `image`, `subnetid`",
    match: new RegExp(`^pillar:profiles\\.${NAME}\\.(size|image|subnetid)$`),
    note: "instance type, AMI (an id, or an {owners, name} lookup), subnet",
  },
  {
    readme: "profile `block_device_mappings` (`Ebs.VolumeSize` …)",
    match: new RegExp(`^pillar:profiles\\.${NAME}\\.block_device_mappings`),
    note: "EBS volumes, gp3 and encrypted unless Ebs.VolumeType/Ebs.Encrypted say otherwise; kept when the instance goes",
  },
  {
    readme: "profile `grains`",
    match: new RegExp(`^pillar:profiles\\.${NAME}\\.grains$`),
    note: "instance tags (roles comma-joined)",
  },
  {
    readme: "profile `ssh_interface`, `ssh_username`, `provider`",
    match: new RegExp(`^pillar:profiles\\.${NAME}\\.(ssh_interface|ssh_username|provider)$`),
    note: "checked (provider must name the cloud provider)",
  },
  {
    readme: "`security_groups[].rules[].cidr_ip`",
    match: new RegExp(`^pillar:security_groups${I}\\.rules(_egress)?${I}\\.cidr_ip$`),
    note: "a CIDR, a list, or the name of another group (even a later one, itself, or default); one rule resource per source",
  },
  {
    readme: "`security_groups[].vpc_id`",
    match: new RegExp(`^pillar:security_groups${I}\\.vpc_id$`),
    note: "checked against pillar:network.vpc_id",
  },
  {
    readme: "`elb.listeners`",
    match: /^pillar:elb(\[\d+\])?\.listeners/,
    note: "listeners; HTTPS/SSL need a certificate and get the TLS policy ELBSecurityPolicy-TLS-1-2-2017-01 (ssl_policy: overrides)",
  },
  {
    readme: "`elb.health_check.target`",
    match: /^pillar:elb(\[\d+\])?\.health_check\./,
    note: "parsed and checked; interval/timeout/thresholds default 30/5/10/2",
  },
  {
    readme: "`elb.attributes.cross_zone_load_balancing`",
    match: /^pillar:elb(\[\d+\])?\.attributes\./,
    note: "cross-zone (default on); also connection_draining, connecting_settings.idle_timeout, access_log",
  },
  {
    readme: "`elb.security_groups`, `subnets`",
    match: /^pillar:elb(\[\d+\])?\.(security_groups|subnets)$/,
    note: "by name through the graph; subnet ids or tiers",
  },
  {
    readme: "`autoscale.groups[].launch_config` (list of one-key maps)",
    match: new RegExp(`^pillar:autoscale\\.groups${I}\\.launch_config${I}\\.(?!region$)`),
    note: "an EC2 launch template (accounts made since Oct 2024 cannot create launch configurations), IMDSv2 required",
  },
  {
    readme: "`launch_config` `region`",
    match: new RegExp(`^pillar:autoscale\\.groups${I}\\.launch_config${I}\\.region$`),
    note: "checked against the provider's region",
  },
  {
    readme: "`launch_config_name`",
    match: new RegExp(`^pillar:autoscale\\.groups${I}\\.launch_config_name$`),
    note: "names the launch template resource",
  },
  {
    readme:
      "`desired_capacity`, `min_size`, `max_size`, `default_cooldown`, `vpc_zone_identifiers`, `load_balancers`",
    match: new RegExp(
      `^pillar:autoscale\\.groups${I}\\.(desired_capacity|min_size|max_size|default_cooldown|vpc_zone_identifiers|load_balancers|name|health_check_type|health_check_period)$`,
    ),
    note: "the group; load_balancers by ELB name; desired_capacity only at creation (see the README's Day two)",
  },
  {
    readme: "`scaling_policies` (`adjustment_type`, `scaling_adjustment`, `as_name`)",
    match: new RegExp(`^pillar:autoscale\\.groups${I}\\.scaling_policies`),
    note: "simple scaling policies; as_name must name the group it sits in",
  },
  {
    readme: "`cloudwatch.alarms[].attributes`",
    match: new RegExp(`^pillar:cloudwatch\\.alarms${I}\\.(name|attributes\\.(?!dimensions))`),
    note: "metric alarms; scaling_policy:<group>:<policy> actions resolve to the policy's ARN",
  },
  {
    readme: "`dimensions.AutoScalingGroupName`",
    match: new RegExp(`^pillar:cloudwatch\\.alarms${I}\\.attributes\\.dimensions`),
    note: "resolves to the group's real name",
  },
  {
    readme: 'the "manual component" (SNS topics that POST to salt-api)',
    match: /^salt-api$/,
    note: "created by the stack: a topic per group (only Auto Scaling may publish), the group's notifications and lifecycle hooks, and the reactor's subscription",
  },
  {
    readme: "reactor `ec2-autoscale.sls`",
    match: /^reactor$/,
    note: "replaced by reactor/: a Lambda that verifies every SNS message and acts on it",
  },
  {
    readme: "`ec2.autoscale.<name>.minion.startup_states`",
    match: new RegExp(`^pillar:ec2\\.autoscale\\.${NAME}\\.minion\\.`),
    note: "the Salt bootstrap SSM document's StartupStates (and master)",
  },
  {
    readme: "`ec2.autoscale.<name>.grains`",
    match: new RegExp(`^pillar:ec2\\.autoscale\\.${NAME}\\.grains$`),
    note: "tags on the group, propagated to instances at launch",
  },
  {
    readme: "reactor SMTP mail on subscription",
    match: /^smtp$/,
    note: "not needed: the program subscribes the Lambda itself (the seed mailed the SubscribeURL to confirm it by hand)",
  },
];

/** The README row's note for a pillar path (or one of the pseudo-paths above), if a row covers it. */
export function seedNote(path: string): string | undefined {
  return SEED_OPTIONS.find((o) => o.match.test(path))?.note;
}

/** Why an option pillar does not take is left out, by the option's own name, per kind of file. */
const PROVIDER_OR_PROFILE: Readonly<Record<string, string>> = {
  script:
    "salt-cloud's bootstrap script over SSH; pillar bootstraps with SSM Run Command (the reactor profile's bootstrap)",
  script_args: "salt-cloud's bootstrap script over SSH; pillar bootstraps with SSM Run Command",
  script_env: "salt-cloud's bootstrap script over SSH; pillar bootstraps with SSM Run Command",
  deploy: "salt-cloud's SSH deploy step; pillar bootstraps with SSM Run Command",
  make_master: "salt-cloud's SSH deploy step; not part of the tier",
  sync_after_install: "salt-cloud's SSH deploy step; run saltutil.sync_all from your startup states",
  minion:
    "minion config beyond the master's address: pillar's bootstrap writes only the master and grains; keep the rest in your states",
  tag: "EC2 tags: pillar tags instances with the profile's grains and the provider's default_tags",
  iam_profile: "pillar gives each profile its own instance role with SSM access (the bootstrap needs it)",
  del_root_vol_on_destroy:
    "pillar keeps a stateful profile's volumes when the instance goes (see the README's Day two)",
  del_all_vols_on_destroy:
    "pillar keeps a stateful profile's volumes when the instance goes (see the README's Day two)",
  volumes: "extra volumes: give them as block_device_mappings",
  securitygroupid: "pillar refers to security groups by name (securitygroup:), through the graph",
  availability_zone: "the subnet decides the availability zone",
  location: "the region is the stack's (aws:region and the provider's region)",
  endpoint: "pillar uses the region's standard AWS endpoints",
  service_url: "pillar uses the region's standard AWS endpoints",
  role_arn:
    "pillar:cloud has no role to assume: put role_arn in an AWS CLI profile and name it in pillar:cloud.<provider>.profile",
  ssh_gateway: "Pulumi never connects over SSH",
  ssh_gateway_username: "Pulumi never connects over SSH",
  ssh_gateway_private_key: "Pulumi never connects over SSH",
  ssh_keyfile: "Pulumi never connects over SSH",
  ssh_password: "Pulumi never connects over SSH",
  ssh_port: "Pulumi never connects over SSH",
  ssh_connect_timeout: "Pulumi never connects over SSH",
  wait_for_ip_timeout: "Pulumi waits for instances itself",
  network_interfaces: "pillar places instances by subnetid and security groups",
  ebs_optimized: "not a profile setting in pillar yet (launch templates take ebs_optimized)",
  userdata_file: "instances are bootstrapped by SSM Run Command, not user data",
  spot_config: "profiles are On-Demand instances in pillar",
  rename_on_destroy: "Pulumi auto-naming already avoids name collisions",
  grains: "grains of the provider apply to nothing in pillar: give them per profile",
};

const PILLAR: Readonly<Record<string, string>> = {
  region: "the aws formula's per-state region: a stack has one region (aws:region), checked against it",
  keyid: "the aws formula's per-state credentials: the stack's provider holds them",
  key: "the aws formula's per-state credentials: the stack's provider holds them",
  profile: "the aws formula's per-state boto profile: the stack's provider holds the credentials",
  cnames: "DNS records are not part of the tier: point your DNS at the loadBalancers output's DNS name",
  availability_zones: "pillar places the group by vpc_zone_identifiers (subnets)",
  suspended_processes:
    "pillar's autoscale groups do not suspend processes; resume them or set them after import",
  termination_policies: "pillar's autoscale groups use AWS's default termination policy",
  source_group_group_id: "pillar refers to groups by name: write the group's name in cidr_ip",
  policies: "listener policies: pillar sets the TLS policy itself (ssl_policy:)",
};

const MASTER: Readonly<Record<string, string>> = {
  rest_cherrypy:
    "salt-api, which received the SNS webhooks: the reactor Lambda subscribes to SNS itself; retire it after cutover",
  rest_tornado:
    "salt-api, which received the SNS webhooks: the reactor Lambda subscribes to SNS itself; retire it after cutover",
  external_auth:
    "salt-api's authentication: the reactor Lambda needs none; retire the webhook user after cutover",
  autosign_grains_dir:
    "keep it: the bootstrap's minions send the grain pillar_stack, which a file there can accept (see the README's Salt master)",
};

export type OptionSource = "cloud-providers" | "cloud-profiles" | "master" | "pillar";

/** Why an option is not carried over. */
export function ignoredReason(source: OptionSource, option: string): string {
  const table = source === "pillar" ? PILLAR : source === "master" ? MASTER : PROVIDER_OR_PROFILE;
  const known = table[option];
  if (known) return known;
  if (source === "master") {
    if (option.startsWith("smtp.")) return seedNote("smtp")!;
    return "a Salt master setting, not part of the tier: it stays on the master";
  }
  if (source === "pillar") return "pillar has no such setting: not carried over";
  return "a salt-cloud setting pillar has no equivalent for: not carried over";
}
