import { PolicyResource } from "@pulumi/policy";
import {
  DEFAULT_SUPPORTED_RUNTIMES,
  lambdaFunctionFailureDestination,
  lambdaFunctionNotPublic,
  lambdaFunctionRuntimeSupported,
  lambdaFunctionTracingEnabled,
} from "../../policies/lambda";
import { T } from "../../policies/types";
import { PropsOf, StackBuilder, assertNoViolations, assertViolations, resourceArgs, unknown } from "./util";

const REACTOR: PropsOf<typeof T.lambdaFunction> = {
  name: "pillar-reactor",
  role: "arn:aws:iam::123456789012:role/pillar-reactor",
  runtime: "nodejs22.x",
  handler: "index.handler",
};

const RUNTIME = `Lambda function "reactor" must use a supported runtime (${DEFAULT_SUPPORTED_RUNTIMES.join(", ")})`;

describe("lambda-function-runtime-supported", () => {
  it("accepts nodejs22.x and nodejs24.x", async () => {
    for (const runtime of ["nodejs22.x", "nodejs24.x"]) {
      await assertNoViolations(
        lambdaFunctionRuntimeSupported,
        resourceArgs(T.lambdaFunction, { ...REACTOR, runtime }),
      );
    }
  });

  it("flags deprecated and unlisted runtimes", async () => {
    for (const runtime of ["nodejs20.x", "nodejs18.x", "python3.9"]) {
      await assertViolations(
        lambdaFunctionRuntimeSupported,
        resourceArgs(T.lambdaFunction, { ...REACTOR, runtime }, { name: "reactor" }),
        [`${RUNTIME}; it uses "${runtime}".`],
      );
    }
  });

  it("takes the list from config", async () => {
    await assertViolations(
      lambdaFunctionRuntimeSupported,
      resourceArgs(T.lambdaFunction, REACTOR, {
        name: "reactor",
        config: { supportedRuntimes: ["nodejs24.x"] },
      }),
      [`Lambda function "reactor" must use a supported runtime (nodejs24.x); it uses "nodejs22.x".`],
    );
  });

  it("leaves container-image functions alone: the image brings its runtime", async () => {
    await assertNoViolations(
      lambdaFunctionRuntimeSupported,
      resourceArgs(T.lambdaFunction, {
        role: REACTOR.role,
        packageType: "Image",
        imageUri: "1234.dkr.ecr/x:1",
      }),
    );
  });

  it("reports an unknown runtime at preview", async () => {
    await assertViolations(
      lambdaFunctionRuntimeSupported,
      resourceArgs(T.lambdaFunction, { ...REACTOR, runtime: unknown<string>() }, { name: "reactor" }),
      [`${RUNTIME}; cannot be verified at preview: runtime is unknown.`],
    );
  });
});

const DESTINATION = `Lambda function "reactor" must have a failure destination (deadLetterConfig.targetArn or an event invoke config's destinationConfig.onFailure)`;

function reactorStack(props: Partial<PropsOf<typeof T.lambdaFunction>> = {}) {
  const stack = new StackBuilder();
  const fn = stack.add(T.lambdaFunction, "reactor", { ...REACTOR, ...props });
  const queue = unknown<string>(); // the ARN of an SQS queue created in the same update
  const invokeConfig = (functionName: string, deps: PolicyResource[], onFailure = true): PolicyResource =>
    stack.add(
      T.lambdaEventInvokeConfig,
      "reactor-invoke",
      {
        functionName,
        maximumRetryAttempts: 2,
        destinationConfig: onFailure ? { onFailure: { destination: queue } } : undefined,
      },
      { propertyDependencies: { functionName: deps } },
    );
  return { stack, fn, invokeConfig };
}

