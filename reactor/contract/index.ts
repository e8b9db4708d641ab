/**
 * The one typed contract between the stack and the reactor Lambda: the function's environment — its
 * type (ReactorConfig), how components/reactor.ts writes it (serializeEnvironment, variable by
 * variable) and how the function reads it back (parseEnvironment, every problem at once) —, the AWS
 * actions the function calls (the IAM policy grants exactly these), the inventory table's key, how
 * the deployment must hold the function for the code's guarantees to hold, and the limits the config
 * and the function both check values against. Plain data and pure functions only: it is bundled
 * into the function, and config/ and components/ import it.
 *
 * types.ts: the environment's types and limits; environment.ts: how it is written and read;
 * deployment.ts: the AWS actions, the inventory key and the settings the guarantees rest on.
 */
export * from "./deployment";
export * from "./environment";
export * from "./types";
