/**
 * `npm run adopt` as a library: plan the stack offline, read what runs with the AWS SDK, match the
 * two, and write the file `pulumi import --file FILE --generate-code=false` reads.
 *
 * What the stack would create comes from the offline plan's recorded resources (names as the
 * provider computes them under `pulumi:autonaming`), never from names derived again here. The one
 * lookup the plan makes that decides a match, the VPC's `default` security group, is answered from
 * AWS instead of the plan's fake, so rules that name `default` match the live group.
 */
import * as path from "node:path";
import * as YAML from "yaml";
import { strategyFor } from "../../../config/autonaming";
import { StackModel } from "../../../config/model";
import { defaultLookups, LookupFake } from "../fakeAws";
import { modelFor, PlanInput, planStack, PROJECT, PROJECT_ROOT } from "../planner";
import { RecordedResource } from "../record";
import { VERBATIM_AUTONAMING } from "../salt/importer";
import { buildImportFile, importFileText } from "./importFile";
import {
  autoScalingGroups,
  AwsClients,
  groupsInVpc,
  instancesById,
  loadBalancers,
  metricAlarms,
  policiesOf,
  rulesOfGroups,
  subnetsById,
  topicArns,
  volumesById,
} from "./live";
import { matchLive } from "./match";
import { Adoption, fixedName, known, LiveData, T } from "./model";
import { adoptionFindings, Finding } from "./traps";
import { TYPES } from "../../../provider/types";

/** adopt cannot run: nothing is written. */
export class AdoptError extends Error {
  override readonly name = "AdoptError";
}

/** The types adopt finds by name: their names must be the seed's. */
const BY_NAME = [T.group, T.elb, T.asg, T.policy, T.alarm];

export interface AdoptResult {
  readonly resources: readonly RecordedResource[];
  readonly model: StackModel;
  readonly adoption: Adoption;
  readonly findings: readonly Finding[];
  /** The import file's text. */
  readonly text: string;
  readonly warnings: readonly string[];
}

function needsVerbatim(resources: readonly RecordedResource[], model: StackModel, stack: string): void {
  const random = resources.filter(
    (r) =>
      BY_NAME.includes(r.type as (typeof BY_NAME)[number]) &&
      fixedName(r, model) === undefined &&
      strategyFor(model.autonaming, r.type).kind === "default",
  );
  if (random.length === 0) return;
  const block = YAML.stringify({ "pulumi:autonaming": VERBATIM_AUTONAMING })
    .trimEnd()
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n");
  throw new AdoptError(
    `adopt finds the live resources by the names Salt gave them, but this stack would name these with a random suffix:\n${random
      .map((r) => `  ${r.type} ${r.name} → ${r.physicalName?.value ?? "(known after apply)"}`)
      .join(
        "\n",
      )}\nKeep the seed's names: add to Pulumi.${stack}.yaml under config: (npm run import writes it)\n${block}`,
  );
}

/** Reads what runs, for exactly the resources the plan would create. */
async function readLive(
  clients: AwsClients,
  resources: readonly RecordedResource[],
  model: StackModel,
  opts: { instances?: Readonly<Record<string, string>> },
  groups: Map<string, Awaited<ReturnType<typeof groupsInVpc>>>,
): Promise<LiveData> {
  const of = (type: string) => resources.filter((r) => r.type === type);
  const vpcs = [...new Set(of(T.group).flatMap((r) => (known(r, "vpcId") ? [known(r, "vpcId")!] : [])))];
  for (const vpc of vpcs) if (!groups.has(vpc)) groups.set(vpc, await groupsInVpc(clients.ec2, vpc));
  const wantedGroups = new Set(
    of(T.group).flatMap((r) => (fixedName(r, model) ? [fixedName(r, model)!] : [])),
  );
  const matchedIds = [...groups.values()]
    .flat()
    .filter((g) => wantedGroups.has(g.GroupName ?? ""))
    .map((g) => g.GroupId!);
  const asgNames = of(T.asg).flatMap((r) => (fixedName(r, model) ? [fixedName(r, model)!] : []));
  const asgs = asgNames.length > 0 ? await autoScalingGroups(clients.autoscaling, asgNames) : [];
  const policies = new Map<string, Awaited<ReturnType<typeof policiesOf>>>();
  for (const g of asgs)
    policies.set(g.AutoScalingGroupName!, await policiesOf(clients.autoscaling, g.AutoScalingGroupName!));
  const alarmNames = of(T.alarm).flatMap((r) => (fixedName(r, model) ? [fixedName(r, model)!] : []));
  const instanceIds = Object.values(opts.instances ?? {});
  const instances = await instancesById(clients.ec2, instanceIds);
  const volumeIds = instances.flatMap((i) =>
    (i.BlockDeviceMappings ?? []).flatMap((b) => (b.Ebs?.VolumeId ? [b.Ebs.VolumeId] : [])),
  );
  return {
    groups,
    rules: matchedIds.length > 0 ? await rulesOfGroups(clients.ec2, matchedIds) : [],
    loadBalancers: of(T.elb).length > 0 ? await loadBalancers(clients.elb) : [],
    autoScalingGroups: asgs,
    policies,
    alarms: alarmNames.length > 0 ? await metricAlarms(clients.cloudwatch, alarmNames) : [],
    topics: await topicArns(clients.sns),
    instances,
    volumes: await volumesById(clients.ec2, volumeIds),
  };
}

