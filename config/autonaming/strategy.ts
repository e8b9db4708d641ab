/**
 * What `pulumi:autonaming` resolves to: a naming strategy per resource type (type → provider →
 * global, pulumi/pulumi pkg/resource/autonaming/strategy.go), and the error its parse throws.
 */

export type NamingStrategy =
  | { readonly kind: "default" }
  | { readonly kind: "verbatim" }
  | { readonly kind: "disabled" }
  | { readonly kind: "pattern"; readonly pattern: string; readonly enforce: boolean };

export interface ProviderNaming {
  readonly default: NamingStrategy;
  /** By type token, e.g. `aws:ec2/securityGroup:SecurityGroup`. */
  readonly resources: Readonly<Record<string, NamingStrategy>>;
}

export interface AutonamingModel {
  readonly default: NamingStrategy;
  /** By provider package name, e.g. `aws`. */
  readonly providers: Readonly<Record<string, ProviderNaming>>;
  /** Things the engine accepts silently that a user likely did not mean (a token it does not know). */
  readonly warnings: readonly string[];
}

/** What the engine would send the provider's Check (plugin.AutonamingOptions), or undefined for "default". */
export interface EngineAutonaming {
  readonly mode: "propose" | "enforce" | "disable";
  readonly proposedName?: string;
  /** The engine sets deleteBeforeReplace when the name has no random part (verbatim, disabled, fixed patterns). */
  readonly deleteBeforeReplace: boolean;
}

/** An invalid `pulumi:autonaming`; the message is the CLI's own text. */
export class AutonamingError extends Error {
  override readonly name = "AutonamingError";
}

/** The provider's own auto-naming. */
export const DEFAULT_NAMING: NamingStrategy = { kind: "default" };

/** The strategy for a resource type (strategy.go, pluginOptionsForResourceType). */
export function strategyFor(model: AutonamingModel | undefined, type: string): NamingStrategy {
  if (!model) return DEFAULT_NAMING;
  const pkg = type.split(":")[0] ?? "";
  const p = model.providers[pkg];
  if (p) return p.resources[type] ?? p.default;
  return model.default;
}
