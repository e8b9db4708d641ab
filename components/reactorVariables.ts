/**
 * The reactor's environment from plain values, with no Pulumi in sight: what components/reactorPlan.ts
 * writes variable by variable (reactorEnvironment), here written whole from values known in advance,
 * so config can size it before anything is registered (config/providerLimits.ts). Both write every
 * variable with reactor/contract's ENCODE.
 */
import type { ReactorProfileModel, ReactorSettingsModel } from "../config/model";
import { serializeEnvironment, type GroupConfig, type ProfileConfig } from "../reactor/contract";
import { saltParameters } from "./saltDocument";

/** A group the reactor handles: its config name, its physical name and the profile that handles it. */
export interface ReactorGroupRef {
  readonly group: string;
  readonly asgName: string;
  readonly profile: string;
}

/** The groups as the function reads them, by physical name. */
export function groupConfigs(groups: readonly ReactorGroupRef[]): Record<string, GroupConfig> {
  return Object.fromEntries(
    groups.map((g) => [g.asgName, { asgName: g.asgName, group: g.group, profile: g.profile }]),
  );
}

/**
 * The profiles as the function reads them: grains, and the bootstrap with its document's real name
 * (`documentNames[i]` for `profiles[i]`: the stack's Salt document for a Salt bootstrap) and its
 * parameters.
 */
export function profileConfigs(
  profiles: readonly ReactorProfileModel[],
  documentNames: readonly string[],
): Record<string, ProfileConfig> {
  return Object.fromEntries(
    profiles.map((p, i) => [
      p.name,
      {
        name: p.name,
        grains: p.grains,
        ...(p.bootstrap
          ? {
              bootstrap: {
                document: documentNames[i] ?? "",
                parameters:
                  p.bootstrap.kind === "salt" ? saltParameters(p.bootstrap) : p.bootstrap.parameters,
                timeoutSeconds: p.bootstrap.timeoutSeconds,
              },
            }
          : {}),
      },
    ]),
  );
}

/** Every value of the environment, known: the names AWS will give, or the plan predicts. */
export interface KnownReactorEnvironment {
  readonly tableName: string;
  /** The topic of each group, in the groups' order. */
  readonly topicArns: readonly string[];
  readonly groups: readonly ReactorGroupRef[];
  readonly profiles: readonly ReactorProfileModel[];
  /** The real name of each profile's bootstrap document, in the profiles' order. */
  readonly documentNames: readonly string[];
  readonly settings: ReactorSettingsModel;
}

/** The function's environment variables, in reactor/contract's order, every one known. */
export function knownReactorEnvironment(i: KnownReactorEnvironment): Record<string, string> {
  const s = i.settings;
  return serializeEnvironment({
    tableName: i.tableName,
    topicArns: i.topicArns,
    signatureVersion: s.signatureVersion,
    groups: groupConfigs(i.groups),
    profiles: profileConfigs(i.profiles, i.documentNames),
    tombstoneTtlDays: s.tombstoneTtlDays,
    maxMessageAgeSeconds: s.maxMessageAgeSeconds,
    clockSkewSeconds: s.clockSkewSeconds,
    heartbeatTimeoutSeconds: s.lifecycleHeartbeatTimeout,
  });
}
