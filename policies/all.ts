// Every policy of the pack, in the order the pack reports them. Kept apart from index.ts so tests
// and tools can load the policies without starting the pack's gRPC server.

import { Policies } from "@pulumi/policy";
import {
  autoscalingGroupCapacityOrdered,
  autoscalingGroupElbHealthCheck,
  autoscalingGroupMultiSubnet,
} from "./autoscaling";
import { cloudwatchAlarmActionsPresent, cloudwatchScaleUpAlarmHasScaleDown } from "./cloudwatch";
import {
  ec2EbsEncrypted,
  ec2ImdsV2Required,
  ec2InstanceTypeAllowed,
  ec2LaunchConfigurationsForbidden,
} from "./ec2";
import { ec2LaunchTemplateInStack } from "./launchTemplates";
import {
  elbAccessLogsEnabled,
  elbCrossZoneEnabled,
  elbHttpsListenerCertificate,
  elbListenerTlsPolicyCurrent,
} from "./elb";
import { lambdaFunctionFailureDestination, lambdaFunctionRuntimeSupported } from "./lambda";
import { awsProviderCredentialsSecret } from "./provider";
import {
  ec2IngressWorldOnlyHttpHttps,
  ec2SecurityGroupDescriptionsPresent,
  ec2SshOnlyFromDefaultGroup,
} from "./securityGroups";
import { snsTopicNotPublic } from "./sns";

export const allPolicies: Policies = [
  // mandatory
  ec2SshOnlyFromDefaultGroup,
  ec2IngressWorldOnlyHttpHttps,
  ec2ImdsV2Required,
  ec2EbsEncrypted,
  ec2LaunchConfigurationsForbidden,
  ec2LaunchTemplateInStack,
  autoscalingGroupCapacityOrdered,
  autoscalingGroupMultiSubnet,
  cloudwatchAlarmActionsPresent,
  cloudwatchScaleUpAlarmHasScaleDown,
  lambdaFunctionRuntimeSupported,
  lambdaFunctionFailureDestination,
  snsTopicNotPublic,
  awsProviderCredentialsSecret,
  // advisory
  elbHttpsListenerCertificate,
  elbListenerTlsPolicyCurrent,
  elbAccessLogsEnabled,
  elbCrossZoneEnabled,
  ec2SecurityGroupDescriptionsPresent,
  autoscalingGroupElbHealthCheck,
  ec2InstanceTypeAllowed,
];
