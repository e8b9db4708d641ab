/**
 * The types of the reactor's environment, and the bounds its values must keep (the config and the
 * function both check them).
 */

export type Grains = Readonly<Record<string, string | readonly string[]>>;

/** How a profile bootstraps a new instance: one SSM Run Command, parameters passed as data. */
export interface BootstrapConfig {
  readonly document: string;
  readonly parameters: Readonly<Record<string, readonly string[]>>;
  readonly timeoutSeconds: number;
}

/** A reactor profile (the seed's `ec2.autoscale.<name>`). */
export interface ProfileConfig {
  readonly name: string;
  readonly grains: Grains;
  readonly bootstrap?: BootstrapConfig;
}

/** One Auto Scaling group this stack manages, keyed in `ReactorConfig.groups` by its real name. */
export interface GroupConfig {
  readonly asgName: string;
  /** The group's name in the stack config (`pillar:autoscale`). */
  readonly group: string;
  readonly profile: string;
}

/** What the function's environment says, typed. */
export interface ReactorConfig {
  readonly tableName: string;
  readonly topicArns: readonly string[];
  readonly signatureVersion: "1" | "2";
  readonly groups: Readonly<Record<string, GroupConfig>>;
  readonly profiles: Readonly<Record<string, ProfileConfig>>;
  readonly tombstoneTtlDays: number;
  /** Messages whose SNS Timestamp is older than this are refused. */
  readonly maxMessageAgeSeconds: number;
  /** Messages dated further in the future than this are refused. */
  readonly clockSkewSeconds: number;
  /** The launch hook's heartbeat timeout: a launch message older than it has no hook left to act for. */
  readonly heartbeatTimeoutSeconds: number;
}

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * The bounds both sides check: the config refuses a setting outside them (config/sections/), the
 * function refuses an environment outside them.
 */
export const LIMITS = {
  tombstoneTtlDays: { min: 1, max: 3650 },
  maxMessageAgeSeconds: { min: 60, max: 3650 * 86_400 },
  clockSkewSeconds: { min: 0, max: 3600 },
  heartbeatTimeoutSeconds: { min: 30, max: 7200 },
  /**
   * SendCommand's TimeoutSeconds: at least SSM's minimum of 30; at most an hour, though the config
   * also keeps it 10 s inside the function's timeout, since one invocation waits for it.
   */
  bootstrapTimeoutSeconds: { min: 30, max: 3600 },
} as const;