export async function adoptStack(
  input: PlanInput,
  clients: AwsClients,
  opts: { readonly instances?: Readonly<Record<string, string>> } = {},
): Promise<AdoptResult> {
  const model = modelFor(input);
  // The VPC's default group, as AWS answers it, so that rules naming `default` match the live group.
  const lookups: Record<string, LookupFake> = {};
  const groups = new Map<string, Awaited<ReturnType<typeof groupsInVpc>>>();
  if (model.network.mode === "existing") {
    const vpc = model.network.vpcId;
    const inVpc = await groupsInVpc(clients.ec2, vpc);
    groups.set(vpc, inVpc);
    const def = inVpc.find((g) => g.GroupName === "default");
    if (!def)
      throw new AdoptError(
        `the VPC ${vpc} (pillar:network.vpc_id) has no default security group in ${model.cloud.region}: is it the VPC's id, and the right region and account?`,
      );
    const fake = defaultLookups(model.cloud.region)[TYPES.ec2.getSecurityGroup]!;
    lookups[TYPES.ec2.getSecurityGroup] = (i) =>
      i.name === "default" && i.vpcId === vpc
        ? {
            result: { id: def.GroupId, name: "default", vpcId: vpc, arn: def.SecurityGroupArn ?? "" },
            assumption: `default group of ${vpc} → ${def.GroupId} (from AWS)`,
          }
        : fake(i);
  }
  // The subnets' zones decide where the stack puts a server's volumes: answer them from AWS too.
  const subnetIds = [
    ...new Set([
      ...(model.network.mode === "existing"
        ? [...model.network.publicSubnetIds, ...model.network.privateSubnetIds]
        : []),
      ...model.profiles.flatMap((p) => (p.subnet?.kind === "id" ? [p.subnet.id] : [])),
    ]),
  ];
  const subnets = subnetIds.length > 0 ? await subnetsById(clients.ec2, subnetIds) : [];
  const subnetFake = defaultLookups(model.cloud.region)[TYPES.ec2.getSubnet]!;
  lookups[TYPES.ec2.getSubnet] = (i) => {
    const s = subnets.find((x) => x.SubnetId === i.id);
    return s
      ? {
          result: { id: s.SubnetId, availabilityZone: s.AvailabilityZone, arn: s.SubnetArn ?? "" },
          assumption: `subnet ${String(i.id)} → availability zone ${s.AvailabilityZone} (from AWS)`,
        }
      : subnetFake(i);
  };
  // Each plan runs the program afresh.
  delete require.cache[require.resolve(path.join(PROJECT_ROOT, "index.ts"))];
  const planned = await planStack(input, { lookups });
  const resources = planned.resources;
  needsVerbatim(resources, model, input.stack);
  const live = await readLive(clients, resources, model, opts, groups);
  const adoption = matchLive(resources, model, live, opts);
  // Alarm actions that name a topic outside the stack must exist.
  const warnings: string[] = [];
  for (const r of resources.filter((x) => x.type === T.alarm)) {
    for (const kind of ["alarmActions", "okActions", "insufficientDataActions"]) {
      const actions = r.wireInputs[kind];
      if (!Array.isArray(actions)) continue;
      for (const a of actions)
        if (
          typeof a === "string" &&
          a.startsWith("arn:aws") &&
          a.includes(":sns:") &&
          !live.topics.includes(a)
        )
          warnings.push(
            `alarm ${r.name} notifies ${a}, which is not a topic of ${model.cloud.region}: the alarm would notify nobody`,
          );
    }
  }
  const inputsByUrn = new Map([...adoption.found].map(([urn, f]) => [urn, f.inputs]));
  const findings = adoptionFindings(resources, inputsByUrn, model);
  // The file declares what it imports, the components above them and the provider they use.
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const include = new Set<string>();
  const withAncestors = (urn: string | undefined) => {
    for (let u = urn; u && byUrn.has(u) && !include.has(u); u = byUrn.get(u)!.parent) include.add(u);
  };
  for (const urn of adoption.found.keys()) {
    withAncestors(urn);
    const ref = byUrn.get(urn)!.provider;
    if (ref) withAncestors(ref.slice(0, ref.lastIndexOf("::")));
  }
  const built = buildImportFile(resources, {
    include: (r) => include.has(r.urn),
    id: (r) => adoption.found.get(r.urn)?.id,
    inputs: (r) => {
      const i = adoption.found.get(r.urn)?.inputs;
      return i && Object.keys(i).length > 0 ? i : undefined;
    },
  });
  return {
    resources,
    model,
    adoption,
    findings,
    text: importFileText(built.file),
    warnings: [...built.warnings, ...warnings],
  };
}

export { PROJECT };
