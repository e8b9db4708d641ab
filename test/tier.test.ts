import * as assert from "node:assert/strict";
import * as path from "node:path";
import { PROJECT_ROOT } from "../scripts/lib/planner";
import { planFile, planYaml, Planned } from "./harness";
import { TYPES } from "../provider/types";

describe("the application tier of the prod stack (ELB, ASG, policies, alarms)", () => {
  let plan: Planned;
  before(async () => {
    // An update-mode run: every output is a fake but concrete id or ARN, so references can be compared.
    plan = await planFile(path.join(PROJECT_ROOT, "Pulumi.prod.yaml"), { stack: "prod", preview: false });
  });
  const sgId = (name: string) => plan.get(TYPES.ec2.SecurityGroup, name).id;

  it("creates the classic ELB with both seed listeners, the health check and cross-zone on", () => {
    const elb = plan.get(TYPES.elb.LoadBalancer, "MY-ELB");
    assert.deepEqual(elb.inputs.listeners, [
      {
        instancePort: 443,
        instanceProtocol: "HTTPS",
        lbPort: 443,
        lbProtocol: "HTTPS",
        sslCertificateId: "arn:aws:iam::123456789012:server-certificate/my-certificate",
      },
      { instancePort: 80, instanceProtocol: "HTTP", lbPort: 80, lbProtocol: "HTTP" },
    ]);
    assert.deepEqual(elb.inputs.healthCheck, {
      healthyThreshold: 10,
      interval: 30,
      target: "HTTPS:443/check.html",
      timeout: 5,
      unhealthyThreshold: 2,
    });
    assert.equal(elb.inputs.crossZoneLoadBalancing, true);
    assert.equal(elb.inputs.connectionDraining, true);
    assert.deepEqual(elb.inputs.subnets, ["subnet-0a1b2c31", "subnet-0a1b2c32", "subnet-0a1b2c33"]);
    assert.equal((elb.inputs.securityGroups as string[])[0], "sg-0fe8f26b0eb06da20");
    assert.ok(elb.propertyDependencies.securityGroups?.some((u) => u.endsWith("SecurityGroup::webhost")));
    assert.deepEqual(elb.inputs.securityGroups, ["sg-0fe8f26b0eb06da20", sgId("webhost")]);
    assert.deepEqual(plan.get(TYPES.elb.LoadBalancerPolicy, "MY-ELB-tls").inputs.policyAttributes, [
      { name: "Reference-Security-Policy", value: "ELBSecurityPolicy-TLS-1-2-2017-01" },
    ]);
    assert.equal(plan.get(TYPES.elb.ListenerPolicy, "MY-ELB-tls-443").inputs.loadBalancerPort, 443);
  });

  it("translates launch_config into a launch template with IMDSv2, the seed's image, key, size and both groups", () => {
    const lt = plan.get(TYPES.ec2.LaunchTemplate, "app-hosts-webhost");
    assert.equal(lt.inputs.imageId, "ami-1234567");
    assert.equal(lt.inputs.instanceType, "t2.small");
    assert.equal(lt.inputs.keyName, "salt_master");
    assert.deepEqual(lt.inputs.metadataOptions, {
      httpEndpoint: "enabled",
      httpPutResponseHopLimit: 2,
      httpTokens: "required",
    });
    const nic = (lt.inputs.networkInterfaces as { securityGroups: string[] }[])[0]!;
    assert.equal(nic.securityGroups.length, 2);
    assert.deepEqual(nic.securityGroups, [sgId("webhost"), "sg-0fe8f26b0eb06da20"]);
    assert.ok(lt.propertyDependencies.networkInterfaces?.some((u) => u.endsWith("SecurityGroup::webhost")));
    // No mapping in the seed: the AMI's root device is mapped explicitly, so it is encrypted whatever the AMI says.
    assert.deepEqual(lt.inputs.blockDeviceMappings, [
      { deviceName: "/dev/sda1", ebs: { deleteOnTermination: "true", encrypted: "true", volumeType: "gp3" } },
    ]);
    assert.equal(plan.ofType(TYPES.ec2.LaunchConfiguration).length, 0);
  });

  it("creates the group 2/2/10 with cooldown 1500 on three subnets, attached to MY-ELB and pinned to the template version", () => {
    const asg = plan.get(TYPES.autoscaling.Group, "app-hosts");
    const i = asg.inputs;
    assert.deepEqual(
      [i.name, i.minSize, i.desiredCapacity, i.maxSize, i.defaultCooldown],
      ["pillar-prod-app-hosts", 2, 2, 10, 1500],
    );
    assert.deepEqual(i.vpcZoneIdentifiers, ["subnet-0a1b2c31", "subnet-0a1b2c32", "subnet-0a1b2c33"]);
    const elbName = plan.get(TYPES.elb.LoadBalancer, "MY-ELB").outputs.name;
    assert.deepEqual(i.loadBalancers, [elbName]);
    assert.equal(i.healthCheckType, "ELB");
    assert.equal(i.healthCheckGracePeriod, 300);
    const lt = plan.get(TYPES.ec2.LaunchTemplate, "app-hosts-webhost");
    assert.equal((i.launchTemplate as { id: string }).id, lt.id);
    assert.equal((i.launchTemplate as { version: string }).version, "1");
    assert.deepEqual(asg.propertyDependencies.launchTemplate, [lt.urn]);
    assert.deepEqual(i.tags, [
      { key: "Name", propagateAtLaunch: true, value: "app-hosts" },
      { key: "env", propagateAtLaunch: true, value: "prod" },
      { key: "pillar:group", propagateAtLaunch: true, value: "app-hosts" },
      { key: "roles", propagateAtLaunch: true, value: "web-host" },
    ]);
    assert.deepEqual(
      (i.initialLifecycleHooks as { name: string; lifecycleTransition: string; defaultResult: string }[]).map(
        (h) => [h.name, h.lifecycleTransition, h.defaultResult],
      ),
      [
        ["pillar-launch", "autoscaling:EC2_INSTANCE_LAUNCHING", "ABANDON"],
        ["pillar-terminate", "autoscaling:EC2_INSTANCE_TERMINATING", "CONTINUE"],
      ],
    );
  });

  it("creates the ±1 ChangeInCapacity policies on the group", () => {
    assert.deepEqual(
      plan
        .ofType(TYPES.autoscaling.Policy)
        .map((p) => [
          p.name,
          p.inputs.name,
          p.inputs.autoscalingGroupName,
          p.inputs.adjustmentType,
          p.inputs.scalingAdjustment,
          p.inputs.policyType,
        ]),
      [
        [
          "app-hosts-webhost_scale_down",
          "webhost_scale_down",
          "pillar-prod-app-hosts",
          "ChangeInCapacity",
          -1,
          "SimpleScaling",
        ],
        [
          "app-hosts-webhost_scale_up",
          "webhost_scale_up",
          "pillar-prod-app-hosts",
          "ChangeInCapacity",
          1,
          "SimpleScaling",
        ],
      ],
    );
  });

  it("wires the alarms: >=70 and <=40 on CPUUtilization, 60 s x 5, policy ARNs and SNS ARNs, the group's real name", () => {
    const policyArn = (n: string) => plan.get(TYPES.autoscaling.Policy, `app-hosts-${n}`).outputs.arn;
    const up = plan.get(TYPES.cloudwatch.MetricAlarm, "webhost_cpu_scale_up").inputs;
    const down = plan.get(TYPES.cloudwatch.MetricAlarm, "php_cpu_scale_down").inputs;
    for (const a of [up, down]) {
      assert.deepEqual(
        [a.metricName, a.namespace, a.statistic, a.period, a.evaluationPeriods],
        ["CPUUtilization", "AWS/EC2", "Average", 60, 5],
      );
      assert.deepEqual(a.dimensions, { AutoScalingGroupName: "pillar-prod-app-hosts" });
      assert.deepEqual([a.okActions, a.insufficientDataActions], [[], []]);
    }
    assert.deepEqual([up.comparisonOperator, up.threshold], ["GreaterThanOrEqualToThreshold", 70]);
    assert.deepEqual([down.comparisonOperator, down.threshold], ["LessThanOrEqualToThreshold", 40]);
    assert.deepEqual(up.alarmActions, [
      "arn:aws:sns:us-east-1:123456789012:alert_salt_web_scale_up",
      policyArn("webhost_scale_up"),
    ]);
    assert.deepEqual(down.alarmActions, [
      "arn:aws:sns:us-east-1:123456789012:alert_salt_php_scale_down",
      policyArn("webhost_scale_down"),
    ]);
    assert.equal(up.alarmDescription, "Web hosts scale up alarm");
  });

  it("sends the group's notifications to a topic only Auto Scaling may publish to", () => {
    const n = plan.get(TYPES.autoscaling.Notification, "app-hosts");
    assert.deepEqual(n.inputs.notifications, [
      "autoscaling:EC2_INSTANCE_LAUNCH",
      "autoscaling:EC2_INSTANCE_LAUNCH_ERROR",
      "autoscaling:EC2_INSTANCE_TERMINATE",
      "autoscaling:EC2_INSTANCE_TERMINATE_ERROR",
    ]);
    const topic = plan.get(TYPES.sns.Topic, "app-hosts-events");
    assert.equal(topic.inputs.signatureVersion, 2);
    assert.equal(n.inputs.topicArn, topic.outputs.arn);
    const policy = JSON.parse(plan.get(TYPES.sns.TopicPolicy, "app-hosts-events").inputs.policy as string);
    const publish = policy.Statement.filter((s: { Action: string | string[] }) =>
      [s.Action].flat().includes("sns:Publish"),
    );
    assert.deepEqual(publish, [
      {
        Sid: "ServicePublishes",
        Effect: "Allow",
        Principal: { Service: "autoscaling.amazonaws.com" },
        Action: "sns:Publish",
        Resource: topic.outputs.arn,
        Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
      },
    ]);
  });
});

