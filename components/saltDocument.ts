/**
 * The SSM Command document that bootstraps a Salt minion: the seed's `minion.startup_states`,
 * `minion.master` and grains. Parameters reach the script only through SSM's substitution, each
 * constrained by an allowedPattern that admits no quote, `$` or backtick, and every use sits inside
 * single quotes, so no caller-built shell string exists anywhere.
 *
 * The minion is named after its EC2 instance id and sends the `pillar_stack` grain for
 * `autosign_grains`: the master accepts its key when its `autosign_grains_dir` has a `pillar_stack`
 * file listing the stack (see the README). Without that, highstate cannot run and the reactor
 * abandons the launch.
 *
 * The parameters' patterns are config's (config/sections/ec2.autoscale.ts), so a value SSM would
 * refuse is a config error before anything is created.
 */
import type { SaltBootstrapModel } from "../config/model";
import { SALT_PARAMETER_PATTERNS } from "../config/sections/ec2.autoscale";

/** The document's parameters for a profile's Salt bootstrap, every value as SSM takes it (a list). */
export function saltParameters(b: SaltBootstrapModel): Record<string, string[]> {
  return {
    StartupStates: [b.startupStates.join(" ")],
    ...(b.master !== undefined ? { Master: [b.master] } : {}),
    Grains: [b.grains],
    ExecutionTimeout: [String(b.timeoutSeconds)],
  };
}

export function saltBootstrapDocument(): string {
  const p = SALT_PARAMETER_PATTERNS;
  return JSON.stringify({
    schemaVersion: "2.2",
    description:
      "pillar: install a Salt minion, name it by instance id, set its grains, point it at the master and apply its startup states",
    parameters: {
      Master: { type: "String", description: "Salt master address", allowedPattern: p.Master },
      StartupStates: {
        type: "String",
        description: "Space-separated states to apply (highstate for all)",
        default: "highstate",
        allowedPattern: p.StartupStates,
      },
      Grains: {
        type: "String",
        description: "Grains as a JSON object (the reactor profile's grains and pillar_stack)",
        default: "{}",
        allowedPattern: p.Grains,
      },
      SaltVersion: {
        type: "String",
        description: "Salt release to install when none is installed",
        default: "3007",
        allowedPattern: p.SaltVersion,
      },
      ExecutionTimeout: {
        type: "String",
        description: "Seconds the bootstrap may run",
        default: "600",
        allowedPattern: p.ExecutionTimeout,
      },
    },
    mainSteps: [
      {
        action: "aws:runShellScript",
        name: "bootstrapMinion",
        inputs: {
          timeoutSeconds: "{{ ExecutionTimeout }}",
          runCommand: [
            "set -eu",
            "if ! command -v salt-call >/dev/null; then curl -fsSL -o /tmp/bootstrap-salt.sh https://github.com/saltstack/salt-bootstrap/releases/latest/download/bootstrap-salt.sh && sh /tmp/bootstrap-salt.sh -X stable '{{ SaltVersion }}'; fi",
            "token=$(curl -fsS -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' http://169.254.169.254/latest/api/token)",
            'iid=$(curl -fsS -H "X-aws-ec2-metadata-token: $token" http://169.254.169.254/latest/meta-data/instance-id)',
            "mkdir -p /etc/salt/minion.d",
            "printf '%s\\n' '{{ Grains }}' > /etc/salt/grains",
            "printf 'master: %s\\nid: %s\\nautosign_grains:\\n  - pillar_stack\\n' '{{ Master }}' \"$iid\" > /etc/salt/minion.d/pillar.conf",
            "systemctl restart salt-minion || service salt-minion restart",
            'for state in {{ StartupStates }}; do if [ "$state" = highstate ]; then salt-call --retcode-passthrough state.highstate; else salt-call --retcode-passthrough state.apply "$state"; fi; done',
          ],
        },
      },
    ],
  });
}
