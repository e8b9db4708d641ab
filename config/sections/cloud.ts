/**
 * `pillar:cloud`: the seed's salt-cloud provider (`aws_provider`), one per stack: region, credentials
 * (secrets only, or a profile, or ambient), the key pair, the SSH facts and the Salt master.
 */
import { REGIONS } from "../../provider/rules/tags";
import { ConfigIssue, nearest, quoteList, sub } from "../issues";
import { bool, mapOf, oneOf, Static, str, strOrList, tags, Type } from "../schemaKit";
import { toList, toTags } from "../values";

const provider = Type.Object(
  {
    provider: Type.Optional(Type.Unsafe<"ec2">({ const: "ec2" })),
    region: Type.Optional(
      Type.String({ pattern: "^[a-z]{2}(-[a-z]+)+-[0-9]+$", description: "an AWS region like us-east-1" }),
    ),
    profile: Type.Optional(str),
    id: Type.Optional(Type.Unknown()),
    key: Type.Optional(Type.Unknown()),
    keyname: Type.Optional(str),
    public_key: Type.Optional(
      Type.String({
        pattern: "^(ssh-(rsa|ed25519)|ecdsa-sha2-nistp(256|384|521)) ",
        description:
          "an OpenSSH public key (ssh-rsa, ssh-ed25519 or ecdsa-sha2-nistp256/384/521, then the key)",
      }),
    ),
    private_key: Type.Optional(str),
    ssh_username: Type.Optional(strOrList),
    ssh_interface: Type.Optional(oneOf(["private_ips", "public_ips"])),
    minion: Type.Optional(Type.Object({ master: Type.Optional(str) }, { additionalProperties: true })),
    delete_sshkeys: Type.Optional(bool),
    rename_on_destroy: Type.Optional(bool),
    env: Type.Optional(str),
    default_tags: Type.Optional(tags),
  },
  { additionalProperties: false },
);

export const cloudSchema = mapOf(provider, { minProperties: 1 });
export type CloudInput = Static<typeof cloudSchema>;

/** The one AWS provider of a stack (the seed's `aws_provider` cloud provider). */
export interface CloudModel {
  /** The provider's name in config (`aws_provider` in the seed); profiles refer to it. */
  readonly name: string;
  readonly region: string;
  /** Named AWS CLI profile; ambient credentials are used when neither this nor keys are given. */
  readonly profile?: string;
  /** Static credentials, only ever from secret config (the loader rejects plaintext). */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** EC2 key pair: an existing key by name, or a public key the stack imports under that name. */
  readonly keyPair?: { readonly name: string; readonly publicKey?: string };
  readonly sshUsernames: readonly string[];
  readonly sshInterface: "private_ips" | "public_ips";
  /** Salt master address the minions talk to (`minion.master`), passed to bootstrap. */
  readonly saltMaster?: string;
  /** Extra default tags on every resource, besides stack and env. */
  readonly defaultTags: Readonly<Record<string, string>>;
  /** `env` default tag; from config or the stack name. */
  readonly env: string;
}

/** What the cloud section needs to know of the stack config besides its own value. */
export interface CloudContext {
  readonly stack: string;
  /** `aws:region`, the fallback when the provider names no region. */
  readonly awsRegion?: string;
  readonly secretKeys: ReadonlySet<string>;
  readonly secretPaths?: ReadonlySet<string>;
  /** Whether `pillar:cloud` was given at all (when its shape failed, "missing" would be wrong). */
  readonly given: boolean;
  /** The provider names the profiles and reactor profiles refer to (`provider: aws_provider`), as written. */
  readonly referenced?: readonly string[];
  /** Where the loader says what it worked out (the plan prints each). */
  readonly notes?: string[];
}

/**
 * The provider names `pillar:profiles` and `pillar:ec2.autoscale` refer to (`provider:`), read from
 * the values as written (before their own shapes are checked), each once.
 */
export function referencedProviders(values: Readonly<Record<string, unknown>>): string[] {
  const names = new Set<string>();
  for (const key of ["profiles", "ec2.autoscale"]) {
    const section = values[key];
    if (section === null || typeof section !== "object" || Array.isArray(section)) continue;
    for (const p of Object.values(section as Record<string, unknown>)) {
      const name = p !== null && typeof p === "object" ? (p as Record<string, unknown>).provider : undefined;
      if (typeof name === "string" && name !== "") names.add(name);
    }
  }
  return [...names];
}

