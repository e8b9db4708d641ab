/**
 * The SSM Command document that bootstraps a Salt minion: the seed's `minion.startup_states` and
 * `minion.master`. Parameters reach the script only through SSM's substitution, each constrained
 * by an allowedPattern, so no caller-built shell string exists anywhere.
 */
export function saltBootstrapDocument(): string {
  return JSON.stringify({
    schemaVersion: "2.2",
    description: "pillar: install a Salt minion, point it at the master and apply its startup states",
    parameters: {
      Master: {
        type: "String",
        description: "Salt master address",
        allowedPattern: "^[A-Za-z0-9.-]{1,253}$",
        default: "salt",
      },
      StartupStates: {
        type: "StringList",
        description: "States to apply once the minion runs (highstate for all)",
        allowedPattern: "^[A-Za-z0-9_.-]{1,128}$",
      },
    },
    mainSteps: [
      {
        action: "aws:runShellScript",
        name: "bootstrapMinion",
        inputs: {
          timeoutSeconds: "900",
          runCommand: [
            "set -eu",
            "if ! command -v salt-call >/dev/null; then curl -fsSL https://github.com/saltstack/salt-bootstrap/releases/latest/download/bootstrap-salt.sh -o /tmp/bootstrap-salt.sh && sh /tmp/bootstrap-salt.sh -X stable; fi",
            "mkdir -p /etc/salt/minion.d",
            "printf 'master: %s\\n' '{{ Master }}' > /etc/salt/minion.d/pillar.conf",
            "systemctl restart salt-minion || service salt-minion restart",
            'for state in {{ StartupStates }}; do if [ "$state" = highstate ]; then salt-call --retcode-passthrough state.highstate; else salt-call --retcode-passthrough state.apply "$state"; fi; done',
          ],
        },
      },
    ],
  });
}
