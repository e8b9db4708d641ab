// Type tokens the pack matches on. Policies compare `args.type` strings rather than using
// `isType(aws.x.Y)`: the pack may load a different @pulumi/aws copy than the program did.

export const T = {
  securityGroup: "aws:ec2/securityGroup:SecurityGroup",
  defaultSecurityGroup: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
  securityGroupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
  ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egressRule: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  subnet: "aws:ec2/subnet:Subnet",
  launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
  launchConfiguration: "aws:ec2/launchConfiguration:LaunchConfiguration",
  instance: "aws:ec2/instance:Instance",
  volume: "aws:ebs/volume:Volume",
  autoscalingGroup: "aws:autoscaling/group:Group",
  scalingPolicy: "aws:autoscaling/policy:Policy",
  scheduledAction: "aws:autoscaling/schedule:Schedule",
  dlmLifecyclePolicy: "aws:dlm/lifecyclePolicy:LifecyclePolicy",
  metricAlarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  lambdaFunction: "aws:lambda/function:Function",
  lambdaEventInvokeConfig: "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
  snsTopic: "aws:sns/topic:Topic",
  snsTopicPolicy: "aws:sns/topicPolicy:TopicPolicy",
  loadBalancer: "aws:elb/loadBalancer:LoadBalancer",
  loadBalancerPolicy: "aws:elb/loadBalancerPolicy:LoadBalancerPolicy",
  listenerPolicy: "aws:elb/listenerPolicy:ListenerPolicy",
  awsProvider: "pulumi:providers:aws",
  network: "pillar:network:Network",
} as const;
