/**
 * What the AWS provider's plan-time behaviour sees of a registered resource: its identity and its
 * inputs exactly as they crossed the wire (unknowns as the engine's sentinel, secrets wrapped), as
 * the engine hands them to the provider's Check. The offline plan's record (scripts/lib/record.ts)
 * is one of these.
 */
import type { PhysicalName } from "./naming";

export interface RegisteredResource {
  readonly urn: string;
  /** Type token, e.g. `aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule`. */
  readonly type: string;
  readonly name: string;
  /** false for component resources (and the stack). */
  readonly custom: boolean;
  /** Provider reference as the engine writes it: `<provider urn>::<provider id>`. */
  readonly provider?: string;
  /** Inputs exactly as they crossed the wire: unknowns as the engine's sentinel, secrets wrapped. */
  readonly wireInputs: Record<string, unknown>;
  /** Per input property, the URNs it depends on. */
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
  /** The name AWS will know it by, as the provider computes it at preview; absent for unnamed types. */
  readonly physicalName?: PhysicalName;
}
