import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CloudModel } from "../config/model";
import { sortedTags } from "./tags";

export interface CloudArgs {
  /** The stack's cloud provider settings (the seed's `aws_provider`). */
  readonly cloud: CloudModel;
  /** Stack name, written as the `pillar:stack` default tag. */
  readonly stack: string;
}

/**
 * The seed's salt-cloud provider: an explicit `aws.Provider` (region, optional profile, default tags)
 * that every resource uses, the EC2 key pair, and the SSH connection facts as outputs.
 * `rename_on_destroy` is subsumed by Pulumi auto-naming and `delete_sshkeys` has no AWS side.
 */
export class Cloud extends pulumi.ComponentResource {
  public readonly provider: aws.Provider;
  /** Name of the EC2 key pair instances use, or undefined when the provider names none. */
  public readonly keyName: pulumi.Output<string | undefined>;
  public readonly sshUsernames: pulumi.Output<string[]>;
  public readonly sshInterface: pulumi.Output<string>;
  public readonly region: string;

  constructor(name: string, args: CloudArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("pillar:aws:Cloud", name, {}, opts);
    const { cloud } = args;
    this.region = cloud.region;
    this.provider = new aws.Provider(
      name,
      {
        region: cloud.region as aws.Region,
        ...(cloud.profile ? { profile: cloud.profile } : {}),
        ...(cloud.credentials
          ? {
              accessKey: pulumi.secret(cloud.credentials.accessKeyId),
              secretKey: pulumi.secret(cloud.credentials.secretAccessKey),
            }
          : {}),
        defaultTags: { tags: sortedTags(cloud.defaultTags, { "pillar:stack": args.stack, env: cloud.env }) },
      },
      { parent: this },
    );
    if (cloud.keyPair?.publicKey) {
      const key = new aws.ec2.KeyPair(
        `${name}-${cloud.keyPair.name}`,
        { keyName: cloud.keyPair.name, publicKey: cloud.keyPair.publicKey },
        { parent: this, provider: this.provider },
      );
      this.keyName = key.keyName;
    } else {
      this.keyName = pulumi.output(cloud.keyPair?.name);
    }
    this.sshUsernames = pulumi.output([...cloud.sshUsernames]);
    this.sshInterface = pulumi.output(cloud.sshInterface);
    this.registerOutputs({
      keyName: this.keyName,
      sshUsernames: this.sshUsernames,
      sshInterface: this.sshInterface,
    });
  }
}
