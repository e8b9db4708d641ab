// Pulumi's AWS Guard policies, unchanged: `new AwsGuard()` builds the pack (and starts its server).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { AwsGuard } = require("@pulumi/awsguard");

new AwsGuard({ all: "advisory" });