export function loadCloud(
  v: CloudInput | undefined,
  ctx: CloudContext,
  issues: ConfigIssue[],
): CloudModel | undefined {
  if (v === undefined) {
    if (ctx.given) return undefined;
    // The seed's provider file is a Jinja template (`id: {{ aws:key }}`), which no stack file can
    // hold: when the profiles name their provider and aws:region says where, that provider is the
    // stack's, with ambient credentials and the defaults below, and the plan says so.
    const named = ctx.referenced ?? [];
    if (named.length === 1 && ctx.awsRegion !== undefined && REGIONS.includes(ctx.awsRegion)) {
      ctx.notes?.push(
        `pillar:cloud is not set: planned the provider "${named[0]}" that the profiles name, in aws:region ${ctx.awsRegion}, with ambient AWS credentials, no key pair and SSH user "ubuntu". Set pillar:cloud.${named[0]} (the seed's provider file as Salt renders it) for a key pair, the Salt master or other SSH settings`,
      );
      return {
        name: named[0]!,
        region: ctx.awsRegion,
        sshUsernames: ["ubuntu"],
        sshInterface: "private_ips",
        defaultTags: {},
        env: ctx.stack,
      };
    }
    issues.push({
      path: "pillar:cloud",
      message:
        named.length > 1
          ? `missing, and the profiles name ${named.length} providers (${quoteList(named)}); a stack has one: define it here (the seed's aws_provider block)`
          : "missing: the cloud provider (the seed's aws_provider block) is required",
    });
    return undefined;
  }
  const entries = Object.entries(v);
  if (entries.length > 1) {
    issues.push({
      path: "pillar:cloud",
      message: `expected one cloud provider per stack (a stack is one account and region), found ${entries.length}: ${quoteList(entries.map(([n]) => n))}`,
    });
    return undefined;
  }
  const [name, p] = entries[0]!;
  const path = sub("pillar:cloud", name);
  const region = p.region ?? ctx.awsRegion;
  for (const [where, r] of [
    [sub(path, "region"), p.region],
    ["aws:region", ctx.awsRegion],
  ] as const) {
    if (typeof r === "string" && !REGIONS.includes(r)) {
      const guess = nearest(r, REGIONS);
      issues.push({
        path: where,
        message: guess
          ? `"${r}" is not an AWS region; did you mean "${guess}"?`
          : `"${r}" is not an AWS region; the provider knows ${REGIONS.join(", ")}`,
      });
    }
  }
  if (region === undefined) {
    issues.push({
      path: sub(path, "region"),
      message: "missing: set the provider's region here or aws:region",
    });
    return undefined;
  }
  if (ctx.awsRegion !== undefined && ctx.awsRegion !== region) {
    issues.push({
      path: sub(path, "region"),
      message: `region "${region}" differs from aws:region "${ctx.awsRegion}"; set one region for the stack`,
    });
  }
  let credentials: CloudModel["credentials"];
  if (p.id !== undefined || p.key !== undefined) {
    const isSecret = (k: string) =>
      ctx.secretPaths !== undefined ? ctx.secretPaths.has(`cloud.${name}.${k}`) : ctx.secretKeys.has("cloud");
    const plaintext = (["id", "key"] as const).filter((k) => p[k] !== undefined && !isSecret(k));
    if (plaintext.length > 0) {
      for (const k of plaintext) {
        issues.push({
          path: sub(path, k),
          message: `AWS credentials must not be plaintext config; use \`pulumi config set --secret --path 'pillar:cloud.${name}.${k}' …\`, or better an AWS profile (\`profile:\`) or ambient credentials`,
        });
      }
    } else if (typeof p.id !== "string" || typeof p.key !== "string") {
      issues.push({
        path,
        message: "expected both id (access key id) and key (secret access key) as secret strings, or neither",
      });
    } else credentials = { accessKeyId: p.id, secretAccessKey: p.key };
    if (p.profile !== undefined)
      issues.push({
        path: sub(path, "profile"),
        message: "Only one of [id/key] or [profile] can be specified",
      });
  }
  return {
    name,
    region,
    ...(p.profile !== undefined ? { profile: p.profile } : {}),
    ...(credentials ? { credentials } : {}),
    ...(p.keyname !== undefined
      ? {
          keyPair: {
            name: p.keyname,
            ...(p.public_key !== undefined ? { publicKey: p.public_key } : {}),
          },
        }
      : {}),
    sshUsernames: p.ssh_username === undefined ? ["ubuntu"] : toList(p.ssh_username),
    sshInterface: p.ssh_interface === "public_ips" ? "public_ips" : "private_ips",
    ...(p.minion?.master !== undefined ? { saltMaster: p.minion.master } : {}),
    defaultTags: toTags(p.default_tags),
    env: p.env ?? ctx.stack,
  };
}
