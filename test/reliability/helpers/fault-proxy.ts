// A TCP fault proxy for the reliability suite: listens on a free loopback port and forwards every
// accepted connection to a real server, with faults switched on and off while traffic flows (drop
// either direction, hold and release replies, delay, fragment, cut after N reply bytes, RST,
// corrupt, inject unsolicited bytes, a connect black hole). Invariant: bytes are never reordered
// within a direction; a fault either passes, holds, drops (and then kills the link) or cuts them.
import { createServer, Socket, type Server } from 'node:net';

/** One client connection and its upstream twin. */
export interface Link {
  readonly id: number;
  readonly client: Socket;
  readonly upstream: Socket;
  /** Reply bytes forwarded to the client so far. */
  downBytes: number;
  /** Reply bytes held back while `hold` is on. */
  held: Buffer[];
  closed: boolean;
}

export interface FaultSettings {
  /** Client→server bytes are discarded (the command never arrives). */
  dropUp: boolean;
  /** Server→client bytes are discarded (replies vanish; the link stays up). */
  dropDown: boolean;
  /** Replies are buffered until release() (or until hold is turned off and release() called). */
  hold: boolean;
  /** Ms each reply chunk waits before it is forwarded (order kept). */
  delayMs: number;
  /** Reply chunks are split into pieces of 1..fragment bytes, written separately (0 = off). */
  fragment: number;
  /** Accept connections but never connect them upstream or answer (a connect black hole). */
  blackhole: boolean;
  /** Reset (RST) a link after this many reply bytes have been forwarded on it (Infinity = off). */
  cutAfterBytes: number;
  /** Transforms each reply chunk before it is forwarded (corruption). */
  corrupt: ((chunk: Buffer, link: Link) => Buffer) | undefined;
  /**
   * Decides per reply chunk: 'pass', or 'lose' (the chunk is dropped and the link reset, as a
   * real network loses data: a TCP stream never skips bytes and carries on).
   */
  loss: ((chunk: Buffer, link: Link) => 'pass' | 'lose') | undefined;
}

const DEFAULTS: FaultSettings = {
  dropUp: false,
  dropDown: false,
  hold: false,
  delayMs: 0,
  fragment: 0,
  blackhole: false,
  cutAfterBytes: Infinity,
  corrupt: undefined,
  loss: undefined,
};

export class FaultProxy {
  readonly host = '127.0.0.1';
  port = 0;
  readonly settings: FaultSettings = { ...DEFAULTS };
  readonly links = new Set<Link>();
  /** Connections accepted in total (black-holed ones included). */
  accepted = 0;
  /** Links reset by a fault (loss, cut, reset()). */
  resets = 0;
  private readonly server: Server;
  private readonly blackholed = new Set<Socket>();
  private nextId = 1;

  private constructor(
    readonly targetPort: number,
    readonly targetHost: string,
  ) {
    this.server = createServer((client) => this.accept(client));
  }

  /** Starts a proxy in front of targetHost:targetPort on a free loopback port. */
  static async start(targetPort: number, targetHost = '127.0.0.1'): Promise<FaultProxy> {
    const proxy = new FaultProxy(targetPort, targetHost);
    await new Promise<void>((resolve, reject) => {
      proxy.server.once('error', reject);
      proxy.server.listen(0, '127.0.0.1', resolve);
    });
    const address = proxy.server.address();
    proxy.port = typeof address === 'object' && address ? address.port : 0;
    return proxy;
  }

  /** Turns faults on or off; unspecified settings are left as they are. */
  set(settings: Partial<FaultSettings>): void {
    Object.assign(this.settings, settings);
  }

  /** Back to a transparent proxy (releasing anything held). */
  clear(): void {
    Object.assign(this.settings, DEFAULTS);
    this.release();
  }

  /** Forwards every held reply, in order, on every link. */
  release(): void {
    for (const link of this.links) {
      const held = link.held;
      link.held = [];
      for (const chunk of held) this.forwardDown(link, chunk);
    }
  }

  /** Writes bytes to the client side of every link (or one), as if the server had sent them. */
  inject(bytes: Buffer | string, link?: Link): void {
    for (const l of link ? [link] : this.links) if (!l.closed) l.client.write(bytes);
  }

  /** Resets (RST) one link, or every link, and its upstream. */
  reset(link?: Link): void {
    for (const l of link ? [link] : [...this.links]) this.kill(l);
  }

  /** Stops listening and resets everything still open. */
  async close(): Promise<void> {
    this.reset();
    for (const socket of this.blackholed) socket.destroy();
    this.blackholed.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    this.accepted += 1;
    client.on('error', () => {});
    if (this.settings.blackhole) {
      // Read and discard: the peer sees a connected socket that never answers.
      this.blackholed.add(client);
      client.on('data', () => {});
      client.on('close', () => this.blackholed.delete(client));
      return;
    }
    const upstream = new Socket();
    upstream.on('error', () => {});
    const link: Link = { id: this.nextId++, client, upstream, downBytes: 0, held: [], closed: false };
    this.links.add(link);
    upstream.setNoDelay(true);
    client.setNoDelay(true);
    upstream.connect(this.targetPort, this.targetHost);
    // Until upstream is connected, socket.write buffers in order; nothing is lost.
    client.on('data', (chunk: Buffer) => {
      if (!this.settings.dropUp && !link.closed) upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => this.onReply(link, chunk));
    const end = () => this.kill(link, false);
    client.on('close', end);
    upstream.on('close', end);
  }

  private onReply(link: Link, chunk: Buffer): void {
    const s = this.settings;
    if (link.closed || s.dropDown) return;
    if (s.loss && s.loss(chunk, link) === 'lose') {
      this.resets += 1;
      this.kill(link);
      return;
    }
    if (s.corrupt) chunk = s.corrupt(chunk, link);
    if (s.hold) {
      link.held.push(chunk);
      return;
    }
    if (link.held.length > 0) {
      // Keep order behind anything still held.
      link.held.push(chunk);
      return;
    }
    if (s.delayMs > 0) {
      setTimeout(() => this.forwardDown(link, chunk), s.delayMs);
      return;
    }
    this.forwardDown(link, chunk);
  }

  private forwardDown(link: Link, chunk: Buffer): void {
    if (link.closed) return;
    const s = this.settings;
    const room = s.cutAfterBytes - link.downBytes;
    if (room <= 0) {
      this.resets += 1;
      this.kill(link);
      return;
    }
    let cut = false;
    if (chunk.length > room) {
      chunk = chunk.subarray(0, room);
      cut = true;
    }
    link.downBytes += chunk.length;
    if (s.fragment > 0) {
      for (let at = 0; at < chunk.length;) {
        const size = 1 + Math.floor(Math.random() * s.fragment);
        link.client.write(chunk.subarray(at, at + size));
        at += size;
      }
    } else {
      link.client.write(chunk);
    }
    if (cut) {
      this.resets += 1;
      // Let the partial reply leave first, then reset.
      link.client.once('drain', () => this.kill(link));
      if (link.client.writableLength === 0) setImmediate(() => this.kill(link));
    }
  }

  /** Tears a link down; `rst` resets the client side (ECONNRESET) instead of a FIN. */
  private kill(link: Link, rst = true): void {
    if (link.closed) return;
    link.closed = true;
    link.held = [];
    this.links.delete(link);
    if (rst && !link.client.destroyed) link.client.resetAndDestroy();
    else link.client.destroy();
    link.upstream.destroy();
  }
}
