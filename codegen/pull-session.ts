// A tiny request/reply RESP session for `spec:pull`: one socket, one command at a time, the project
// codec (encodeCommand, RespDecoder) and nothing else. It exists so the pull does not depend on the
// client it generates. Errors name the command and the host:port, never the URL (it may hold a
// password); error replies are thrown as the ReplyError they decode to.
import { Socket } from 'node:net';
import { ConnectionError, ReplyError, TimeoutError } from '../src/errors.js';
import { encodeCommand, NEED_MORE, RespDecoder, RespPush, type RespValue } from '../src/resp/index.js';
import type { PullReplies } from './pull.js';

export interface PullTarget {
  host: string;
  port: number;
  username?: string;
  password?: string;
}

/** Parses redis://[user[:password]@]host[:port] (also valkey://). */
export function parsePullUrl(text: string): PullTarget {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TypeError('invalid server URL: expected redis://HOST:PORT');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'valkey:') {
    throw new TypeError(`invalid server URL: scheme ${url.protocol} is not supported (use redis://)`);
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') throw new TypeError('invalid server URL: no host');
  const target: PullTarget = { host, port: url.port === '' ? 6379 : Number(url.port) };
  if (url.username !== '') target.username = decodeURIComponent(url.username);
  if (url.password !== '') target.password = decodeURIComponent(url.password);
  return target;
}

export class PullSession {
  private readonly decoder = new RespDecoder();
  private waiting: { resolve(v: RespValue): void; reject(e: Error): void } | undefined;
  private failure: Error | undefined;

  private constructor(
    private readonly socket: Socket,
    private readonly where: string,
    private readonly timeoutMs: number,
  ) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) =>
      this.fail(new ConnectionError(`connection to ${where} failed`, { cause: err })),
    );
    socket.on('close', () => this.fail(new ConnectionError(`connection to ${where} closed`)));
  }

  static async open(target: PullTarget, options: { timeoutMs?: number } = {}): Promise<PullSession> {
    const where = `${target.host}:${target.port}`;
    const timeoutMs = options.timeoutMs ?? 10_000;
    const socket = new Socket();
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new TimeoutError(`connecting to ${where} timed out`));
      }, timeoutMs);
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(new ConnectionError(`cannot connect to ${where}`, { cause: err }));
      });
      socket.connect(target.port, target.host, () => {
        clearTimeout(timer);
        resolve();
      });
    });
    return new PullSession(socket, where, timeoutMs);
  }

  /** Sends one command and returns its reply; an error reply is thrown. */
  async call(args: string[]): Promise<RespValue> {
    if (this.failure) throw this.failure;
    if (this.waiting) throw new Error('PullSession: one command at a time');
    const command = (args[0] ?? '').toUpperCase();
    const reply = await new Promise<RespValue>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.socket.destroy();
        reject(new TimeoutError(`${command} to ${this.where} timed out`, { command }));
      }, this.timeoutMs);
      this.waiting = {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      for (const chunk of encodeCommand(args, command)) this.socket.write(chunk);
    });
    if (reply instanceof ReplyError) {
      reply.command = command;
      throw reply;
    }
    return reply;
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    try {
      this.decoder.feed(chunk);
      for (let v = this.decoder.next(); v !== NEED_MORE; v = this.decoder.next()) {
        if (v instanceof RespPush) continue; // never asked for, but a RESP3 server may send one
        const waiting = this.waiting;
        this.waiting = undefined;
        waiting?.resolve(v);
      }
    } catch (err) {
      this.socket.destroy();
      this.fail(err instanceof Error ? err : new Error(String(err)));
    }
  }

  private fail(err: Error): void {
    this.failure ??= err;
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.reject(this.failure);
  }
}

/**
 * Connects, authenticates, switches to RESP3 when asked (HELLO 3) and reads COMMAND DOCS,
 * COMMAND INFO and INFO server.
 */
export async function readReplies(target: PullTarget, protocol: 2 | 3): Promise<PullReplies> {
  const session = await PullSession.open(target);
  try {
    if (protocol === 3) {
      const hello = ['HELLO', '3'];
      if (target.password !== undefined) hello.push('AUTH', target.username ?? 'default', target.password);
      await session.call(hello);
    } else if (target.password !== undefined) {
      await session.call(
        target.username !== undefined
          ? ['AUTH', target.username, target.password]
          : ['AUTH', target.password],
      );
    }
    const docs = await session.call(['COMMAND', 'DOCS']);
    const info = await session.call(['COMMAND', 'INFO']);
    const serverInfo = await session.call(['INFO', 'server']);
    if (typeof serverInfo !== 'string') throw new ConnectionError('INFO server did not answer with text');
    return { docs, info, serverInfo };
  } finally {
    session.close();
  }
}
