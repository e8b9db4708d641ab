/**
 * Pure planners for an autoscale group's day-two settings: what `pulumi up` leaves to AWS
 * (ignoreChanges), the warm pool, the mixed instances policy and the scheduled actions, as plain
 * objects the component hands to the provider.
 */
import {
  AutoscaleGroupModel,
  MixedInstancesModel,
  ScheduledActionModel,
  WarmPoolModel,
} from "../config/model";

/**
 * Properties of the group that others move after creation, so a deploy must not put them back:
 * the desired capacity belongs to scaling policies, alarms and scheduled actions (unless
 * `manage_desired_capacity`), and min/max to scheduled actions that set them. Nothing else the
 * group carries moves on its own: the launch template version changes only when pulumi changes
 * it (instance refresh without a desired configuration or auto rollback leaves it), and the
 * provider drops the `aws:` tags AWS adds.
 */
export function groupIgnoreChanges(group: AutoscaleGroupModel): string[] {
  const actions = group.scheduledActions;
  return [
    ...(group.manageDesiredCapacity ? [] : ["desiredCapacity"]),
    ...(actions.some((a) => a.minSize !== undefined) ? ["minSize"] : []),
    ...(actions.some((a) => a.maxSize !== undefined) ? ["maxSize"] : []),
  ];
}

/** The group's `warmPool` input. */
export function warmPoolArgs(w: WarmPoolModel) {
  return {
    poolState: w.poolState,
    minSize: w.minSize,
    ...(w.maxGroupPreparedCapacity !== undefined
      ? { maxGroupPreparedCapacity: w.maxGroupPreparedCapacity }
      : {}),
    instanceReusePolicy: { reuseOnScaleIn: w.reuseOnScaleIn },
  };
}

/**
 * The group's `mixedInstancesPolicy`: the launch template (pinned version) stays the one source of
 * image, network, volumes, metadata options and tags; the overrides only name instance types.
 */
export function mixedInstancesPolicyArgs<T>(m: MixedInstancesModel, launchTemplate: { id: T; version: T }) {
  return {
    launchTemplate: {
      launchTemplateSpecification: { launchTemplateId: launchTemplate.id, version: launchTemplate.version },
      overrides: m.instanceTypes.map((instanceType) => ({ instanceType })),
    },
    instancesDistribution: {
      onDemandBaseCapacity: m.onDemandBaseCapacity,
      onDemandPercentageAboveBaseCapacity: m.onDemandPercentageAboveBase,
      spotAllocationStrategy: m.spotAllocationStrategy,
    },
  };
}

/**
 * One `aws.autoscaling.Schedule`'s inputs, but the group name. A size the action leaves alone is
 * sent as -1: the provider reads an unset size as 0 ("Defaults to 0"; only -1 means "do not
 * change", terraform-provider-aws autoscaling/schedule.go), so an action that only raises the
 * maximum would otherwise also drop the minimum and desired capacity to zero.
 */
export function scheduleArgs(a: ScheduledActionModel) {
  return {
    minSize: a.minSize ?? -1,
    maxSize: a.maxSize ?? -1,
    desiredCapacity: a.desiredCapacity ?? -1,
    scheduledActionName: a.name,
    ...(a.recurrence !== undefined ? { recurrence: a.recurrence } : {}),
    ...(a.timeZone !== undefined ? { timeZone: a.timeZone } : {}),
    ...(a.startTime !== undefined ? { startTime: a.startTime } : {}),
    ...(a.endTime !== undefined ? { endTime: a.endTime } : {}),
  };
}
