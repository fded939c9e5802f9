/**
 * A TCP proxy for fault tests: forwards to a server, and on request cuts every connection, freezes
 * them (a silent network partition: bytes stop, sockets stay open), or accepts and closes at once
 * (a load balancer in front of a stopped server).
 */

/** How the proxy treats connections. */
export type ProxyMode = "forward" | "freeze" | "accept-then-close";

/** A running proxy; `await using` closes it. */
export class FaultProxy {
  readonly port: number;
  mode: ProxyMode = "forward";
  /** Connections accepted since the proxy started. */
  accepted = 0;
  readonly #listener: Deno.TcpListener;
  readonly #target: Deno.ConnectOptions;
  readonly #open = new Set<Deno.Conn>();
  readonly #pumps = new Set<Promise<void>>();
  readonly #accepting: Promise<void>;

  constructor(target: { hostname: string; port: number }) {
    this.#target = target;
    this.#listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    this.port = (this.#listener.addr as Deno.NetAddr).port;
    this.#accepting = this.#accept();
  }

  /** The URL of `url`'s server reached through the proxy. */
  urlFor(url: string): string {
    const parsed = new URL(url);
    parsed.hostname = "127.0.0.1";
    parsed.port = String(this.port);
    return parsed.href;
  }

  async #accept(): Promise<void> {
    try {
      for await (const client of this.#listener) {
        this.accepted++;
        if (this.mode === "accept-then-close") {
          client.close();
          continue;
        }
        this.#track(this.#link(client));
      }
    } catch {
      // the listener was closed
    }
  }

  #track(pump: Promise<void>): void {
    this.#pumps.add(pump);
    pump.finally(() => this.#pumps.delete(pump));
  }

  async #link(client: Deno.Conn): Promise<void> {
    this.#open.add(client);
    let server: Deno.Conn;
    try {
      server = await Deno.connect(this.#target);
    } catch {
      this.#close(client);
      return;
    }
    this.#open.add(server);
    await Promise.all([this.#pump(client, server), this.#pump(server, client)]);
  }

  async #pump(from: Deno.Conn, to: Deno.Conn): Promise<void> {
    const buffer = new Uint8Array(64 * 1024);
    try {
      for (;;) {
        const n = await from.read(buffer);
        if (n === null) break;
        while (this.mode === "freeze" && this.#open.has(from)) await new Promise((r) => setTimeout(r, 10));
        if (!this.#open.has(to)) break;
        let written = 0;
        while (written < n) written += await to.write(buffer.subarray(written, n));
      }
    } catch {
      // a side went away
    }
    this.#close(from);
    this.#close(to);
  }

  #close(conn: Deno.Conn): void {
    if (!this.#open.delete(conn)) return;
    try {
      conn.close();
    } catch {
      // already closed
    }
  }

  /** Closes every connection now (a network cut); new ones are still accepted. */
  cut(): void {
    for (const conn of [...this.#open]) this.#close(conn);
  }

  /** Stops the proxy and closes everything. */
  async close(): Promise<void> {
    this.mode = "forward";
    this.#listener.close();
    this.cut();
    await this.#accepting;
    await Promise.allSettled([...this.#pumps]);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
