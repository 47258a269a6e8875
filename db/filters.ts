// Conditions on callbacks as data: the engine says which callbacks it means (Query by properties, admin queue
// filters, the cancelled report), and only the store turns that into SQL for its database.

/** Columns a condition may name. */
export type CallbackColumn = "id" | "service_name" | "customer_number" | "reason" | "ors_session_id" | "state" | "desired_time";

/** A column, or `{ prop }`: a free-form property of the callback (its stored props). */
export type CallbackField = CallbackColumn | { prop: string };

export type CallbackCondition =
  | { field: CallbackField; op: "eq" | "ne"; value: string | number }
  | { field: CallbackField; op: "gte" | "lte"; value: number }
  | { field: CallbackField; op: "in"; values: readonly string[] };

/** Every condition of `all` holds, and when `any` is given, at least one of it. */
export interface CallbackWhere {
  all?: readonly CallbackCondition[];
  any?: readonly CallbackCondition[];
}

const COLUMNS = new Set<string>(["id", "service_name", "customer_number", "reason", "ors_session_id", "state", "desired_time"]);
const OPS = { eq: "=", ne: "<>", gte: ">=", lte: "<=" } as const;

function fieldSql(field: CallbackField, args: unknown[]): string {
  if (typeof field === "string") {
    if (!COLUMNS.has(field)) throw new Error(`not a callback column: ${field}`);
    return field;
  }
  args.push(`$."${field.prop.replace(/"/g, "")}"`);
  return "json_extract(props, ?)";
}

function conditionSql(c: CallbackCondition, args: unknown[]): string {
  const f = fieldSql(c.field, args);
  if (c.op === "in") {
    // values travel as one JSON array: one statement shape however many values (prepared-statement cache)
    args.push(JSON.stringify(c.values));
    return `${f} IN (SELECT value FROM json_each(?))`;
  }
  args.push(c.value);
  return `${f} ${OPS[c.op]} ?`;
}

/** The SQLite text of a condition set (empty when it has none) and its arguments, in order. */
export function whereSql(w: CallbackWhere | undefined): { sql: string; args: unknown[] } {
  const args: unknown[] = []; // in the order of the placeholders
  const parts = w?.any?.length ? [`(${w.any.map((c) => conditionSql(c, args)).join(" OR ")})`] : [];
  for (const c of w?.all ?? []) parts.push(conditionSql(c, args));
  return { sql: parts.join(" AND "), args };
}
