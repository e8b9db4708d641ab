/**
 * The Pulumi type tokens of the AWS resources and functions the program, the offline plan and the
 * tests name, in one table shaped like the SDK (`TYPES.ec2.SecurityGroup` is
 * `aws.ec2.SecurityGroup.__pulumiType`; test/types.test.ts checks every resource token against
 * the installed @pulumi/aws). Tokens are `<package>:<module>/<member>:<Name>` (pulumi schema docs).
 */

/** The root stack resource every program registers first. */
export const STACK_TYPE = "pulumi:pulumi:Stack";
/** The AWS provider resource (explicit providers, and the default one). */
export const AWS_PROVIDER_TYPE = "pulumi:providers:aws";

export const TYPES = {
  autoscaling: {
    Attachment: "aws:autoscaling/attachment:Attachment",
    Group: "aws:autoscaling/group:Group",
    LifecycleHook: "aws:autoscaling/lifecycleHook:LifecycleHook",
    Notification: "aws:autoscaling/notification:Notification",
    Policy: "aws:autoscaling/policy:Policy",
    Schedule: "aws:autoscaling/schedule:Schedule",
  },
  cloudwatch: {
    LogGroup: "aws:cloudwatch/logGroup:LogGroup",
    MetricAlarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  },
  dlm: {
    LifecyclePolicy: "aws:dlm/lifecyclePolicy:LifecyclePolicy",
  },
  dynamodb: {
    Table: "aws:dynamodb/table:Table",
  },
  ebs: {
    Volume: "aws:ebs/volume:Volume",
  },
  ec2: {
    DefaultSecurityGroup: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    Eip: "aws:ec2/eip:Eip",
    Instance: "aws:ec2/instance:Instance",
    InternetGateway: "aws:ec2/internetGateway:InternetGateway",
    KeyPair: "aws:ec2/keyPair:KeyPair",
    LaunchConfiguration: "aws:ec2/launchConfiguration:LaunchConfiguration",
    LaunchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
    NatGateway: "aws:ec2/natGateway:NatGateway",
    RouteTable: "aws:ec2/routeTable:RouteTable",
    SecurityGroup: "aws:ec2/securityGroup:SecurityGroup",
    SecurityGroupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    Subnet: "aws:ec2/subnet:Subnet",
    VolumeAttachment: "aws:ec2/volumeAttachment:VolumeAttachment",
    Vpc: "aws:ec2/vpc:Vpc",
    getAmi: "aws:ec2/getAmi:getAmi",
    getSecurityGroup: "aws:ec2/getSecurityGroup:getSecurityGroup",
    getSubnet: "aws:ec2/getSubnet:getSubnet",
  },
  elb: {
    Attachment: "aws:elb/attachment:Attachment",
    ListenerPolicy: "aws:elb/listenerPolicy:ListenerPolicy",
    LoadBalancer: "aws:elb/loadBalancer:LoadBalancer",
    LoadBalancerPolicy: "aws:elb/loadBalancerPolicy:LoadBalancerPolicy",
  },
  iam: {
    InstanceProfile: "aws:iam/instanceProfile:InstanceProfile",
    Role: "aws:iam/role:Role",
    RolePolicy: "aws:iam/rolePolicy:RolePolicy",
    RolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  },
  index: {
    getAvailabilityZones: "aws:index/getAvailabilityZones:getAvailabilityZones",
    getCallerIdentity: "aws:index/getCallerIdentity:getCallerIdentity",
    getRegion: "aws:index/getRegion:getRegion",
  },
  lambda: {
    Function: "aws:lambda/function:Function",
    FunctionEventInvokeConfig: "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
    FunctionUrl: "aws:lambda/functionUrl:FunctionUrl",
    Permission: "aws:lambda/permission:Permission",
  },
  lb: {
    Listener: "aws:lb/listener:Listener",
    LoadBalancer: "aws:lb/loadBalancer:LoadBalancer",
    TargetGroup: "aws:lb/targetGroup:TargetGroup",
    TargetGroupAttachment: "aws:lb/targetGroupAttachment:TargetGroupAttachment",
  },
  rds: {
    Instance: "aws:rds/instance:Instance",
  },
  sns: {
    Topic: "aws:sns/topic:Topic",
    TopicPolicy: "aws:sns/topicPolicy:TopicPolicy",
    TopicSubscription: "aws:sns/topicSubscription:TopicSubscription",
  },
  sqs: {
    Queue: "aws:sqs/queue:Queue",
  },
  ssm: {
    Document: "aws:ssm/document:Document",
  },
  vpc: {
    SecurityGroupEgressRule: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    SecurityGroupIngressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  },
} as const;
