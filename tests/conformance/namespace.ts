/**
 * Private namespaces on the test servers: each test gets a PostgreSQL schema or a MySQL database
 * of its own, named uniquely for the run, so that its tables cannot clash with anyone's and
 * dropping them touches nothing the run did not create.
 */
import type { Backend } from "../../mod.ts";

/** A name no one else uses: the run's start time, the process and a random part. */
export function privateName(): string {
  const random = crypto.getRandomValues(new Uint32Array(1))[0].toString(36);
  return `ar_t${Date.now().toString(36)}_${Deno.pid}_${random}`;
}

/** A server backend that can be closed. */
export type ServerBackend = Backend & { close(): Promise<void> };

interface Namespace {
  readonly url: string;
  readonly drop: string;
  owner: ServerBackend | undefined;
}

const namespaces = new WeakMap<Backend, Namespace>();

/** How to open backends on a server inside a namespace. */
export interface NamespaceRules<O> {
  /** The server's base URL. */
  readonly url: string;
  /** Opens a backend on `url`. */
  readonly open: (url: string, options?: O) => ServerBackend;
  /** The URL of `name` inside the server's base URL. */
  readonly urlOf: (base: string, name: string) => string;
  /** The statements that create and drop namespace `name`; `createOnBase` runs creation on the base URL. */
  readonly create: (name: string) => string;
  readonly drop: (name: string) => string;
  readonly createOnBase: boolean;
}

/** Opens a backend inside a new private namespace; `closeNamespaced` drops it. */
export async function openNamespaced<O>(rules: NamespaceRules<O>, options?: O): Promise<ServerBackend> {
  const name = privateName();
  const url = rules.urlOf(rules.url, name);
  if (rules.createOnBase) {
    const base = rules.open(rules.url, options);
    try {
      await base.async.run({ text: rules.create(name), params: [], returnsRows: false });
    } finally {
      await base.close();
    }
  }
  const backend = rules.open(url, options);
  try {
    if (!rules.createOnBase) {
      await backend.async.run({ text: rules.create(name), params: [], returnsRows: false });
    }
  } catch (error) {
    await backend.close();
    throw error;
  }
  const namespace: Namespace = { url, drop: rules.drop(name), owner: backend };
  namespaces.set(backend, namespace);
  return backend;
}

/** Another backend on the namespace of `backend` (closing it leaves the namespace). */
export function openBeside<O>(rules: NamespaceRules<O>, backend: Backend, options?: O): ServerBackend {
  const namespace = namespaces.get(backend);
  if (!namespace) throw new Error("openBeside: that backend has no private namespace");
  const other = rules.open(namespace.url, options);
  namespaces.set(other, { ...namespace, owner: undefined });
  return other;
}

/** Closes `backend`; the backend that made its namespace drops it first. */
export async function closeNamespaced(backend: ServerBackend): Promise<void> {
  const namespace = namespaces.get(backend);
  try {
    if (namespace?.owner === backend) {
      await backend.async.run({ text: namespace.drop, params: [], returnsRows: false });
    }
  } finally {
    await backend.close();
  }
}
