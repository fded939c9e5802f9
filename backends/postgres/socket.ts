/**
 * Sockets for postgres.js that give up on a server that accepts connections and closes them before
 * answering (a load balancer in front of a stopped server). postgres.js retries such a connection
 * at once, forever, restarting its connect timer each time (~400 attempts a second, the caller's
 * query never settles). Here the attempts back off, and once they have failed for longer than the
 * connect timeout the next socket fails with `CONNECT_TIMEOUT`, which rejects the waiting query.
 * @module
 */
import net from "node:net";

/** What postgres.js passes to its `socket` option. */
export interface SocketTarget {
  readonly host: readonly string[];
  readonly port: readonly number[];
  readonly path?: string | false;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Opens sockets for one pool and remembers how long attempts have failed in a row. */
export class ConnectGuard {
  readonly #timeout: number;
  readonly #open = new Set<net.Socket>();
  #failingSince: number | undefined;
  #failures = 0;

  /** `timeout`: milliseconds of failed attempts after which waiting queries get a `ConnectionError`. */
  constructor(timeout: number) {
    this.#timeout = timeout;
  }

  /** Resolves once every socket opened here is closed, or after `ms`. */
  async drained(ms: number): Promise<void> {
    const deadline = performance.now() + ms;
    while (this.#open.size > 0 && performance.now() < deadline) await sleep(5);
  }

  /** A socket connecting to `target`, or one that fails at once when attempts have failed for too long. */
  async open(target: SocketTarget): Promise<net.Socket> {
    if (this.#failingSince !== undefined) {
      if (performance.now() - this.#failingSince >= this.#timeout) {
        this.#failingSince = undefined;
        this.#failures = 0;
        return failedSocket(
          `the server at ${target.host[0]}:${target.port[0]} accepts connections and closes them before ` +
            `answering (for ${this.#timeout} ms)`,
        );
      }
      await sleep(Math.min(500, 10 * 2 ** Math.min(this.#failures, 6)));
    }
    const socket = target.path ? net.connect(target.path) : net.connect(target.port[0], target.host[0]);
    this.#open.add(socket);
    socket.once("close", () => this.#open.delete(socket));
    let answered = false;
    // The server speaks only after the client's first message, which postgres.js writes after it has
    // attached its own listener: listening here loses it no data.
    socket.once("data", () => {
      answered = true;
      this.#failingSince = undefined;
      this.#failures = 0;
    });
    socket.once("close", () => {
      if (answered) return;
      this.#failingSince ??= performance.now();
      this.#failures++;
    });
    return socket;
  }
}

/** A socket that errors (then closes) on the next turn, the way postgres.js expects a failed connect. */
function failedSocket(message: string): net.Socket {
  const socket = new net.Socket();
  // postgres.js writes its startup message at once; swallowed, so that this error is the one it sees.
  socket.write = () => true;
  setTimeout(() => socket.destroy(Object.assign(new Error(message), { code: "CONNECT_TIMEOUT" })), 0);
  return socket;
}
