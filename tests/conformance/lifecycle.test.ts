/**
 * Lifecycle hooks and events: their order, their transaction (a throwing hook leaves nothing
 * written), values they set, afterCommit / afterRollback, and sync / async rules.
 */
import assert from "node:assert/strict";
import { ArgumentError, RecordDeletedError, ValidationError } from "../../mod.ts";
import { conformance, type Env, fails, rejects } from "./harness.ts";
import { posts, users } from "./fixtures.ts";

/** A User model whose every hook records its name in `log`. */
async function loggedUser(env: Env, log: string[]) {
  const Base = await env.model(users);
  await env.createTables(Base);
  class User extends Base {
    override beforeValidate() {
      log.push("beforeValidate");
    }
    override afterValidate() {
      log.push("afterValidate");
    }
    override beforeSave() {
      log.push("beforeSave");
    }
    override beforeCreate() {
      log.push("beforeCreate");
    }
    override beforeUpdate() {
      log.push("beforeUpdate");
    }
    override afterCreate() {
      log.push("afterCreate");
    }
    override afterUpdate() {
      log.push("afterUpdate");
    }
    override afterSave() {
      log.push("afterSave");
    }
    override beforeDelete() {
      log.push("beforeDelete");
    }
    override afterDelete() {
      log.push("afterDelete");
    }
    override afterCommit() {
      log.push("afterCommit");
    }
    override afterRollback() {
      log.push("afterRollback");
    }
  }
  return User;
}

conformance("hooks run in order: validate, save, create/update, commit; delete", async (env) => {
  const log: string[] = [];
  const User = await loggedUser(env, log);
  const ann = await User.create({ name: "Ann", email: "a@x.io" });
  assert.deepEqual(log, [
    "beforeValidate",
    "afterValidate",
    "beforeSave",
    "beforeCreate",
    "afterCreate",
    "afterSave",
    "afterCommit",
  ]);
  log.length = 0;
  ann.name = "Annie";
  await ann.save();
  assert.deepEqual(log, [
    "beforeValidate",
    "afterValidate",
    "beforeSave",
    "beforeUpdate",
    "afterUpdate",
    "afterSave",
    "afterCommit",
  ]);
  log.length = 0;
  await ann.save();
  assert.deepEqual(log, [], "nothing changed: no hooks, nothing written");
  await ann.delete();
  assert.deepEqual(log, ["beforeDelete", "afterDelete", "afterCommit"]);
  assert.equal(await User.query().count(), 0);
});

conformance("Model.on: listeners after the hook, bases first; unsubscribing; bad events", async (env) => {
  const log: string[] = [];
  const Base = await env.model(users);
  await env.createTables(Base);
  class User extends Base {
    override beforeSave() {
      log.push("hook");
    }
  }
  class Admin extends User {}
  const stopBase = User.on("beforeSave", (user) => void log.push(`User listener ${user.name}`));
  Admin.on("beforeSave", () => void log.push("Admin listener"));
  await Admin.create({ name: "Ann", email: "a@x.io" });
  assert.deepEqual(log, ["hook", "User listener Ann", "Admin listener"]);
  log.length = 0;
  await User.create({ name: "Bob", email: "b@x.io" });
  assert.deepEqual(log, ["hook", "User listener Bob"], "a subclass's listener does not fire for its base");
  log.length = 0;
  stopBase();
  stopBase(); // twice is harmless
  await User.create({ name: "Cid", email: "c@x.io" });
  assert.deepEqual(log, ["hook"]);
  assert.throws(() => User.on("beforeSaving" as never, () => {}), ArgumentError);
  assert.throws(() => User.on("afterSave", "log" as never), ArgumentError);
});

conformance(
  "a hook that throws aborts: nothing of the save is left, the record is as before",
  async (env) => {
    const Base = await env.model(users);
    await env.createTables(Base);
    let failAfter = false;
    class User extends Base {
      override beforeCreate() {
        if (this.name === "Bad") throw new Error("refused in beforeCreate");
      }
      override afterSave() {
        if (failAfter) throw new Error("refused in afterSave");
      }
    }
    await rejects(() => User.create({ name: "Bad", email: "bad@x.io" }), Error, /beforeCreate/);
    failAfter = true;
    const late = new User({ name: "Late", email: "late@x.io" });
    await rejects(() => late.save(), Error, /afterSave/);
    assert.equal(await User.query().count(), 0, "the INSERT was rolled back with its hook");
    assert.equal(late.isNewRecord, true, "the record is new again");
    assert.equal(late.id, undefined, "its generated key is taken back");
    failAfter = false;
    await late.save();
    assert.equal((await User.findOneOrFail(late.id)).name, "Late", "and it can be saved");
    failAfter = true;
    late.name = "Later";
    await rejects(() => late.save(), Error, /afterSave/);
    assert.equal((await User.findOneOrFail(late.id)).name, "Late", "the UPDATE was rolled back");
    assert.deepEqual(late.dirtyFields, ["name"], "the change is pending again");
    failAfter = false;
    await late.save();
    assert.equal((await User.findOneOrFail(late.id)).name, "Later");
  },
);

conformance("values hooks set are validated and written", async (env) => {
  const Base = await env.model(users);
  await env.createTables(Base);
  class User extends Base {
    override beforeValidate() {
      this.email = this.email.trim().toLowerCase();
    }
    override beforeSave() {
      if (this.name === "Ann") this.age = 30;
      if (this.name === "Eve") this.age = 1.5; // not an integer: refused before anything is written
    }
  }
  const ann = await User.create({ name: "Ann", email: "  ANN@X.IO " });
  const stored = await User.findOneOrFail(ann.id);
  assert.equal(stored.email, "ann@x.io");
  assert.equal(stored.age, 30);
  await rejects(
    () => User.create({ name: "Eve", email: "eve@x.io" }),
    ValidationError,
    /age must be an integer/,
  );
  await rejects(() => User.create({ name: "Zed", email: "  not an email " }), ValidationError, /email/);
  assert.equal(await User.query().count(), 1);
});

