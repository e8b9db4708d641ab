/** The environment components/reactor.ts would set for a stack with a web and a worker group. */
import {
  ENV_GROUPS,
  ENV_PROFILES,
  ENV_SIGNATURE_VERSION,
  ENV_TABLE_NAME,
  ENV_TOMBSTONE_TTL_DAYS,
  ENV_TOPIC_ARNS,
  ENV_MAX_MESSAGE_AGE_SECONDS,
  ENV_CLOCK_SKEW_SECONDS,
  ENV_HEARTBEAT_TIMEOUT_SECONDS,
} from "../../../reactor/contract";

export const TEST_ENV = {
  [ENV_TABLE_NAME]: "pillar-prod-inventory",
  [ENV_TOPIC_ARNS]: JSON.stringify(["arn:aws:sns:us-east-1:123456789012:pillar-prod-asg-events"]),
  [ENV_SIGNATURE_VERSION]: "2",
  [ENV_GROUPS]: JSON.stringify({
    "pillar-prod-web-asg-3f9a1c2": { group: "web", profile: "web" },
    "pillar-prod-worker-asg-8d7e6f5": { group: "worker", profile: "worker" },
  }),
  [ENV_PROFILES]: JSON.stringify({
    web: {
      grains: { env: "prod", roles: "web-host" },
      bootstrap: {
        document: "pillar-prod-salt-bootstrap",
        parameters: { Grains: ['{"env":"prod","roles":["web-host"]}'], StartupStates: ["highstate"] },
        timeoutSeconds: 600,
      },
    },
    worker: { grains: { env: "prod", roles: ["worker", "queue"] } },
  }),
  [ENV_TOMBSTONE_TTL_DAYS]: "7",
  [ENV_MAX_MESSAGE_AGE_SECONDS]: "1209600",
  [ENV_CLOCK_SKEW_SECONDS]: "300",
  [ENV_HEARTBEAT_TIMEOUT_SECONDS]: "1200",
} as const;
