import assert from "node:assert/strict";
import {
  ENV_GROUPS,
  ENV_PROFILES,
  ENV_SIGNATURE_VERSION,
  ENV_TOMBSTONE_TTL_DAYS,
  ENV_TOPIC_ARNS,
  ENV_MAX_MESSAGE_AGE_SECONDS,
  ENV_CLOCK_SKEW_SECONDS,
  ENV_HEARTBEAT_TIMEOUT_SECONDS,
  REACTOR_ENV_VARS,
} from "../../reactor/contract";
import { loadConfig } from "../../reactor/config";
import { ConfigError, ReactorError } from "../../reactor/errors";
import { TEST_ENV } from "./support/env";

describe("reactor/config loadConfig", () => {
  it("names exactly the nine variables components/reactor.ts sets", () => {
    assert.deepEqual(REACTOR_ENV_VARS, [
      "PILLAR_TABLE_NAME",
      "PILLAR_TOPIC_ARNS",
      "PILLAR_SIGNATURE_VERSION",
      "PILLAR_GROUPS",
      "PILLAR_PROFILES",
      "PILLAR_TOMBSTONE_TTL_DAYS",
      "PILLAR_MAX_MESSAGE_AGE_SECONDS",
      "PILLAR_CLOCK_SKEW_SECONDS",
      "PILLAR_HEARTBEAT_TIMEOUT_SECONDS",
    ]);
  });

  it("reads a valid environment", () => {
    assert.deepEqual(loadConfig(TEST_ENV), {
      tableName: "pillar-prod-inventory",
      topicArns: ["arn:aws:sns:us-east-1:123456789012:pillar-prod-asg-events"],
      signatureVersion: "2",
      groups: {
        "pillar-prod-web-asg-3f9a1c2": {
          asgName: "pillar-prod-web-asg-3f9a1c2",
          group: "web",
          profile: "web",
        },
        "pillar-prod-worker-asg-8d7e6f5": {
          asgName: "pillar-prod-worker-asg-8d7e6f5",
          group: "worker",
          profile: "worker",
        },
      },
      profiles: {
        web: {
          name: "web",
          grains: { env: "prod", roles: "web-host" },
          bootstrap: {
            document: "pillar-prod-salt-bootstrap",
            parameters: { Grains: ['{"env":"prod","roles":["web-host"]}'], StartupStates: ["highstate"] },
            timeoutSeconds: 600,
          },
        },
        worker: { name: "worker", grains: { env: "prod", roles: ["worker", "queue"] } },
      },
      tombstoneTtlDays: 7,
      maxMessageAgeSeconds: 1_209_600,
      clockSkewSeconds: 300,
      heartbeatTimeoutSeconds: 1200,
    });
  });

  it("throws one ConfigError listing every problem", () => {
    const env = {
      [ENV_TOPIC_ARNS]: '["arn:aws:sqs:us-east-1:123456789012:q"]',
      [ENV_SIGNATURE_VERSION]: "3",
      [ENV_GROUPS]: '{"asg-1":{"group":"web","profile":"nope"}}',
      [ENV_PROFILES]:
        '{"web":{"grains":{"env":1},"bootstrap":{"document":"x","parameters":{"A":"b"},"timeoutSeconds":5}}}',
      [ENV_TOMBSTONE_TTL_DAYS]: "7.5",
      [ENV_MAX_MESSAGE_AGE_SECONDS]: "59",
      [ENV_CLOCK_SKEW_SECONDS]: "-1",
      [ENV_HEARTBEAT_TIMEOUT_SECONDS]: "7201",
    };
    assert.throws(
      () => loadConfig(env),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError && error instanceof ReactorError);
        assert.equal(error.name, "ConfigError");
        assert.equal(error.code, "invalid_config");
        assert.equal(
          error.message,
          [
            "the reactor's environment is invalid:",
            "  PILLAR_TABLE_NAME: is not set",
            "  PILLAR_TOPIC_ARNS[0]: is not an SNS topic ARN",
            '  PILLAR_SIGNATURE_VERSION: must be "1" or "2"',
            "  PILLAR_PROFILES.web.grains.env: must be a string or a list of strings",
            "  PILLAR_PROFILES.web.bootstrap.document: is not an SSM document name",
            "  PILLAR_PROFILES.web.bootstrap.parameters.A: must be a list of strings",
            "  PILLAR_PROFILES.web.bootstrap.timeoutSeconds: must be a whole number of seconds from 30 to 3600",
            '  PILLAR_GROUPS.asg-1.profile: names unknown profile "nope" (known: web)',
            "  PILLAR_TOMBSTONE_TTL_DAYS: must be a whole number of days from 1 to 3650",
            "  PILLAR_MAX_MESSAGE_AGE_SECONDS: must be a whole number of seconds from 60 to 315360000",
            "  PILLAR_CLOCK_SKEW_SECONDS: must be a whole number of seconds from 0 to 3600",
            "  PILLAR_HEARTBEAT_TIMEOUT_SECONDS: must be a whole number of seconds from 30 to 7200",
          ].join("\n"),
        );
        return true;
      },
    );
  });

  it("reports JSON that does not parse", () => {
    assert.throws(() => loadConfig({ ...TEST_ENV, [ENV_GROUPS]: "{" }), /PILLAR_GROUPS: is not valid JSON/);
  });

  it("rejects an empty group map and an empty topic list", () => {
    assert.throws(
      () => loadConfig({ ...TEST_ENV, [ENV_GROUPS]: "{}" }),
      /PILLAR_GROUPS: must be a non-empty JSON object/,
    );
    assert.throws(
      () => loadConfig({ ...TEST_ENV, [ENV_TOPIC_ARNS]: "[]" }),
      /PILLAR_TOPIC_ARNS: must be a non-empty/,
    );
  });
});
