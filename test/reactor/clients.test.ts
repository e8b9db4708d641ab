/** The default AWS clients: a hung call ends in time, and SSM is never resent behind our back. */
import { SendCommandCommand, SSMClient } from "@aws-sdk/client-ssm";
import assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { SDK_CLIENT_OPTIONS, defaultClients } from "../../reactor/handler";

describe("reactor default AWS clients", () => {
  it("are made with bounded attempts and request deadlines that throw", async () => {
    const saved = process.env.AWS_REGION;
    process.env.AWS_REGION = "us-east-1";
    try {
      const clients = defaultClients();
      const settings = async (c: {
        config: { maxAttempts: () => Promise<number>; requestHandler: unknown };
      }) => {
        const handler = c.config.requestHandler as { configProvider: Promise<Record<string, unknown>> };
        const cfg = await handler.configProvider;
        return [
          await c.config.maxAttempts(),
          cfg.connectionTimeout,
          cfg.requestTimeout,
          cfg.throwOnRequestTimeout,
        ];
      };
      assert.deepEqual(
        await Promise.all(
          [clients.ssm, clients.autoscaling, clients.dynamo].map((c) => settings(c as never)),
        ),
        [
          [1, 3_000, 10_000, true],
          [1, 3_000, 10_000, true],
          [3, 2_000, 5_000, true],
        ],
      );
      clients.ssm.destroy();
      clients.autoscaling.destroy();
      clients.dynamo.destroy();
    } finally {
      if (saved === undefined) delete process.env.AWS_REGION;
      else process.env.AWS_REGION = saved;
    }
  });

  it("give up on a call that hangs, once, without resending it", async () => {
    let requests = 0;
    const hung: http.ServerResponse[] = [];
    const server = http.createServer((_req, res) => {
      requests++;
      hung.push(res);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const ssm = new SSMClient({
      ...SDK_CLIENT_OPTIONS.ssm,
      // The test's own deadline is short; the throwing and the single attempt are the settings'.
      requestHandler: { ...SDK_CLIENT_OPTIONS.ssm.requestHandler, requestTimeout: 300 },
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
    });
    try {
      await assert.rejects(
        ssm.send(new SendCommandCommand({ DocumentName: "d", InstanceIds: ["i-0598c7d356eba48d7"] })),
        { name: "TimeoutError" },
      );
      assert.equal(requests, 1, "one attempt: a SendCommand the SDK resent could run Salt twice");
    } finally {
      ssm.destroy();
      for (const res of hung) res.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
