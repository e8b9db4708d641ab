import { gzipSync } from "node:zlib";
import { T } from "../../policies/types";
import { ec2UserDataNoSecrets } from "../../policies/userData";
import { assertNoViolations, assertViolations, resourceArgs, secret, unknown } from "./util";

// The example credentials of the AWS documentation: real shapes, no real keys.
const ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";
const SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

const b64 = (text: string) => Buffer.from(text).toString("base64");

const LT = `Launch template "webhost" userData must not carry credentials (anything on the instance, and anyone allowed to describe it, can read user data)`;
const FETCH =
  "have the instance fetch credentials at boot (SSM Parameter Store, Secrets Manager) with its instance role.";

describe("ec2-user-data-no-secrets", () => {
  it("accepts user data without credentials, and resources without user data", async () => {
    await assertNoViolations(
      ec2UserDataNoSecrets,
      resourceArgs(T.launchTemplate, {
        userData: b64("#!/bin/sh\nsalt-call state.highstate\n# key id format: AKIA + 16 chars\n"),
      }),
    );
    await assertNoViolations(ec2UserDataNoSecrets, resourceArgs(T.instance, { ami: "ami-1" }));
    await assertNoViolations(
      ec2UserDataNoSecrets,
      resourceArgs(T.instance, { ami: "ami-1", userData: "#cloud-config\npackages: [nginx]\n" }),
    );
  });

  it("flags access keys, secret keys and private keys, in base64 and in gzip", async () => {
    await assertViolations(
      ec2UserDataNoSecrets,
      resourceArgs(
        T.launchTemplate,
        {
          userData: b64(
            `#!/bin/sh\nexport AWS_ACCESS_KEY_ID=${ACCESS_KEY}\nexport AWS_SECRET_ACCESS_KEY=${SECRET_KEY}\n`,
          ),
        },
        { name: "webhost" },
      ),
      [
        `${LT}; it contains an AWS access key id: ${FETCH}`,
        `${LT}; it contains an AWS secret access key: ${FETCH}`,
      ],
    );
    const pem =
      "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n";
    await assertViolations(
      ec2UserDataNoSecrets,
      resourceArgs(
        T.launchTemplate,
        {
          userData: gzipSync(Buffer.from(`#!/bin/sh\ncat > /root/.ssh/id <<EOF\n${pem}EOF\n`)).toString(
            "base64",
          ),
        },
        { name: "webhost" },
      ),
      [`${LT}; it contains a private key: ${FETCH}`],
    );
    await assertViolations(
      ec2UserDataNoSecrets,
      resourceArgs(
        T.instance,
        { ami: "ami-1", userData: "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n" },
        { name: "db" },
      ),
      [
        `Instance "db" userData must not carry credentials (anything on the instance, and anyone allowed to describe it, can read user data); it contains a private key: ${FETCH}`,
      ],
    );
    await assertViolations(
      ec2UserDataNoSecrets,
      resourceArgs(
        T.instance,
        { ami: "ami-1", userDataBase64: b64(`aws_secret_access_key = ${SECRET_KEY}`) },
        { name: "db" },
      ),
      [
        `Instance "db" userDataBase64 must not carry credentials (anything on the instance, and anyone allowed to describe it, can read user data); it contains an AWS secret access key: ${FETCH}`,
      ],
    );
  });

  it("flags user data built from a Pulumi secret", async () => {
    await assertViolations(
      ec2UserDataNoSecrets,
      resourceArgs(
        T.launchTemplate,
        { userData: secret(b64("#!/bin/sh\necho hunter2\n")) },
        { name: "webhost" },
      ),
      [
        `${LT}; it is built from a Pulumi secret, which user data would expose in plaintext: have the instance fetch the secret at boot (SSM Parameter Store, Secrets Manager) with its instance role.`,
      ],
    );
  });

  it("reports user data unknown at preview", async () => {
    await assertViolations(
      ec2UserDataNoSecrets,
      resourceArgs(T.launchTemplate, { userData: unknown<string>() }, { name: "webhost" }),
      [
        `${LT}; cannot be verified at preview: it is unknown (computed from resources not created yet). Build user data from known values and let the instance look up the rest at boot.`,
      ],
    );
  });
});
