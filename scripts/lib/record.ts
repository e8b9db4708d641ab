/**
 * What the offline plan records of each registered resource. Shared by the plan command, the test
 * harness, the policy-pack driver (analyzer protocol) and the diagram.
 */
import type { RegisteredResource } from "../../provider/resource";

/** The engine's sentinel for a value known only after apply, as it travels in a protobuf Struct. */
export const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** Key and value that mark a wrapped secret on the wire: `{ [SIG_KEY]: SECRET_SIG, value }`. */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
export const RESOURCE_REF_SIG = "5cf8f73096256a8f31e491e813e4eb8e";

/** How the plan shows a value known only after apply, and a secret. */
export const KNOWN_AFTER_APPLY = "(known after apply)";
export const REDACTED_SECRET = "[secret]";

/** A registered resource as the engine would receive it (RegisteredResource), and what the plan learnt of it. */
export interface RecordedResource extends RegisteredResource {
  readonly parent?: string;
  /** Inputs as a preview shows them: unknowns as KNOWN_AFTER_APPLY, secrets as REDACTED_SECRET. */
  readonly inputs: Record<string, unknown>;
  /** URNs of every resource whose outputs the inputs use, plus explicit dependsOn. */
  readonly dependencies: readonly string[];
  /** The id the mock gave a custom resource; absent in a preview, where ids are not known yet. */
  id?: string;
  /** Outputs in wire form: a component's registerOutputs, or a custom resource's mocked state. */
  outputs: Record<string, unknown>;
  /** Resource options as the RegisterResource request carried them (the analyzer protocol passes most). */
  readonly options: {
    readonly protect: boolean;
    readonly ignoreChanges: readonly string[];
    readonly deleteBeforeReplace: boolean;
    readonly retainOnDelete: boolean;
    /** The id of an existing resource to import (`import:`), or undefined. */
    readonly import?: string;
    /** Alias URNs: given as URNs, or resolved from alias specs the way the engine resolves them. */
    readonly aliases: readonly string[];
    readonly customTimeouts?: {
      readonly create?: string;
      readonly update?: string;
      readonly delete?: string;
    };
    readonly additionalSecretOutputs: readonly string[];
  };
}
