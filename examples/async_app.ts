/**
 * The async walkthrough, for any server database: CRUD, a money transfer that rolls back on error,
 * grouped statistics, and independent queries in parallel on pooled connections. Run it through
 * `examples/async_postgres.ts` or `examples/async_mysql.ts`.
 *
 * @module
 */
import { AsyncActiveRecord, type Backend, column, defineSchema } from "../mod.ts";

const employees = defineSchema("example_employees", {
  id: column.integer().primaryKey(),
  name: column.text().maxLength(100),
  department: column.text(),
  salary: column.decimal(10, 2),
  hireDate: column.date(),
});

const accounts = defineSchema("example_accounts", {
  id: column.integer().primaryKey(),
  owner: column.text(),
  balance: column.decimal(12, 2),
});

class Employee extends AsyncActiveRecord.model(employees) {}
class Account extends AsyncActiveRecord.model(accounts) {}

class InsufficientFunds extends Error {}

/** Moves money between accounts: both rows locked, all or nothing. */
async function transferFunds(fromId: number, toId: number, amount: string): Promise<void> {
  await Account.transaction(async () => {
    // Lock both rows in key order, so that concurrent transfers cannot deadlock.
    for (const id of [fromId, toId].sort((a, b) => a - b)) {
      await Account.query().where({ id }).forUpdate().one();
    }
    const from = await Account.findOneOrFail(fromId);
    const to = await Account.findOneOrFail(toId);
    from.balance = (Number(from.balance) - Number(amount)).toFixed(2);
    to.balance = (Number(to.balance) + Number(amount)).toFixed(2);
    await from.save();
    await to.save();
    if (Number(from.balance) < 0) throw new InsufficientFunds(`${from.owner} cannot send ${amount}`);
  });
}

const step = (title: string) => console.log(`\n== ${title}`);

/** Runs the walkthrough on `backend`, then closes it. */
export async function walkthrough(backend: Backend & { close(): Promise<void> }): Promise<void> {
  try {
    await Employee.configure(backend); // checks that the server answers
    await Account.configure(backend);
    for (const model of [Employee, Account]) {
      await model.dropTable({ ifExists: true });
      await model.createTable();
    }

    step("create");
    const ann = await Employee.create({
      name: "Ann",
      department: "Engineering",
      salary: "98000.00",
      hireDate: "2019-04-01",
    });
    console.log(`Ann has id ${ann.id}`);
    await Employee.insertMany([
      { name: "Bob", department: "Engineering", salary: "87000.50", hireDate: "2021-09-15" },
      { name: "Cid", department: "Sales", salary: "65000.00", hireDate: "2020-01-20" },
      { name: "Dee", department: "Sales", salary: "71000.25", hireDate: "2018-06-11" },
      { name: "Eve", department: "Support", salary: "52000.00", hireDate: "2022-02-02" },
    ]);

    step("read, update, delete");
    const bob = await Employee.findOneOrFail({ name: "Bob" });
    bob.salary = "90000.00";
    await bob.save();
    console.log(`Bob now earns ${(await Employee.findOneOrFail(bob.id)).salary}`);
    await (await Employee.findOneOrFail({ name: "Eve" })).delete();
    console.log(`employees: ${(await Employee.query().orderBy("name").pluck("name")).join(", ")}`);

    step("transferFunds: a transaction that rolls back on error");
    const [alice, carol] = [
      await Account.create({ owner: "Alice", balance: "100.00" }),
      await Account.create({ owner: "Carol", balance: "20.00" }),
    ];
    await transferFunds(alice.id, carol.id, "30.00");
    console.log("sent 30.00 from Alice to Carol");
    try {
      await transferFunds(carol.id, alice.id, "500.00");
    } catch (error) {
      if (!(error instanceof InsufficientFunds)) throw error;
      console.log(`refused and rolled back: ${error.message}`);
    }
    for (const account of await Account.query().orderBy("id").all()) {
      console.log(`  ${account.owner}: ${account.balance}`);
    }

    step("grouped statistics per department");
    console.table(
      await Employee.query().groupBy("department")
        .count("id", "employee_count").avg("salary", "avg_salary").min("hireDate", "earliest_hire")
        .orderBy("department").aggregate(),
    );

    step("three independent queries in parallel (separate pooled connections)");
    const started = performance.now();
    const [engineers, total, richest] = await Promise.all([
      Employee.query().where({ department: "Engineering" }).pluck("name"),
      Employee.query().count(),
      Employee.query().orderBy("salary", "desc").first(),
    ]);
    console.log(`engineers: ${engineers.join(", ")}; ${total} employees; top salary: ${richest?.name}`);
    console.log(`(${(performance.now() - started).toFixed(1)} ms)`);

    for (const model of [Account, Employee]) await model.dropTable();
  } finally {
    await backend.close();
  }
}
