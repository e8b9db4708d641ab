import * as assert from "node:assert/strict";
import * as structpb from "google-protobuf/google/protobuf/struct_pb";
import * as policySdk from "@pulumi/policy";
import { awsProviderCredentialsSecret } from "../../policies/provider";
import { keepSecretMarkers, secretness } from "../../policies/secrets";
import { T } from "../../policies/types";
import { field, plain } from "../../policies/values";
import {
  StackBuilder,
  assertNoViolations,
  assertViolations,
  providerResource,
  secret,
  unknown,
} from "./util";

const RULE = (name: string, key: string) =>
  `AWS provider "${name}" must receive ${key} only as a Pulumi secret`;

/** The raw wire form of a secret, as the engine sends it. */
const wireSecret = (value: string) => ({
  "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
  value,
});

describe("aws-provider-credentials-secret", () => {
  let restore: (() => void) | undefined;
  before(() => {
    restore = keepSecretMarkers();
  });
  after(() => restore?.());

  it("accepts ambient credentials and secret keys", async () => {
    const stack = new StackBuilder();
    stack.add(T.awsProvider, "prod", { region: "us-east-1", profile: "ops" });
    stack.add(T.awsProvider, "keys", {
      region: "us-east-1",
      accessKey: secret("AKIAIOSFODNN7EXAMPLE"),
      secretKey: secret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
    });
    await assertNoViolations(awsProviderCredentialsSecret, stack.args());
  });

  it("flags plaintext keys on explicit providers and on a resource's default provider", async () => {
    const stack = new StackBuilder();
    stack.add(T.awsProvider, "keys", {
      region: "us-east-1",
      accessKey: "AKIAIOSFODNN7EXAMPLE",
      secretKey: secret("s"),
    });
    const defaultProvider = providerResource("default_7_48_0", {
      region: "us-east-1",
      token: "FwoGZXIvYXdzEXAMPLE",
    });
    stack.add(
      T.volume,
      "data",
      { availabilityZone: "us-east-1a", encrypted: true },
      { provider: defaultProvider },
    );
    stack.add(
      T.volume,
      "more",
      { availabilityZone: "us-east-1b", encrypted: true },
      { provider: defaultProvider },
    );
    await assertViolations(awsProviderCredentialsSecret, stack.args(), [
      `${RULE("keys", "accessKey")}; it is plaintext.`,
      `${RULE("default_7_48_0", "token")}; it is plaintext.`,
    ]);
  });

  it("treats an unknown key that is not wrapped as plaintext-to-be", async () => {
    const stack = new StackBuilder();
    stack.add(T.awsProvider, "assumed", { region: "us-east-1", accessKey: unknown<string>() });
    await assertViolations(awsProviderCredentialsSecret, stack.args(), [
      `${RULE("assumed", "accessKey")}; it is plaintext.`,
    ]);
  });

  it("without secret markers, reports that it cannot tell instead of passing", async () => {
    restore?.();
    try {
      const stack = new StackBuilder();
      stack.add(T.awsProvider, "keys", { region: "us-east-1", accessKey: "AKIAIOSFODNN7EXAMPLE" });
      await assertViolations(awsProviderCredentialsSecret, stack.args(), [
        `${RULE("keys", "accessKey")}; cannot be verified: the policy SDK does not expose whether it is secret, so prefer ambient credentials (profile, environment, instance role).`,
      ]);
    } finally {
      restore = keepSecretMarkers();
    }
  });
});

describe("secret markers through @pulumi/policy's own deserializer", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require("@pulumi/policy/deserialize") as {
    deserializeProperties: (s: unknown, p: boolean) => unknown;
  };
  const { unknownCheckingProxy } = policySdk as unknown as { unknownCheckingProxy: (o: unknown) => unknown };
  const struct = () =>
    structpb.Struct.fromJavaScript({
      region: "us-east-1",
      accessKey: wireSecret("AKIAIOSFODNN7EXAMPLE"),
      assumeRoles: [{ roleArn: "arn:aws:iam::123456789012:role/deploy" }],
      allowedAccountIds: ["123456789012", "210987654321"],
    });
  // What the server hands a policy: its deserializer called with proxySecrets=false, then the unknown-checking proxy.
  const asServerDoes = () => unknownCheckingProxy(sdk.deserializeProperties(struct(), false));

  it("the SDK alone strips the marker", () => {
    assert.equal(secretness(asServerDoes(), "accessKey"), "undetectable");
  });

  it("with keepSecretMarkers the marker survives and plain reads still see plain values", () => {
    const restore = keepSecretMarkers();
    assert.ok(restore, "the SDK's deserializer has the expected shape");
    try {
      const props = asServerDoes();
      assert.equal(secretness(props, "accessKey"), "secret");
      assert.equal(secretness(props, "region"), "plaintext");
      assert.equal(field(plain(props), "accessKey"), "AKIAIOSFODNN7EXAMPLE");
      const ids = field(plain(props), "allowedAccountIds");
      // Array species methods threw a V8 proxy-invariant TypeError through the SDK's secrets proxy.
      assert.deepEqual(Array.isArray(ids) ? ids.flatMap((id) => [id]) : undefined, [
        "123456789012",
        "210987654321",
      ]);
    } finally {
      restore();
    }
  });
});
