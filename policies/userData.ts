// Secrets in user data: anything on the instance can read it from the metadata service, and anyone
// with ec2:DescribeInstanceAttribute (or DescribeLaunchTemplateVersions) can read it from the API.

import { ResourceValidationPolicy } from "@pulumi/policy";
import { gunzipSync } from "node:zlib";
import { secretness } from "./secrets";
import { T } from "./types";
import { field, isUnknown, plain } from "./values";

/**
 * What gives a credential away, each with what it is. Access key ids: the documented prefixes of
 * long-term (AKIA) and temporary (ASIA) keys and their 16-character base32 body; secret keys only
 * next to their well-known names (a bare 40-character base64 string is any hash); private keys by
 * their PEM armour, which every format (PKCS#1, PKCS#8, SEC1, OpenSSH, PGP) uses.
 */
const PATTERNS: readonly { readonly what: string; readonly re: RegExp }[] = [
  { what: "an AWS access key id", re: /(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Z0-9])/ },
  {
    what: "an AWS secret access key",
    re: /aws_?secret_?access_?key["']?\s*[:=]\s*["']?[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+])/i,
  },
  { what: "a private key", re: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/ },
];

/** User data as text: launch templates carry base64, possibly of gzip (cloud-init accepts both). */
function decode(value: string, base64: boolean): string {
  let bytes: Buffer = base64 ? Buffer.from(value, "base64") : Buffer.from(value, "utf8");
  if (bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch {
      // Not gzip after all: scan the bytes as they are.
    }
  }
  return bytes.toString("utf8");
}

/** The user data inputs of each type, and whether each holds base64. */
const FIELDS: Readonly<Record<string, readonly (readonly [string, boolean])[]>> = {
  [T.launchTemplate]: [["userData", true]],
  [T.instance]: [
    ["userData", false],
    ["userDataBase64", true],
  ],
  [T.launchConfiguration]: [
    ["userData", false],
    ["userDataBase64", true],
  ],
};

const KINDS: Readonly<Record<string, string>> = {
  [T.launchTemplate]: "Launch template",
  [T.instance]: "Instance",
  [T.launchConfiguration]: "Launch configuration",
};

export const ec2UserDataNoSecrets: ResourceValidationPolicy = {
  name: "ec2-user-data-no-secrets",
  description:
    "Checks that instance, launch template and launch configuration user data carries no credentials: no AWS access key ids or secret keys, no private key blocks, and nothing built from a Pulumi secret.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    const fields = FIELDS[args.type];
    if (fields === undefined) {
      return;
    }
    const props = plain(args.props);
    for (const [key, base64] of fields) {
      const rule = `${KINDS[args.type]} "${args.name}" ${key} must not carry credentials (anything on the instance, and anyone allowed to describe it, can read user data)`;
      const value = field(props, key);
      if (value === undefined || value === null || value === "") {
        continue;
      }
      if (secretness(props, key) === "secret") {
        reportViolation(
          `${rule}; it is built from a Pulumi secret, which user data would expose in plaintext: have the instance fetch the secret at boot (SSM Parameter Store, Secrets Manager) with its instance role.`,
        );
        continue;
      }
      if (isUnknown(value)) {
        reportViolation(
          `${rule}; cannot be verified at preview: it is unknown (computed from resources not created yet). Build user data from known values and let the instance look up the rest at boot.`,
        );
        continue;
      }
      if (typeof value !== "string") {
        continue;
      }
      const text = decode(value, base64);
      for (const { what, re } of PATTERNS) {
        if (re.test(text)) {
          reportViolation(
            `${rule}; it contains ${what}: have the instance fetch credentials at boot (SSM Parameter Store, Secrets Manager) with its instance role.`,
          );
        }
      }
    }
  },
};
