/** A DynamoDB on loopback (dynalite, in memory) for tests that need real conditional writes. */
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { AddressInfo, Server } from "node:net";
import { INVENTORY_PARTITION_KEY as PARTITION_KEY } from "../../../reactor/contract";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require("dynalite") as (opts: Record<string, unknown>) => Server;

export interface LocalDynamo {
  readonly client: DynamoDBDocumentClient;
  readonly raw: DynamoDBClient;
  createTable(name: string): Promise<void>;
  close(): Promise<void>;
}

export async function startDynalite(): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const raw = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
  });
  const client = DynamoDBDocumentClient.from(raw);
  return {
    client,
    raw,
    async createTable(name) {
      await raw.send(
        new CreateTableCommand({
          TableName: name,
          AttributeDefinitions: [{ AttributeName: PARTITION_KEY, AttributeType: "S" }],
          KeySchema: [{ AttributeName: PARTITION_KEY, KeyType: "HASH" }],
          BillingMode: "PAY_PER_REQUEST",
        }),
      );
      // dynalite flips CREATING to ACTIVE on its next tick; poll on status, not on time.
      for (;;) {
        const t = await raw.send(new DescribeTableCommand({ TableName: name }));
        if (t.Table?.TableStatus === "ACTIVE") return;
        await new Promise((r) => setImmediate(r));
      }
    },
    async close() {
      raw.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
