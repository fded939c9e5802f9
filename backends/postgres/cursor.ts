/**
 * Cursors on PostgreSQL as SQL: `DECLARE ... NO SCROLL CURSOR FOR <query>` then `FETCH n`. Unlike
 * postgres.js's protocol-level `.cursor()`, which holds its connection until the last row and makes
 * every other statement on it wait (a deadlock when a loop body writes in the same transaction),
 * statements may run between fetches.
 * @module
 */
import type { DriverQuery, QueryResult } from "../../src/backend.ts";

let cursors = 0;

const statement = (text: string): DriverQuery => ({ text, params: [], returnsRows: false });

/** The rows of `query` in batches of `batchSize`, through a cursor that `run` declares in its transaction. */
export async function* declaredCursor(
  run: (query: DriverQuery) => Promise<QueryResult>,
  query: DriverQuery,
  batchSize: number,
): AsyncGenerator<QueryResult, void, undefined> {
  const name = `ar_cursor_${++cursors}`;
  await run({ ...query, text: `DECLARE ${name} NO SCROLL CURSOR FOR ${query.text}`, returnsRows: false });
  try {
    for (;;) {
      const batch = await run({ text: `FETCH ${batchSize} FROM ${name}`, params: [], returnsRows: true });
      if (batch.rows.length) yield batch;
      if (batch.rows.length < batchSize) return;
    }
  } finally {
    // Fails harmlessly when the transaction already failed (and the cursor with it).
    await run(statement(`CLOSE ${name}`)).catch(() => {});
  }
}

/** The rows of `query` through a cursor in a transaction of its own on `session` (outside any transaction). */
export async function* cursorInOwnTransaction(
  run: (query: DriverQuery) => Promise<QueryResult>,
  release: () => void,
  query: DriverQuery,
  batchSize: number,
): AsyncGenerator<QueryResult, void, undefined> {
  let began = false;
  try {
    await run(statement("BEGIN"));
    began = true;
    yield* declaredCursor(run, query, batchSize);
  } finally {
    if (began) await run(statement("COMMIT")).catch(() => {}); // only reads happened
    release();
  }
}
