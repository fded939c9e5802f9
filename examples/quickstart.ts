/**
 * Quickstart: the synchronous ActiveRecord on an in-memory SQLite database.
 *
 *     deno task demo
 *
 * @module
 */
import { ActiveRecord, column, defineSchema, sql, timestamps, ValidationError } from "../mod.ts";
import { SQLiteBackend } from "../backends/sqlite.ts";

// One definition: columns, constraints and validation.
const employees = defineSchema("employees", {
  id: column.integer().primaryKey(),
  name: column.text().maxLength(100),
  email: column.text().unique().validate((v) => v.includes("@") || "must be an email"),
  department: column.text(),
  salary: column.decimal(10, 2),
  isActive: column.boolean().default(true), // column is_active
  hireDate: column.date(),
  ...timestamps(), // createdAt and updatedAt, kept by every save
});

class Employee extends ActiveRecord.model(employees) {
  get label(): string {
    return `${this.name} <${this.email}>`;
  }

  // A hook: normalise before validation; what it sets is checked and written.
  override beforeValidate(): void {
    this.email = this.email.trim().toLowerCase();
  }
}

const step = (title: string) => console.log(`\n== ${title}`);

Employee.configure(new SQLiteBackend(":memory:"));

step("create table");
Employee.createTable();
console.log(`created table ${Employee.tableName}`);

step("insert");
const ann = new Employee({
  name: "Ann",
  email: "  Ann@Example.com ",
  department: "Engineering",
  salary: "98000.00",
  hireDate: "2019-04-01",
});
ann.save();
console.log(`saved ${ann.label} with id ${ann.id} (the hook normalised the email)`);
const count = Employee.insertMany([
  {
    name: "Bob",
    email: "bob@example.com",
    department: "Engineering",
    salary: "87000.50",
    hireDate: "2021-09-15",
  },
  { name: "Cid", email: "cid@example.com", department: "Sales", salary: "65000.00", hireDate: "2020-01-20" },
  { name: "Dee", email: "dee@example.com", department: "Sales", salary: "71000.25", hireDate: "2018-06-11" },
  {
    name: "Eve",
    email: "eve@example.com",
    department: "Support",
    salary: "52000.00",
    hireDate: "2022-02-02",
  },
]);
console.log(`inserted ${count} more in one statement`);

step("update (only changed columns are written)");
ann.salary = "105000.00";
console.log(`dirty fields: ${ann.dirtyFields.join(", ")}`);
const stamped = ann.updatedAt.getTime();
while (Date.now() === stamped) { /* a new millisecond, so that the new stamp shows */ }
ann.save();
const stored = Employee.findOneOrFail(ann.id);
console.log(`Ann now earns ${stored.salary}; updatedAt moved: ${stored.updatedAt.getTime() > stamped}`);

step("validation: nothing is written");
try {
  Employee.create({
    name: "Zed",
    email: "not-an-email",
    department: "Sales",
    salary: "1",
    hireDate: "2024-01-01",
  });
} catch (error) {
  if (!(error instanceof ValidationError)) throw error;
  console.log(`rejected: ${error.message}`);
}

step("find");
console.log(`findOne(2): ${Employee.findOne(2)?.label}`);
console.log(`findOne({ email }): ${Employee.findOne({ email: "dee@example.com" })?.name}`);
console.log(`findAll([1, 3]): ${Employee.findAll([1, 3]).map((e) => e.name).join(", ")}`);

step("query");
const engineers = Employee.query()
  .where({ department: "Engineering", isActive: true })
  .orderBy("salary", "desc")
  .all();
console.log(`engineers by salary: ${engineers.map((e) => `${e.name} (${e.salary})`).join(", ")}`);
const hiredBefore2020 = Employee.query().where(sql`hire_date < ${"2020-01-01"}`).orderBy("hireDate").pluck(
  "name",
);
console.log(`hired before 2020: ${hiredBefore2020.join(", ")}`);
console.log(`active: ${Employee.query().where({ isActive: true }).count()} of ${Employee.query().count()}`);
console.log(`SQL of that query: ${Employee.query().where({ isActive: true }).toSql().text}`);

step("grouped statistics");
const stats = Employee.query()
  .groupBy("department")
  .count("id", "employee_count")
  .avg("salary", "avg_salary")
  .min("hireDate", "earliest_hire")
  .orderBy("department")
  .aggregate();
console.table(stats);

step("a transaction that rolls back");
try {
  Employee.transaction(() => {
    Employee.updateAll({ department: "Platform" }, { department: "Engineering" });
    console.log(`inside: ${Employee.query().where({ department: "Platform" }).count()} in Platform`);
    throw new Error("reorg cancelled");
  });
} catch (error) {
  console.log(`rolled back: ${(error as Error).message}`);
}
console.log(`after: ${Employee.query().where({ department: "Platform" }).count()} in Platform`);

step("delete");
Employee.findOneOrFail({ email: "eve@example.com" }).delete();
console.log(`remaining: ${Employee.query().orderBy("id").pluck("name").join(", ")}`);
