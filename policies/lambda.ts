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

/** Whether a resource naming a function in `key` (default functionName) targets `fn`: by dependency, or by its known name/ARN. */
function targets(config: PolicyResource, fn: PolicyResource, key = "functionName"): boolean | "unknown" {
  if ((config.propertyDependencies[key] ?? []).includes(fn)) {
    return true;
  }
  const target = field(plain(config.props), key);
  if (isUnknown(target)) {
    // An unknown name computed from another function of the stack is that function's.
    const others = (config.propertyDependencies[key] ?? []).filter((d) => d.type === T.lambdaFunction);
    return others.length > 0 ? false : "unknown";
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

export interface PublicFunctionConfig {
  /** Functions (logical names or function names) allowed to be invoked by anyone. */
  readonly allowedPublicFunctions?: readonly string[];
}

/** Whether a Lambda permission's action (`lambda:InvokeFunctionUrl`, `lambda:*`, `*`) matches `wanted`. */
function grants(action: unknown, wanted: string): boolean {
  if (typeof action !== "string") {
    return false;
  }
  const a = action.toLowerCase();
  return a === "*" || a === "lambda:*" || a === wanted.toLowerCase();
}

/** Permission statements that let anyone call the function, each phrased to follow "it …". */
function publicGrants(permissions: readonly PolicyResource[], urlsNone: boolean): string[] {
  const out: string[] = [];
  for (const p of permissions) {
    const props = plain(p.props);
    const principal = field(props, "principal");
    if (principal !== "*") {
      continue;
    }
    const action = field(props, "action");
    // A source condition ties "*" to one caller; sourceArn/sourceAccount/principalOrgId restrict it.
    const restricted = ["sourceArn", "sourceAccount", "principalOrgId"].some((k) =>
      hasValue(field(props, k)),
    );
    if (grants(action, "lambda:InvokeFunctionUrl") && urlsNone && !restricted) {
      out.push(
        `grants Principal "*" lambda:InvokeFunctionUrl (permission "${p.name}") on a URL with authorizationType NONE`,
      );
    } else if (
      grants(action, "lambda:InvokeFunction") &&
      !restricted &&
      field(props, "invokedViaFunctionUrl") !== true
    ) {
      out.push(`grants Principal "*" ${String(action)} without a source condition (permission "${p.name}")`);
    }
  }
  return out;
}

export const lambdaFunctionNotPublic: StackValidationPolicy = {
  name: "lambda-function-not-public",
  description:
    'Checks that no Lambda function can be invoked by anyone: no Function URL with authorizationType NONE whose function grants Principal "*" lambda:InvokeFunctionUrl, and no Principal "*" permission without a source condition, unless config "allowedPublicFunctions" names the function (the reactor\'s webhook URL, whose messages are signature-checked, is the documented exception).',
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      allowedPublicFunctions: { type: "array", items: { type: "string", minLength: 1 }, default: [] },
    },
  },
  validateStack: (args, reportViolation) => {
    const allowed = args.getConfig<PublicFunctionConfig>().allowedPublicFunctions ?? [];
    const urls = args.resources.filter((r) => r.type === T.lambdaFunctionUrl);
    const permissions = args.resources.filter((r) => r.type === T.lambdaPermission);
    for (const fn of args.resources.filter((r) => r.type === T.lambdaFunction)) {
      const fnName = field(plain(fn.props), "name");
      if (allowed.includes(fn.name) || (typeof fnName === "string" && allowed.includes(fnName))) {
        continue;
      }
      const rule = `Lambda function "${fn.name}" must not be invocable by anyone (allow it with config allowedPublicFunctions only if it authenticates its callers itself)`;
      const mine = (r: PolicyResource, key: string): boolean | "unknown" => targets(r, fn, key);
      const fnUrls = urls.filter((u) => mine(u, "functionName") !== false);
      const fnPermissions = permissions.filter((p) => mine(p, "function") === true);
      const unknownTargets = [...urls, ...permissions].filter(
        (r) => mine(r, r.type === T.lambdaFunctionUrl ? "functionName" : "function") === "unknown",
      );
      const authTypes = fnUrls.map((u) => field(plain(u.props), "authorizationType"));
      if (authTypes.some(isUnknown)) {
        reportViolation(
          `${rule}; cannot be verified at preview: a Function URL's authorizationType is unknown.`,
          fn.urn,
        );
        continue;
      }
      const none = authTypes.includes("NONE");
      const problems = publicGrants(fnPermissions, none);
      for (const problem of problems) {
        reportViolation(`${rule}; it ${problem}.`, fn.urn);
      }
      const unknownPublic = unknownTargets.filter(
        (r) => r.type === T.lambdaPermission && field(plain(r.props), "principal") === "*",
      );
      if (problems.length === 0 && unknownPublic.length > 0) {
        reportViolation(
          `${rule}; cannot be verified at preview: the function of permission ${unknownPublic.map((r) => `"${r.name}"`).join(", ")} (Principal "*") is unknown.`,
          fn.urn,
        );
      }
    }
  },
};

export const lambdaFunctionTracingEnabled: ResourceValidationPolicy = {
  name: "lambda-function-tracing-enabled",
  description:
    'Checks that Lambda functions send traces to AWS X-Ray (tracingConfig.mode "Active"), so a slow or failing invocation can be followed across the AWS calls it makes.',
  enforcementLevel: "advisory",
  validateResource: (args, reportViolation) => {
    if (args.type !== T.lambdaFunction) {
      return;
    }
    const mode = path(plain(args.props), "tracingConfig", "mode");
    const rule = `Lambda function "${args.name}" must enable active X-Ray tracing (tracingConfig.mode "Active", and xray:PutTraceSegments/PutTelemetryRecords on its role)`;
    if (isUnknown(mode)) {
      reportViolation(`${rule}; cannot be verified at preview: tracingConfig.mode is unknown.`);
    } else if (mode !== "Active") {
      reportViolation(`${rule}; it is ${show(mode ?? "PassThrough")}.`);
    }
  },
};
