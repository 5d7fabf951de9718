// A minimal RESP client for tests that must ask a real server something without the client under
// test in the way (COMMAND GETKEYS, CLUSTER KEYSLOT): one socket, the codec from src/resp, replies
// matched to calls in FIFO order. Error replies resolve as ReplyError values so tests can see them.
import { Socket } from 'node:net';
import { NEED_MORE, RespDecoder } from '../../src/resp/decoder.js';
import { encodeCommand } from '../../src/resp/encoder.js';
import { RespPush, type RespArgument, type RespValue } from '../../src/resp/types.js';

export class RawClient {
  private readonly decoder = new RespDecoder();
  private readonly pending: { resolve(value: RespValue): void; reject(err: Error): void }[] = [];
  private failure: Error | undefined;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.fail(err));
    socket.on('close', () => this.fail(new Error('connection closed')));
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = new Socket();
      socket.once('error', reject);
      socket.connect(port, host, () => {
        socket.off('error', reject);
        socket.setNoDelay(true);
        resolve(new RawClient(socket));
      });
    });
  }

  /** Sends one command (name and arguments as wire words) and resolves with its decoded reply. */
  call(...args: RespArgument[]): Promise<RespValue> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      for (const chunk of encodeCommand(args)) this.socket.write(chunk);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    try {
      this.decoder.feed(chunk);
      for (let value = this.decoder.next(); value !== NEED_MORE; value = this.decoder.next()) {
        if (value instanceof RespPush) continue; // out-of-band, never a reply
        const waiter = this.pending.shift();
        if (!waiter) throw new Error('reply without a pending call');
        waiter.resolve(value);
      }
    } catch (err) {
      this.fail(err instanceof Error ? err : new Error(String(err)));
      this.socket.destroy();
    }
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const waiter of this.pending.splice(0)) waiter.reject(err);
  }
}
