/// <reference lib="dom" />
/**
 * A todo list in the browser: ActiveRecord on sql.js (WASM SQLite), saved to IndexedDB after each
 * change. Built by `deno task browser-build`, served by `deno task browser-demo`.
 *
 * @module
 */
import { ActiveRecord, column, defineSchema, ValidationError } from "../../mod.ts";
import { IndexedDbStore, SqlJsBackend } from "../../backends/sqljs.ts";

const todos = defineSchema("todos", {
  id: column.integer().primaryKey(),
  title: column.text().maxLength(200).validate((v) => v.trim() !== "" || "cannot be blank"),
  tag: column.text().maxLength(30),
  done: column.boolean().default(false),
  createdAt: column.datetime().defaultNow(),
});

class Todo extends ActiveRecord.model(todos) {}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const status = $("status");
const backend = await SqlJsBackend.open({
  store: new IndexedDbStore("activerecord-todo-demo"),
  locateFile: (file) => new URL(file, import.meta.url).href, // the wasm sits next to the bundle
});
Todo.configure(backend);
Todo.createTable({ ifNotExists: true });

/** Re-renders everything from the database (it is in memory: each query takes microseconds). */
function render(): void {
  const list = $("list");
  list.replaceChildren(...Todo.query().orderBy("createdAt").orderBy("id").all().map(item));
  $("open-count").textContent = String(Todo.query().where({ done: false }).count());
  const stats = Todo.query().where({ done: false }).groupBy("tag")
    .count("id", "open").min("createdAt", "oldest").orderBy("tag").aggregate<
    { tag: string; open: number; oldest: Date }
  >();
  $("stats").replaceChildren(...stats.map((row) => {
    const tr = document.createElement("tr");
    for (const text of [row.tag, String(row.open), row.oldest.toLocaleString()]) {
      const td = document.createElement("td");
      td.textContent = text;
      tr.append(td);
    }
    return tr;
  }));
}

function item(todo: Todo): HTMLLIElement {
  const li = document.createElement("li");
  li.className = todo.done ? "done" : "";
  const box = Object.assign(document.createElement("input"), { type: "checkbox", checked: todo.done });
  box.addEventListener("change", () =>
    changed(() => {
      todo.done = box.checked;
      todo.save();
    }));
  const text = Object.assign(document.createElement("span"), { className: "text", textContent: todo.title });
  const tag = Object.assign(document.createElement("span"), { className: "tag", textContent: todo.tag });
  const remove = Object.assign(document.createElement("button"), { className: "remove", textContent: "×" });
  remove.addEventListener("click", () => changed(() => todo.delete()));
  li.append(box, text, tag, remove);
  return li;
}

/** Runs a change, re-renders, and shows when it has reached IndexedDB. */
function changed(change: () => void): void {
  $("error").textContent = "";
  try {
    change();
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    $("error").textContent = error.message;
  }
  render();
  status.textContent = "saving…";
  backend.flush().then(() => status.textContent = "saved", (e) => status.textContent = `not saved: ${e}`);
}

$("new").addEventListener("submit", (event) => {
  event.preventDefault();
  const title = $<HTMLInputElement>("title");
  const tag = $<HTMLInputElement>("tag");
  changed(() => {
    Todo.create({ title: title.value, tag: tag.value.trim() || "none" });
    title.value = "";
  });
});
addEventListener("pagehide", () => void backend.flush());

render();
status.textContent = "ready";
