/**
 * IAM roles, inline role policies, instance profiles and policy attachments.
 *
 * Sources: terraform-provider-aws internal/service/iam/validate.go (validResourceName: 1..max,
 * `[\w+=,.@-]`), role.go (roleNameMaxLen 64, name_prefix 64-26, description
 * StringLenBetween(0, 1000), max_session_duration IntBetween(3600, 43200)), instance_profile.go
 * (instanceProfileNameMaxLen 128), role_policy.go (rolePolicyNameMaxLen 128), internal/verify/json.go
 * (ValidIAMPolicyJSON); AWS IAM API CreateRole (Description pattern
 * `[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*`) and "IAM and AWS STS quotas" (role trust policy
 * 2,048 characters, inline role policies 10,240 characters in total per role, white space not counted).
 */
import { intBetween, ProviderRule, q, stringLenBetween, stringMatch, all, validARN, when } from "./kit";
import { TYPES } from "../types";

const IAM = "terraform-provider-aws internal/service/iam";
const IAM_NAME = /^[\w+=,.@-]*$/;

export const ROLE_NAME_MAX = 64;
export const INSTANCE_PROFILE_NAME_MAX = 128;
export const ROLE_POLICY_NAME_MAX = 128;
/** Inline policies of one role together (IAM quotas), not counting white space. */
export const ROLE_INLINE_POLICIES_MAX = 10240;
export const TRUST_POLICY_MAX = 2048;

/** How IAM measures a policy: characters other than white space. */
export const policyLength = (doc: string): number => doc.replace(/\s/g, "").length;

const resourceName = (k: string, max: number) =>
  all(stringLenBetween(k, 1, max), stringMatch(k, IAM_NAME, "must match [\\w+=,.@-]"));

const nameRule = (id: string, file: string, max: number, ok: string): ProviderRule => ({
  id,
  property: "name",
  stage: "preview",
  source: `${IAM}/${file} (validResourceName(${max}): 1-${max} of [\\w+=,.@-])`,
  check: resourceName("name", max),
  examples: {
    pass: [{ value: ok }],
    fail: [
      {
        value: "n".repeat(max + 1),
        message: `expected length of name to be in the range (1 - ${max}), got ${"n".repeat(max + 1)}`,
      },
      { value: "web host", message: "invalid value for name (must match [\\w+=,.@-])" },
    ],
  },
});

/** internal/verify/json.go ValidIAMPolicyJSON, in the provider's words. */
export const validPolicyJSON =
  (k: string) =>
  (x: unknown): string | undefined => {
    if (typeof x !== "string") return undefined;
    if (x.length < 1) return `${q(k)} contains an invalid JSON policy`;
    if (!x.trimStart().startsWith("{")) return `${q(k)} contains an invalid JSON policy: not a JSON object`;
    try {
      JSON.parse(x);
      return undefined;
    } catch (err) {
      return `${q(k)} contains an invalid JSON policy: ${(err as Error).message}`;
    }
  };

const policyJson = (property: string, k: string, id: string): ProviderRule => ({
  id,
  property,
  stage: "preview",
  source: "terraform-provider-aws internal/verify/json.go (ValidIAMPolicyJSON)",
  check: validPolicyJSON(k),
  examples: {
    pass: [{ value: '{"Version":"2012-10-17","Statement":[]}' }],
    fail: [{ value: "[]", message: `"${k}" contains an invalid JSON policy: not a JSON object` }],
  },
});

const DESCRIPTION_CHARSET = /^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*$/;