describe("lambda-function-failure-destination", () => {
  it("accepts a dead-letter queue, even one being created", async () => {
    const { stack } = reactorStack({ deadLetterConfig: { targetArn: unknown<string>() } });
    await assertNoViolations(lambdaFunctionFailureDestination, stack.args());
  });

  it("accepts an event invoke config with onFailure, matched by dependency or by name", async () => {
    const byDependency = reactorStack();
    byDependency.invokeConfig(unknown<string>(), [byDependency.fn]);
    await assertNoViolations(lambdaFunctionFailureDestination, byDependency.stack.args());

    const byName = reactorStack();
    byName.invokeConfig("pillar-reactor", []);
    await assertNoViolations(lambdaFunctionFailureDestination, byName.stack.args());

    const byQualifiedName = reactorStack();
    byQualifiedName.invokeConfig("pillar-reactor:live", []);
    await assertNoViolations(lambdaFunctionFailureDestination, byQualifiedName.stack.args());
  });

  it("flags a function with neither", async () => {
    await assertViolations(lambdaFunctionFailureDestination, reactorStack().stack.args(), [
      `${DESTINATION}; it has none.`,
    ]);
  });

  it("flags an invoke config without onFailure, or one for another function", async () => {
    const noFailure = reactorStack();
    noFailure.invokeConfig("pillar-reactor", [noFailure.fn], false);
    await assertViolations(lambdaFunctionFailureDestination, noFailure.stack.args(), [
      `${DESTINATION}; it has none.`,
    ]);

    const other = reactorStack();
    other.invokeConfig("some-other-function", []);
    await assertViolations(lambdaFunctionFailureDestination, other.stack.args(), [
      `${DESTINATION}; it has none.`,
    ]);
  });

  it("reports an invoke config whose target is unknown and untraceable", async () => {
    const { stack, invokeConfig } = reactorStack();
    invokeConfig(unknown<string>(), []);
    await assertViolations(lambdaFunctionFailureDestination, stack.args(), [
      `${DESTINATION}; cannot be verified at preview: an event invoke config's functionName is unknown.`,
    ]);
  });
});

/** The reactor function with its webhook URL and the permissions components/reactor.ts gives a public URL. */
function reactorWithUrl(
  authorizationType: string,
  extra: (stack: StackBuilder, fn: PolicyResource) => void = () => {},
) {
  const stack = new StackBuilder();
  const fn = stack.add(T.lambdaFunction, "reactor", REACTOR);
  stack.add(
    T.lambdaFunctionUrl,
    "reactor",
    { functionName: unknown<string>(), authorizationType },
    { propertyDependencies: { functionName: [fn] } },
  );
  stack.add(T.lambdaPermission, "reactor-url", {
    action: "lambda:InvokeFunctionUrl",
    function: "pillar-reactor",
    principal: "*",
    functionUrlAuthType: "NONE",
  });
  stack.add(T.lambdaPermission, "reactor-url-invoke", {
    action: "lambda:InvokeFunction",
    function: "pillar-reactor",
    principal: "*",
    invokedViaFunctionUrl: true,
  });
  extra(stack, fn);
  return stack;
}

const PUBLIC = `Lambda function "reactor" must not be invocable by anyone (allow it with config allowedPublicFunctions only if it authenticates its callers itself)`;

