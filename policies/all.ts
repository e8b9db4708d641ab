// Every policy of the pack, in the order the pack reports them. Kept apart from index.ts so tests
// and tools can load the policies without starting the pack's gRPC server.

import { Policies } from "@pulumi/policy";
import {
  albAccessLogsEnabled,
  albDeletionProtectionEnabled,
  albDropInvalidHeaderFields,
  albListenerTlsPolicyCurrent,
  albTargetsOnlyThroughLoadBalancer,
} from "./alb";
import { withMetadata } from "./catalog";
import {
  autoscalingGroupCapacityOrdered,
  autoscalingGroupElbHealthCheck,
  autoscalingGroupMultiSubnet,
} from "./autoscaling";
import {
  cloudwatchAlarmActionsPresent,
  cloudwatchLogGroupRetentionMinimum,
  cloudwatchScaleUpAlarmHasScaleDown,
} from "./cloudwatch";
import { autoscalingGroupDesiredCapacityIgnored, ec2StatefulInstanceProtected } from "./dayTwo";
import {
  ec2EbsEncrypted,
  ec2ImdsV2Required,
  ec2InstanceTypeAllowed,
  ec2LaunchConfigurationsForbidden,
} from "./ec2";
import { ec2EgressWorldNotAllPorts } from "./egress";
import {
  elbAccessLogsEnabled,
  elbCrossZoneEnabled,
  elbHttpListenerRedirectsToHttps,
  elbHttpsListenerCertificate,
} from "./elb";
import { elbListenerTlsPolicyCurrent, elbSslNegotiationPolicyCurrent } from "./elbTls";
import {
  ec2InstanceBehindLoadBalancerNoPublicIp,
  ec2InstanceBehindLoadBalancerPublicIpDefault,
  ec2InstanceNotInDefaultGroup,
} from "./exposure";
import { ec2DetailedMonitoringEnabled, ec2ImdsHopLimitOne } from "./instanceSettings";
import {
  lambdaFunctionFailureDestination,
  lambdaFunctionNotPublic,
  lambdaFunctionRuntimeSupported,
  lambdaFunctionTracingEnabled,
} from "./lambda";
import { ec2LaunchTemplateInStack } from "./launchTemplates";
import { awsProviderCredentialsSecret } from "./provider";
import {
  ec2IngressWorldOnlyHttpHttps,
  ec2SecurityGroupDescriptionsPresent,
  ec2SshOnlyFromDefaultGroup,
} from "./securityGroups";
import { snsAlarmTopicHasSubscription, snsTopicNotPublic } from "./sns";
import { ec2UserDataNoSecrets } from "./userData";

/** In pack order, each with its severity, remediation steps, URL, framework and tags (catalog.ts). */
export const allPolicies: Policies = [
  // mandatory (IMDSv2 and EBS encryption at "remediate": fixed where safe, mandatory where not)
  ec2SshOnlyFromDefaultGroup,
  ec2IngressWorldOnlyHttpHttps,
  ec2ImdsV2Required,
  ec2EbsEncrypted,
  ec2LaunchConfigurationsForbidden,
  ec2LaunchTemplateInStack,
  ec2InstanceBehindLoadBalancerNoPublicIp,
  ec2UserDataNoSecrets,
  autoscalingGroupCapacityOrdered,
  autoscalingGroupMultiSubnet,
  cloudwatchAlarmActionsPresent,
  cloudwatchScaleUpAlarmHasScaleDown,
  lambdaFunctionRuntimeSupported,
  lambdaFunctionFailureDestination,
  lambdaFunctionNotPublic,
  snsTopicNotPublic,
  awsProviderCredentialsSecret,
  ec2StatefulInstanceProtected,
  // advisory
  elbHttpsListenerCertificate,
  elbListenerTlsPolicyCurrent,
  elbSslNegotiationPolicyCurrent,
  elbHttpListenerRedirectsToHttps,
  elbAccessLogsEnabled,
  elbCrossZoneEnabled,
  albListenerTlsPolicyCurrent,
  albDropInvalidHeaderFields,
  albAccessLogsEnabled,
  albDeletionProtectionEnabled,
  albTargetsOnlyThroughLoadBalancer,
  ec2SecurityGroupDescriptionsPresent,
  ec2EgressWorldNotAllPorts,
  ec2InstanceNotInDefaultGroup,
  ec2InstanceBehindLoadBalancerPublicIpDefault,
  ec2ImdsHopLimitOne,
  ec2DetailedMonitoringEnabled,
  autoscalingGroupElbHealthCheck,
  ec2InstanceTypeAllowed,
  autoscalingGroupDesiredCapacityIgnored,
  cloudwatchLogGroupRetentionMinimum,
  lambdaFunctionTracingEnabled,
  snsAlarmTopicHasSubscription,
].map(withMetadata);
