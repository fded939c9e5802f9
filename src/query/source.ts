/**
 * What a query reads from: a model as the query layer sees it (see `RecordSource`).
 * @module
 */
export type { RecordSource as QuerySource } from "../relation/source.ts";
