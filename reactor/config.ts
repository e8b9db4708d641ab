/**
 * The reactor's configuration: read once from the function's environment, which
 * components/reactor.ts writes (reactor/contract). Every problem is reported at once, each naming its
 * variable, so a bad deployment fails on its first invocation with the whole list.
 */
import { parseEnvironment, type Env, type ReactorConfig } from "./contract";
import { ConfigError } from "./errors";

/** Reads and checks the environment; throws one `ConfigError` listing every problem. */
export function loadConfig(env: Env): ReactorConfig {
  const read = parseEnvironment(env);
  if (read.problems !== undefined)
    throw new ConfigError(
      "invalid_config",
      `the reactor's environment is invalid:\n  ${read.problems.join("\n  ")}`,
    );
  return read.config;
}