describe("lambda-function-not-public", () => {
  it("accepts a function invoked only by SNS, and a URL with IAM auth", async () => {
    const stack = new StackBuilder();
    const fn = stack.add(T.lambdaFunction, "reactor", REACTOR);
    stack.add(
      T.lambdaPermission,
      "reactor-app-hosts",
      {
        action: "lambda:InvokeFunction",
        function: unknown<string>(),
        principal: "sns.amazonaws.com",
        sourceArn: unknown<string>(),
      },
      { propertyDependencies: { function: [fn] } },
    );
    await assertNoViolations(lambdaFunctionNotPublic, stack.args());
    await assertNoViolations(lambdaFunctionNotPublic, reactorWithUrl("AWS_IAM").args());
  });

  it("flags a NONE-auth URL that Principal * may invoke, and a Principal * permission without a source", async () => {
    await assertViolations(lambdaFunctionNotPublic, reactorWithUrl("NONE").args(), [
      `${PUBLIC}; it grants Principal "*" lambda:InvokeFunctionUrl (permission "reactor-url") on a URL with authorizationType NONE.`,
    ]);
    const open = new StackBuilder();
    open.add(T.lambdaFunction, "reactor", REACTOR);
    open.add(T.lambdaPermission, "anyone", {
      action: "lambda:*",
      function: "pillar-reactor",
      principal: "*",
    });
    open.add(T.lambdaPermission, "s3", {
      action: "lambda:InvokeFunction",
      function: "pillar-reactor",
      principal: "*",
      sourceAccount: "123456789012",
    });
    await assertViolations(lambdaFunctionNotPublic, open.args(), [
      `${PUBLIC}; it grants Principal "*" lambda:* without a source condition (permission "anyone").`,
    ]);
  });

  it("allows the functions config names, by logical or function name", async () => {
    for (const name of ["reactor", "pillar-reactor"]) {
      await assertNoViolations(
        lambdaFunctionNotPublic,
        reactorWithUrl("NONE").args({ allowedPublicFunctions: [name] }),
      );
    }
    await assertViolations(
      lambdaFunctionNotPublic,
      reactorWithUrl("NONE").args({ allowedPublicFunctions: ["other"] }),
      [
        `${PUBLIC}; it grants Principal "*" lambda:InvokeFunctionUrl (permission "reactor-url") on a URL with authorizationType NONE.`,
      ],
    );
  });

  it("reports unknown values at preview", async () => {
    await assertViolations(lambdaFunctionNotPublic, reactorWithUrl(unknown<string>()).args(), [
      `${PUBLIC}; cannot be verified at preview: a Function URL's authorizationType is unknown.`,
    ]);
    const untraced = new StackBuilder();
    untraced.add(T.lambdaFunction, "reactor", REACTOR);
    untraced.add(T.lambdaPermission, "anyone", {
      action: "lambda:InvokeFunction",
      function: unknown<string>(),
      principal: "*",
    });
    await assertViolations(lambdaFunctionNotPublic, untraced.args(), [
      `${PUBLIC}; cannot be verified at preview: the function of permission "anyone" (Principal "*") is unknown.`,
    ]);
  });
});

const TRACING = `Lambda function "reactor" must enable active X-Ray tracing (tracingConfig.mode "Active", and xray:PutTraceSegments/PutTelemetryRecords on its role)`;

describe("lambda-function-tracing-enabled (advisory)", () => {
  it("accepts Active tracing", async () => {
    await assertNoViolations(
      lambdaFunctionTracingEnabled,
      resourceArgs(T.lambdaFunction, { ...REACTOR, tracingConfig: { mode: "Active" } }),
    );
  });

  it("flags PassThrough and no tracing config", async () => {
    await assertViolations(
      lambdaFunctionTracingEnabled,
      resourceArgs(T.lambdaFunction, REACTOR, { name: "reactor" }),
      [`${TRACING}; it is "PassThrough".`],
    );
    await assertViolations(
      lambdaFunctionTracingEnabled,
      resourceArgs(
        T.lambdaFunction,
        { ...REACTOR, tracingConfig: { mode: "PassThrough" } },
        { name: "reactor" },
      ),
      [`${TRACING}; it is "PassThrough".`],
    );
  });

  it("reports an unknown mode at preview", async () => {
    await assertViolations(
      lambdaFunctionTracingEnabled,
      resourceArgs(
        T.lambdaFunction,
        { ...REACTOR, tracingConfig: { mode: unknown<string>() } },
        { name: "reactor" },
      ),
      [`${TRACING}; cannot be verified at preview: tracingConfig.mode is unknown.`],
    );
  });
});
