/**
 * Stack config → validated, normalized StackModel. Shapes first (ajv, every error), then each
 * section's normalizer and cross-references (config/sections/<key>.ts), in the order the sections
 * refer to each other, all collected and thrown together as one ConfigError. Nothing here knows
 * about Pulumi: index.ts reads the config and hands the plain values over.
 */
import { autonamingOf } from "./autonaming";
import { ConfigError, ConfigIssue, dedupe, withPlaceholders } from "./issues";
import { StackModel } from "./model";
import { checkProviderLimits } from "./providerLimits";
import type { RawStackConfig } from "./pulumiValues";
import type { ConfigKey } from "./schema";
import { loadAutoscale } from "./sections/autoscale";
import { loadCloud, referencedProviders } from "./sections/cloud";
import { loadAlarms, loadAlarmTopics } from "./sections/cloudwatch";
import { Section } from "./sections/context";
import { loadReactorProfiles } from "./sections/ec2.autoscale";
import { loadLoadBalancers } from "./sections/elb";
import { loadNetwork, resolveSubnet } from "./sections/network";
import { loadProfiles } from "./sections/profiles";
import { checkReactor, loadReactorHooks, loadReactorSettings } from "./sections/reactor";
import { loadSecurityGroups } from "./sections/security_groups";
import { checkShapes } from "./validate";

export type { RawStackConfig };

/**
 * What the model does differently from what the config says, by design (an ALB twin's mapped TLS
 * policy or health check): printed by the plan and logged by index.ts, so nothing changes silently.
 */
export function notesOf(model: StackModel): ConfigIssue[] {
  return model.loadBalancers.flatMap((l) => [...(l.application?.notes ?? [])]);
}

/** Validates and normalizes the whole stack config, or throws ConfigError listing every problem. */
export function loadStackConfig(raw: RawStackConfig): StackModel {
  const issues: ConfigIssue[] = [];
  const { values: v, trusted } = checkShapes(raw.values, issues);
  /** What a reference may be checked against: undefined when its section's own shape failed. */
  const known = <T>(key: ConfigKey, value: T): T | undefined => (trusted(key) ? value : undefined);
  const autonaming = autonamingOf(raw, issues);
  /** What the loader worked out for the user (the plan prints each as a warning). */
  const notes: string[] = [];
  const cloud = loadCloud(
    v.cloud,
    {
      ...raw,
      given: raw.values.cloud !== undefined,
      referenced: referencedProviders(raw.values),
      notes,
    },
    issues,
  );
  const network = loadNetwork(v.network, trusted("network"), raw.values, issues, notes);
  const securityGroups = loadSecurityGroups(v.security_groups, network, issues);
  const s: Section = {
    project: raw.project,
    stack: raw.stack,
    autonaming,
    cloud,
    network,
    issues,
    groupNames: known("security_groups", new Set(securityGroups.map((g) => g.name))),
    subnet: (ref, path) => resolveSubnet(ref, path, network, issues),
  };
  const reactorProfiles = loadReactorProfiles(v["ec2.autoscale"], s);
  const givenHooks = v.reactor?.hooks;
  const hooks =
    givenHooks === undefined
      ? undefined
      : loadReactorHooks(
          givenHooks,
          Array.isArray(raw.values.reactor) ? "pillar:reactor" : "pillar:reactor.hooks",
          known("ec2.autoscale", new Set(reactorProfiles.map((p) => p.name))),
          issues,
        );
  const profiles = loadProfiles(v.profiles, s);
  const loadBalancers = loadLoadBalancers(v.elb, s);
  const alarmTopics = loadAlarmTopics(v.cloudwatch);
  const autoscaleGroups = loadAutoscale(v.autoscale, s, {
    loadBalancers: known("elb", new Map(loadBalancers.map((l) => [l.name, l]))),
    reactorProfiles: known("ec2.autoscale", new Map(reactorProfiles.map((p) => [p.name, p]))),
    // Only when every hook is valid: a partial list would make contradictions of its own.
    ...(hooks !== undefined && hooks.length === givenHooks!.length
      ? { hookedProfiles: new Set(hooks.map((h) => h.profile)) }
      : {}),
  });
  const alarms = loadAlarms(v.cloudwatch, s, {
    groups: known("autoscale", autoscaleGroups),
    topics: new Set(alarmTopics.map((t) => t.name)),
    loadBalancers: known("elb", loadBalancers),
  });
  const reactor = loadReactorSettings(v.reactor, s, hooks);
  checkReactor(reactor, reactorProfiles, autoscaleGroups, issues);

  // A placeholder is never meant literally, even where its shape passes (`description: <text>`).
  const found = withPlaceholders(issues, raw.values);
  if (found.length > 0 || !cloud || !network) throw new ConfigError(dedupe(found));
  const model: StackModel = {
    project: raw.project,
    stack: raw.stack,
    ...(autonaming ? { autonaming } : {}),
    cloud,
    network,
    profiles,
    securityGroups,
    loadBalancers,
    autoscaleGroups,
    alarms,
    alarmTopics,
    reactorProfiles,
    reactor,
    ...(notes.length > 0 ? { notes } : {}),
  };
  // Values that pass their own shapes but that the AWS provider or AWS would refuse once named.
  const limits = checkProviderLimits(model);
  if (limits.length > 0) throw new ConfigError(dedupe(limits));
  return model;
}
