// The pillar policy pack. Only this file constructs the PolicyPack: the constructor starts the
// analyzer's gRPC server and prints its port, so nothing else may import this module.

import { PolicyPack } from "@pulumi/policy";
import { allPolicies } from "./all";
import { keepSecretMarkers } from "./secrets";

// Before the server handles a request: lets aws-provider-credentials-secret see secret markers.
keepSecretMarkers();

new PolicyPack("pillar", {
  description:
    "Guards pillar stacks: SSH only from the default group, no world ingress but 80/443, IMDSv2, encrypted EBS, sane autoscaling and alarms, safe Lambda, SNS and provider settings.",
  policies: allPolicies,
});
