/** Server databases: a raw driver beside AsyncActiveRecord on the same table; parallel vs sequential. */
import { AsyncActiveRecord, type Backend } from "../mod.ts";
import { measure, type Result } from "./measure.ts";
import { benchUsers, userRow } from "./sqlite.ts";

const LOOKUPS = 1000;

/** The raw driver's side of the comparison. */
export interface RawDriver {
  readonly label: string;
  /** Finds one row by key; returns it or undefined. */
  findOne(id: number): Promise<unknown>;
  /** Reads 1,000 rows. */
  page(): Promise<unknown>;
  close(): Promise<void>;
}

/** Fills `bench_users` through the ORM, then measures the raw driver against it. */
export async function benchServer(
  group: string,
  backend: Backend & { close(): Promise<void> },
  raw: RawDriver,
): Promise<Result[]> {
  class User extends AsyncActiveRecord.model(benchUsers) {}
  try {
    await User.configure(backend);
    await User.dropTable({ ifExists: true });
    await User.createTable();
    await User.insertMany(Array.from({ length: 10_000 }, (_, i) => userRow(i)));
    const ids = (await User.query().orderBy("id").limit(LOOKUPS).pluck("id")) as number[];

    // Eight independent questions an HTTP handler might ask at once.
    const questions = [
      () => User.query().where({ isActive: true }).count(),
      () => User.query().where("age > ?", [40]).count(),
      () => User.query().avg("age"),
      () => User.query().max("createdAt"),
      () => User.query().where("email like ?", ["%99%"]).pluck("id"),
      () => User.query().groupBy("age").count("id", "n").aggregate(),
      () => User.query().orderBy("createdAt", "desc").limit(20).all(),
      () => User.query().where("name like ?", ["user 5%"]).count(),
    ];
    const rawSide = (run: () => unknown) => ({ label: raw.label, run });
    const orm = (run: () => unknown) => ({ label: "AsyncActiveRecord", run });
    return await measure(group, [
      {
        name: `findOne by key x${LOOKUPS}`,
        baseline: rawSide(async () => {
          for (const id of ids) if (!await raw.findOne(id)) throw new Error("missing");
        }),
        candidate: orm(async () => {
          for (const id of ids) if (!await User.findOne(id)) throw new Error("missing");
        }),
      },
      {
        name: "select 1,000 rows into models x10",
        baseline: rawSide(async () => {
          for (let i = 0; i < 10; i++) await raw.page();
        }),
        candidate: orm(async () => {
          for (let i = 0; i < 10; i++) await User.query().limit(1000).all();
        }),
      },
      {
        name: "8 independent queries: Promise.all vs one after another",
        baseline: {
          label: "sequential",
          run: async () => {
            for (const ask of questions) await ask();
          },
        },
        candidate: { label: "Promise.all", run: () => Promise.all(questions.map((ask) => ask())) },
      },
    ]);
  } finally {
    await User.dropTable({ ifExists: true }).catch(() => {});
    await raw.close();
    await backend.close();
  }
}
