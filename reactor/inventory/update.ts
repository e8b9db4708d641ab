/**
 * One conditional UpdateItem, built clause by clause: SET, REMOVE and ADD with the names and values
 * they use (DynamoDB refuses any the expressions do not).
 */
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { INVENTORY_PARTITION_KEY } from "../contract";
import { toItem, type HistoryEntry, type InventoryItem } from "./item";

export interface Update {
  readonly sets: string[];
  readonly removes: string[];
  readonly adds: string[];
  readonly names: Record<string, string>;
  readonly values: Record<string, unknown>;
}

export function emptyUpdate(): Update {
  return { sets: [], removes: [], adds: [], names: {}, values: {} };
}

export function set(u: Update, attribute: string, placeholder: string, value: unknown): void {
  u.sets.push(`${attribute} = ${placeholder}`);
  u.values[placeholder] = value;
  // A SET wins over a REMOVE of the same attribute in one expression (DynamoDB refuses both).
  const i = u.removes.indexOf(attribute);
  if (i >= 0) u.removes.splice(i, 1);
}

export function appendHistory(u: Update, entry: HistoryEntry): void {
  u.sets.push("history = list_append(if_not_exists(history, :emptyList), :entry)");
  u.values[":emptyList"] = [];
  u.values[":entry"] = [Object.fromEntries(Object.entries(entry).filter(([, v]) => v !== undefined))];
}

/** Runs the update if `condition` holds: the item afterwards, or undefined when the condition failed. */
export async function updateIf(
  client: DynamoDBDocumentClient,
  tableName: string,
  instanceId: string,
  u: Update,
  condition: string,
): Promise<InventoryItem | undefined> {
  const expression = [
    u.sets.length > 0 ? `SET ${u.sets.join(", ")}` : "",
    u.removes.length > 0 ? `REMOVE ${[...new Set(u.removes)].join(", ")}` : "",
    u.adds.length > 0 ? `ADD ${u.adds.join(", ")}` : "",
  ]
    .filter(Boolean)
    .join(" ");
  const used = `${expression} ${condition}`;
  // DynamoDB refuses names and values the expressions do not use.
  const names = Object.fromEntries(Object.entries(u.names).filter(([k]) => used.includes(k)));
  const values = Object.fromEntries(
    Object.entries(u.values).filter(([k]) => new RegExp(`${k}(?![A-Za-z0-9_])`).test(used)),
  );
  try {
    const out = await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { [INVENTORY_PARTITION_KEY]: instanceId },
        UpdateExpression: expression,
        ConditionExpression: condition,
        ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
        ExpressionAttributeValues: values,
        ReturnValues: "ALL_NEW",
      }),
    );
    return out.Attributes === undefined ? undefined : toItem(out.Attributes);
  } catch (error) {
    if (
      error instanceof ConditionalCheckFailedException ||
      (error as Error).name === "ConditionalCheckFailedException"
    ) {
      return undefined;
    }
    throw error;
  }
}
