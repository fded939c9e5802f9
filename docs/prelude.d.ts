/**
 * The names the documentation's examples use without declaring them, so that `deno task check`
 * can type-check every example (`scripts/check_docs.ts` loads this file for that check only).
 * They stand for what an application would have: a few schemas and their models, a connection.
 */
import type * as ar from "../mod.ts";
import type * as sqlite from "../backends/sqlite.ts";
import type * as sqljs from "../backends/sqljs.ts";
import type { SqlWriter as Writer } from "../src/sql/writer.ts";

type C<T, N extends boolean = false, O extends boolean = false> = ar.Column<T, N, O>;

type UserColumns = {
  id: C<number, false, true>;
  name: C<string>;
  email: C<string>;
  age: C<number, true, true>;
  role: C<string, false, true>;
  isActive: C<boolean, false, true>;
  createdAt: C<Date, false, true>;
};
type EmployeeColumns = {
  id: C<number, false, true>;
  name: C<string>;
  department: C<string>;
  salary: C<string>;
  hireDate: C<string>;
};
type AccountColumns = { id: C<number, false, true>; owner: C<string>; balance: C<string> };
type LedgerColumns = { id: C<number, false, true>; accountId: C<number>; amount: C<string> };
type TodoColumns = { id: C<number, false, true>; title: C<string>; done: C<boolean, false, true> };
type PostColumns = {
  id: C<number, false, true>;
  userId: C<number>;
  title: C<string>;
  published: C<boolean, false, true>;
};
type CommentColumns = {
  id: C<number, false, true>;
  postId: C<number>;
  replyToId: C<number, true, true>;
  body: C<string>;
  approved: C<boolean, false, true>;
};
type TagColumns = { id: C<number, false, true>; label: C<string> };
type UserRelations = { posts: { many: true; target: ar.Schema<PostColumns, PostRelations> } };
type PostRelations = {
  author: { many: false; target: ar.Schema<UserColumns, UserRelations> };
  comments: { many: true; target: ar.Schema<CommentColumns, CommentRelations> };
  tags: { many: true; target: ar.Schema<TagColumns> };
};
type CommentRelations = {
  post: { many: false; target: ar.Schema<PostColumns, PostRelations> };
  author: { many: false; target: ar.Schema<UserColumns, UserRelations> };
  replies: { many: true; target: ar.Schema<CommentColumns, CommentRelations> };
};
type OrderColumns = { id: C<number, false, true>; total: C<string>; quantity: C<number> };

declare global {
  // The library's own names, as an application imports them.
  const sql: typeof ar.sql;
  const column: typeof ar.column;
  const defineSchema: typeof ar.defineSchema;
  const connect: typeof ar.connect;
  const connectAsync: typeof ar.connectAsync;
  const ActiveRecord: typeof ar.ActiveRecord;
  const AsyncActiveRecord: typeof ar.AsyncActiveRecord;
  const PostgresDialect: typeof ar.PostgresDialect;
  const SQLiteBackend: typeof sqlite.SQLiteBackend;
  const SqlJsBackend: typeof sqljs.SqlJsBackend;
  const SqlWriter: typeof Writer;
  const STANDARD_SQL: typeof ar.STANDARD_SQL;
  const defineMigration: typeof ar.defineMigration;
  const Migrator: typeof ar.Migrator;

  // An application's schemas and models.
  const users: ar.Schema<UserColumns, UserRelations>;
  const User: ar.ActiveRecordClass<UserColumns, UserRelations>;
  const AsyncUser: ar.AsyncActiveRecordClass<UserColumns, UserRelations>;
  const u: ar.ActiveRecord & ar.Fields<UserColumns>;
  const Employee: ar.ActiveRecordClass<EmployeeColumns>;
  const AsyncEmployee: ar.AsyncActiveRecordClass<EmployeeColumns>;
  const AsyncAccount: ar.AsyncActiveRecordClass<AccountColumns>;
  const AsyncLedger: ar.AsyncActiveRecordClass<LedgerColumns>;
  const Todo: ar.ActiveRecordClass<TodoColumns>;
  const posts: ar.Schema<PostColumns, PostRelations>;
  const Post: ar.ActiveRecordClass<PostColumns, PostRelations>;
  const AsyncPost: ar.AsyncActiveRecordClass<PostColumns, PostRelations>;
  const post: ar.ActiveRecord & ar.Fields<PostColumns>;
  const asyncPost: ar.AsyncActiveRecord & ar.Fields<PostColumns>;
  const orders: ar.Schema<OrderColumns>;
  const Order: ar.ActiveRecordClass<OrderColumns>;

  // Things at hand in the examples.
  const migrator: ar.Migrator<"sync">;
  const createPosts: ar.Migration;
  const addSlug: ar.Migration;
  const db: ar.Connection<"sync">;
  const backend: sqlite.SQLiteBackend;
  const syncBackend: ar.SyncBackend;
  const context: ar.TransactionContext;
  const cutoff: Date;
  const since: Date;
  const metrics: { observe(ms: number): void };
  function send(record: unknown): void;
  function mail(record: unknown): void;
  function priceOf(record: unknown): Promise<string>;
}
