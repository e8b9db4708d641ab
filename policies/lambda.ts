// Lambda policies: a supported runtime, and somewhere for failed asynchronous invocations to go.

import { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { T } from "./types";
import { field, isUnknown, path, plain, show } from "./values";

/**
 * The rule: a runtime AWS supports and will not deprecate before 2027 (as of late 2026). For Node,
 * nodejs20.x was deprecated in April 2026, nodejs22.x runs until April 2027 and nodejs24.x until
 * April 2028. The list is deliberately short — only runtimes whose support window is not in doubt
 * (dotnet8, for one, reached end of support in November 2026) — and a stack can replace it with
 * config `supportedRuntimes`.
 */
export const DEFAULT_SUPPORTED_RUNTIMES: readonly string[] = [
  "nodejs22.x",
  "nodejs24.x",
  "python3.12",
  "python3.13",
  "java21",
  "provided.al2023",
];

export interface RuntimeConfig {
  readonly supportedRuntimes?: readonly string[];
}

export const lambdaFunctionRuntimeSupported: ResourceValidationPolicy = {
  name: "lambda-function-runtime-supported",
  description:
    'Checks that Lambda functions use a supported, non-deprecated runtime (default: nodejs22.x, nodejs24.x and current versions of other languages; config "supportedRuntimes").',
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      supportedRuntimes: {
        type: "array",
        items: { type: "string" },
        default: [...DEFAULT_SUPPORTED_RUNTIMES],
      },
    },
  },
  validateResource: (args, reportViolation) => {
    if (args.type !== T.lambdaFunction) {
      return;
    }
    const props = plain(args.props);
    if (field(props, "packageType") === "Image") {
      return; // a container image brings its own runtime; there is no runtime field to judge
    }
    const supported = args.getConfig<RuntimeConfig>().supportedRuntimes ?? DEFAULT_SUPPORTED_RUNTIMES;
    const runtime = field(props, "runtime");
    const rule = `Lambda function "${args.name}" must use a supported runtime (${supported.join(", ")})`;
    if (isUnknown(runtime)) {
      reportViolation(`${rule}; cannot be verified at preview: runtime is unknown.`);
    } else if (typeof runtime !== "string" || !supported.includes(runtime)) {
      reportViolation(`${rule}; it uses ${show(runtime)}.`);
    }
  },
};

function hasValue(v: unknown): boolean {
  return v !== undefined && v !== null && v !== "";
}

/** Whether an event invoke config targets `fn`: by dependency, or by its known name/ARN. */
function targets(config: PolicyResource, fn: PolicyResource): boolean | "unknown" {
  if ((config.propertyDependencies["functionName"] ?? []).includes(fn)) {
    return true;
  }
  const target = field(plain(config.props), "functionName");
  if (isUnknown(target)) {
    return "unknown";
  }
  const fnProps = plain(fn.props);
  const names = [field(fnProps, "name"), field(fnProps, "arn")].filter(
    (v) => typeof v === "string" && !isUnknown(v),
  );
  // functionName also accepts a qualified name or ARN ("name:alias", "arn:...:function:name:alias").
  return (
    typeof target === "string" &&
    names.some(
      (n) => target === n || target.startsWith(`${String(n)}:`) || target.endsWith(`:function:${String(n)}`),
    )
  );
}

export const lambdaFunctionFailureDestination: StackValidationPolicy = {
  name: "lambda-function-failure-destination",
  description:
    "Checks that every Lambda function sends failed asynchronous invocations somewhere: a dead-letter queue (deadLetterConfig) or an on-failure destination (FunctionEventInvokeConfig destinationConfig.onFailure).",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const configs = args.resources.filter((r) => r.type === T.lambdaEventInvokeConfig);
    for (const fn of args.resources.filter((r) => r.type === T.lambdaFunction)) {
      const rule = `Lambda function "${fn.name}" must have a failure destination (deadLetterConfig.targetArn or an event invoke config's destinationConfig.onFailure)`;
      const dlq = path(plain(fn.props), "deadLetterConfig", "targetArn");
      // An unknown ARN is still a configured queue: only its value waits for creation.
      if (hasValue(dlq)) {
        continue;
      }
      let undecided = false;
      let found = false;
      for (const config of configs) {
        const match = targets(config, fn);
        const destination = path(plain(config.props), "destinationConfig", "onFailure", "destination");
        if (match === true && hasValue(destination)) {
          found = true;
        } else if (match === "unknown" && hasValue(destination)) {
          undecided = true;
        }
      }
      if (found) {
        continue;
      }
      reportViolation(
        undecided
          ? `${rule}; cannot be verified at preview: an event invoke config's functionName is unknown.`
          : `${rule}; it has none.`,
        fn.urn,
      );
    }
  },
};
