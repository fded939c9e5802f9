/**
 * Rows → records. When a result's columns are the schema's, in order (every query the library
 * builds), each row array becomes the record's value array as it is, decoded in place.
 * @module
 */
import type { QueryResult } from "../backend.ts";
import { instantiate, type ModelClass } from "./record.ts";
import type { TableSql } from "../dialect/table_sql.ts";

/** Makes loaded records of `cls` from `result`. */
export function hydrate<T>(cls: ModelClass, table: TableSql, result: QueryResult): T[] {
  const { rows, columns } = result;
  const { aligned, fieldAt, decoders } = table.plan(columns);
  const records = new Array<T>(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    if (aligned) {
      for (let i = 0; i < row.length; i++) {
        const decode = decoders[i];
        if (decode !== undefined && row[i] !== null) row[i] = decode(row[i]);
      }
      records[r] = instantiate<T>(cls, row);
      continue;
    }
    const values = new Array<unknown>(cls.schema.fields.length);
    let extras: Record<string, unknown> | undefined;
    for (let i = 0; i < columns.length; i++) {
      const value = row[i];
      const index = fieldAt[i];
      if (index >= 0) {
        const decode = decoders[i];
        values[index] = decode !== undefined && value !== null ? decode(value) : value;
      } else {
        (extras ??= {})[columns[i]] = table.dialect.normalize(value);
      }
    }
    records[r] = instantiate<T>(cls, values, extras);
  }
  return records;
}

/** Decodes one row's values into `values` (for refresh and upsert of an existing record). */
export function decodeRow(table: TableSql, result: QueryResult, rowIndex = 0): unknown[] {
  const { aligned, fieldAt, decoders } = table.plan(result.columns);
  const row = result.rows[rowIndex];
  const values = aligned ? row : new Array<unknown>(table.decoders.length);
  for (let i = 0; i < row.length; i++) {
    const decode = decoders[i];
    const value = row[i];
    const index = aligned ? i : fieldAt[i];
    if (index >= 0) values[index] = decode !== undefined && value !== null ? decode(value) : value;
  }
  return values;
}