describe("beyond the seed: target tracking, alarm topics, several ELBs", () => {
  let plan: Planned;
  before(async () => {
    plan = await planYaml(
      `config:
  aws:region: eu-west-1
  pillar:cloud:
    main:
      region: eu-west-1
  pillar:network:
    cidr_block: 10.0.0.0/16
  pillar:security_groups:
    - name: web
      rules:
        - { ip_protocol: tcp, from_port: 80, to_port: 80, cidr_ip: 0.0.0.0/0 }
  pillar:elb:
    - name: front
      listeners: [{ elb_port: 80, instance_port: 8080, elb_protocol: HTTP }]
      subnets: [public]
      health_check: { target: "TCP:8080", interval: 10, timeout: 3 }
      attributes:
        connection_draining: { enabled: false }
        connecting_settings: { idle_timeout: 120 }
        access_log: { s3_bucket_name: elb-logs, s3_bucket_prefix: front, emit_interval: 5 }
      security_groups: [web]
  pillar:autoscale:
    groups:
      - name: api
        min_size: 2
        max_size: 4
        vpc_zone_identifiers: [private]
        load_balancers: [front]
        instance_refresh: { min_healthy_percentage: 75, instance_warmup: 120 }
        launch_config:
          - instance_type: t3.small
          - block_device_mappings: [{ DeviceName: /dev/sda1, Ebs.VolumeSize: 20 }, { DeviceName: /dev/sdf, Ebs.VolumeSize: 125, Ebs.VolumeType: st1 }]
        scaling_policies:
          - name: cpu50
            target_tracking: { metric: ASGAverageCPUUtilization, target_value: 50 }
          - name: bump
            adjustment_type: PercentChangeInCapacity
            scaling_adjustment: 20
            min_adjustment_magnitude: 1
  pillar:cloudwatch:
    topics:
      - name: ops
        subscriptions: [{ protocol: email, endpoint: ops@example.com }]
    alarms:
      - name: api_high
        attributes:
          metric: CPUUtilization
          namespace: AWS/EC2
          statistic: Maximum
          comparison: ">"
          threshold: 90
          period: 60
          evaluation_periods: 3
          alarm_actions: ["sns:ops", "scaling_policy:api:bump"]
          ok_actions: ["sns:ops"]
          dimensions: { AutoScalingGroupName: api }
`,
      { stack: "extra", preview: false },
    );
  });

  it("creates a target-tracking policy and a percent policy", () => {
    const cpu = plan.get(TYPES.autoscaling.Policy, "api-cpu50").inputs;
    assert.deepEqual(cpu, {
      name: "cpu50",
      autoscalingGroupName: "pillar-extra-api",
      policyType: "TargetTrackingScaling",
      targetTrackingConfiguration: {
        disableScaleIn: false,
        predefinedMetricSpecification: { predefinedMetricType: "ASGAverageCPUUtilization" },
        targetValue: 50,
      },
    });
    const bump = plan.get(TYPES.autoscaling.Policy, "api-bump").inputs;
    assert.deepEqual(
      [bump.adjustmentType, bump.scalingAdjustment, bump.minAdjustmentMagnitude],
      ["PercentChangeInCapacity", 20, 1],
    );
  });

  it("creates the alarm topic with its subscription and resolves sns:<topic> actions", () => {
    const topic = plan.get(TYPES.sns.Topic, "ops");
    assert.deepEqual(plan.get(TYPES.sns.TopicSubscription, "alarms-ops-email-ops-example-com").inputs, {
      endpoint: "ops@example.com",
      protocol: "email",
      topic: topic.outputs.arn,
    });
    const alarm = plan.get(TYPES.cloudwatch.MetricAlarm, "api_high").inputs;
    assert.deepEqual(alarm.alarmActions, [
      topic.outputs.arn,
      plan.get(TYPES.autoscaling.Policy, "api-bump").outputs.arn,
    ]);
    assert.deepEqual(alarm.okActions, [topic.outputs.arn]);
    assert.equal(alarm.comparisonOperator, "GreaterThanThreshold");
    assert.deepEqual(alarm.dimensions, { AutoScalingGroupName: "pillar-extra-api" });
  });

  it("maps the health check overrides, the TCP target and gp3 encrypted launch template volumes", () => {
    const elb = plan.get(TYPES.elb.LoadBalancer, "front");
    assert.deepEqual(elb.inputs.healthCheck, {
      healthyThreshold: 10,
      interval: 10,
      target: "TCP:8080",
      timeout: 3,
      unhealthyThreshold: 2,
    });
    assert.equal(plan.ofType(TYPES.elb.LoadBalancerPolicy).length, 0);
    assert.deepEqual(
      [elb.inputs.connectionDraining, elb.inputs.idleTimeout, elb.inputs.accessLogs],
      [false, 120, { bucket: "elb-logs", bucketPrefix: "front", enabled: true, interval: 5 }],
    );
    assert.deepEqual(plan.get(TYPES.autoscaling.Group, "api").inputs.instanceRefresh, {
      preferences: { instanceWarmup: "120", minHealthyPercentage: 75 },
      strategy: "Rolling",
    });
    const lt = plan.get(TYPES.ec2.LaunchTemplate, "api-api");
    assert.deepEqual(lt.inputs.blockDeviceMappings, [
      {
        deviceName: "/dev/sda1",
        ebs: { deleteOnTermination: "true", encrypted: "true", volumeSize: 20, volumeType: "gp3" },
      },
      {
        deviceName: "/dev/sdf",
        ebs: { deleteOnTermination: "true", encrypted: "true", volumeSize: 125, volumeType: "st1" },
      },
    ]);
    assert.deepEqual(plan.get(TYPES.autoscaling.Group, "api").inputs.initialLifecycleHooks, []);
  });
});