conformance("queries in hooks join the save's transaction, and roll back with it", async (env) => {
  const Author = await env.model(users);
  const PostBase = await env.model(posts);
  await env.createTables(Author, PostBase);
  const ann = await Author.create({ name: "Ann", email: "a@x.io" });
  class Post extends PostBase {
    override afterCreate() {
      // A side record through another model, in the same transaction.
      return Author.updateAll({ age: 1 }, { id: this.userId }) as never;
    }
    override afterSave() {
      if (this.title === "fail") throw new Error("after the side write");
    }
  }
  await Post.create({ userId: ann.id, title: "ok" });
  assert.equal((await Author.findOneOrFail(ann.id)).age, 1);
  await Author.updateAll({ age: null }, { id: ann.id });
  await rejects(() => Post.create({ userId: ann.id, title: "fail" }), Error, /after the side write/);
  assert.equal((await Author.findOneOrFail(ann.id)).age, null, "the hook's write was rolled back too");
  assert.equal(await Post.query().count(), 1);
});

conformance(
  "afterCommit runs once after the outermost commit; afterRollback when it rolls back",
  async (env) => {
    const log: string[] = [];
    const User = await loggedUser(env, log);
    const only = (name: string) => log.filter((entry) => entry === name).length;
    await User.transaction(env.cb(function* () {
      const ann = yield User.create({ name: "Ann", email: "a@x.io" });
      ann.name = "Annie";
      yield ann.save();
      yield User.transaction(env.cb(function* () {
        yield User.create({ name: "Bob", email: "b@x.io" });
      }));
      assert.equal(only("afterCommit"), 0, "not at a savepoint, not before the commit");
    }));
    assert.equal(only("afterCommit"), 2, "once per record: Ann (saved twice) and Bob");
    log.length = 0;
    await rejects(
      () =>
        User.transaction(env.cb(function* () {
          yield User.create({ name: "Cid", email: "c@x.io" });
          throw new Error("abandon");
        })),
      Error,
      /abandon/,
    );
    assert.equal(only("afterCommit"), 0);
    assert.equal(only("afterRollback"), 1);
    log.length = 0;
    await User.transaction(env.cb(function* () {
      yield fails(
        () =>
          User.transaction(env.cb(function* () {
            yield User.create({ name: "Dee", email: "d@x.io" });
            throw new Error("only the savepoint");
          })),
        Error,
        /only the savepoint/,
      );
      assert.equal(only("afterRollback"), 1, "the savepoint rolled back: its record's afterRollback ran");
      yield User.create({ name: "Eve", email: "e@x.io" });
    }));
    assert.equal(only("afterCommit"), 1, "Eve only");
    assert.deepEqual(await User.query().orderBy("name").pluck("name"), ["Annie", "Bob", "Eve"]);
  },
);

conformance("an error in afterCommit reaches the caller; the commit stands", async (env) => {
  const Base = await env.model(users);
  await env.createTables(Base);
  class User extends Base {
    override afterCommit() {
      throw new Error("mail server down");
    }
  }
  await rejects(() => User.create({ name: "Ann", email: "a@x.io" }), Error, /mail server down/);
  assert.equal(await User.query().count(), 1);
});

conformance("a deleted record cannot be saved or deleted again", async (env) => {
  const Base = await env.model(users);
  await env.createTables(Base);
  const log: string[] = [];
  class User extends Base {
    override beforeSave() {
      log.push("beforeSave");
    }
  }
  const ann = await User.create({ name: "Ann", email: "a@x.io" });
  await ann.delete();
  log.length = 0;
  ann.name = "Again";
  await rejects(() => ann.save(), RecordDeletedError);
  await rejects(() => ann.delete(), RecordDeletedError);
  assert.deepEqual(log, [], "no hook ran");
});

conformance(
  "sync models: a hook that returns a Promise is a TypeError, and nothing is written",
  async (env) => {
    const Base = await env.model(users);
    await env.createTables(Base);
    class User extends Base {
      override beforeSave() {
        return Promise.resolve() as never;
      }
    }
    assert.throws(() => User.create({ name: "Ann", email: "a@x.io" }), /User.beforeSave returned a Promise/);
    class Listened extends Base {}
    Listened.on("afterCreate", () => Promise.resolve() as never);
    assert.throws(
      () => Listened.create({ name: "Bob", email: "b@x.io" }),
      /Listened.on\("afterCreate"\) listener/,
    );
    assert.equal(await Base.query().count(), 0);
  },
  { requires: ["sync"] },
);

conformance("async models: hooks may be async and are awaited in order", async (env) => {
  const Base = await env.model(users);
  await env.createTables(Base);
  const log: string[] = [];
  class User extends Base {
    override async beforeSave() {
      const others = await Base.query().count();
      await new Promise((resolve) => setTimeout(resolve, 5));
      log.push(`beforeSave saw ${others}`);
    }
    override afterSave() {
      log.push("afterSave");
    }
  }
  User.on("afterCommit", async (user) => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    log.push(`committed ${user.name}`);
  });
  await User.create({ name: "Ann", email: "a@x.io" });
  assert.deepEqual(log, ["beforeSave saw 0", "afterSave", "committed Ann"]);
}, { only: (target) => target.mode === "async" });