export const IAM_RULES: Readonly<Record<string, readonly ProviderRule[]>> = {
  [TYPES.iam.Role]: [
    nameRule("iam-role-name", "role.go", ROLE_NAME_MAX, "app-hosts-role-1a2b3c4"),
    {
      id: "iam-role-name-prefix",
      property: "namePrefix",
      stage: "preview",
      source: `${IAM}/role.go (name_prefix: validResourceName(64 - 26))`,
      check: resourceName("name_prefix", ROLE_NAME_MAX - 26),
      examples: {
        pass: [{ value: "app-" }],
        fail: [
          {
            value: "p".repeat(39),
            message: `expected length of name_prefix to be in the range (1 - 38), got ${"p".repeat(39)}`,
          },
        ],
      },
    },
    {
      id: "iam-role-description",
      property: "description",
      stage: "preview",
      source: `${IAM}/role.go (description: validation.StringLenBetween(0, 1000))`,
      check: stringLenBetween("description", 0, 1000),
      examples: {
        pass: [{ value: "pillar reactor" }],
        fail: [
          {
            value: "d".repeat(1001),
            message: `expected length of description to be in the range (0 - 1000), got ${"d".repeat(1001)}`,
          },
        ],
      },
    },
    {
      id: "iam-role-description-charset",
      property: "description",
      stage: "apply",
      source:
        "AWS IAM API CreateRole (Description pattern [\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]*)",
      check: when(
        (x) => typeof x === "string" && !DESCRIPTION_CHARSET.test(x),
        (x) =>
          `AWS refuses role description ${q(String(x))}: only tab, newline and Latin-1 printable characters`,
      ),
      examples: {
        pass: [{ value: "pillar mongodb-server instances" }],
        fail: [
          {
            value: "rôle → web",
            message:
              'AWS refuses role description "rôle → web": only tab, newline and Latin-1 printable characters',
          },
        ],
      },
    },
    policyJson("assumeRolePolicy", "assume_role_policy", "iam-role-trust-policy-json"),
    {
      id: "iam-role-trust-policy-size",
      property: "assumeRolePolicy",
      stage: "apply",
      source:
        "AWS IAM and AWS STS quotas (role trust policy length: 2,048 characters, white space not counted)",
      check: when(
        (x) => typeof x === "string" && policyLength(x) > TRUST_POLICY_MAX,
        (x) =>
          `AWS refuses a trust policy of ${policyLength(String(x))} characters: at most ${TRUST_POLICY_MAX}`,
      ),
      examples: {
        pass: [{ value: '{"Version":"2012-10-17","Statement":[]}' }],
        fail: [
          {
            value: `{"Sid":"${"x".repeat(2100)}"}`,
            message: "AWS refuses a trust policy of 2110 characters: at most 2048",
          },
        ],
      },
    },
    {
      id: "iam-role-max-session-duration",
      property: "maxSessionDuration",
      stage: "preview",
      source: `${IAM}/role.go (max_session_duration: validation.IntBetween(3600, 43200))`,
      check: intBetween("max_session_duration", 3600, 43200),
      examples: {
        pass: [{ value: 3600 }],
        fail: [
          { value: 60, message: "expected max_session_duration to be in the range (3600 - 43200), got 60" },
        ],
      },
    },
  ],
  [TYPES.iam.RolePolicy]: [
    nameRule("iam-role-policy-name", "role_policy.go", ROLE_POLICY_NAME_MAX, "reactor-role-1a2b3c4"),
    policyJson("policy", "policy", "iam-role-policy-json"),
  ],
  [TYPES.iam.InstanceProfile]: [
    nameRule(
      "iam-instance-profile-name",
      "instance_profile.go",
      INSTANCE_PROFILE_NAME_MAX,
      "app-hosts-profile-1a2b3c4",
    ),
  ],
  [TYPES.iam.RolePolicyAttachment]: [
    {
      id: "iam-role-policy-attachment-arn",
      property: "policyArn",
      stage: "preview",
      source: `${IAM}/role_policy_attachment.go (policy_arn: verify.ValidARN)`,
      check: validARN("policy_arn"),
      examples: {
        pass: [{ value: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore" }],
        fail: [
          {
            value: "AmazonSSMManagedInstanceCore",
            message: `"policy_arn" (AmazonSSMManagedInstanceCore) is an invalid ARN: arn: invalid prefix`,
          },
        ],
      },
    },
  ],
};
