// Provider policy: static AWS credentials only ever as Pulumi secrets.

import { StackValidationPolicy } from "@pulumi/policy";
import { secretness } from "./secrets";
import { T } from "./types";

const CREDENTIAL_KEYS = ["accessKey", "secretKey", "token"] as const;

interface ProviderView {
  readonly urn: string;
  readonly name: string;
  readonly props: unknown;
}

export const awsProviderCredentialsSecret: StackValidationPolicy = {
  name: "aws-provider-credentials-secret",
  description:
    "Checks that AWS providers (explicit and default) receive static credentials (accessKey, secretKey, token) only as Pulumi secrets.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    // Providers appear as resources of their own and as the `provider` of the resources they
    // manage (a default provider may only appear the second way); look at each one once.
    const providers = new Map<string, ProviderView>();
    for (const r of args.resources) {
      if (r.type === T.awsProvider) {
        providers.set(r.urn, r);
      }
      if (r.provider && r.provider.type === T.awsProvider && !providers.has(r.provider.urn)) {
        providers.set(r.provider.urn, r.provider);
      }
    }
    for (const p of providers.values()) {
      for (const key of CREDENTIAL_KEYS) {
        const rule = `AWS provider "${p.name}" must receive ${key} only as a Pulumi secret`;
        switch (secretness(p.props, key)) {
          case "plaintext":
            reportViolation(`${rule}; it is plaintext.`, p.urn);
            break;
          case "undetectable":
            reportViolation(
              `${rule}; cannot be verified: the policy SDK does not expose whether it is secret, so prefer ambient credentials (profile, environment, instance role).`,
              p.urn,
            );
            break;
          default:
            break;
        }
      }
    }
  },
};
