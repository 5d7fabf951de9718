// What a real server cannot produce, from a scripted fake peer: unsolicited replies, malformed
// bytes, and replies split at every byte. Each must close the connection with a ProtocolError and
// settle every pending command (or, for split replies, decode exactly as if unsplit).
import { createServer, Socket, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Connection } from '../../src/connection/connection.js';
import type { ConnectionOptions } from '../../src/connection/options.js';
import { ConnectionError, ProtocolError } from '../../src/errors.js';

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A fake peer: `onData` sees what the client wrote and may answer on the socket. */
async function fakePeer(onData: (peer: Socket, data: Buffer) => void): Promise<number> {
  server = createServer((peer) => {
    peer.on('data', (data) => onData(peer, data));
    peer.on('error', () => {});
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

/** A raw (handshake-free) connection to the fake peer. */
async function attach(port: number, options: ConnectionOptions = {}): Promise<Connection> {
  const socket = new Socket();
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.connect(port, '127.0.0.1', resolve);
  });
  return new Connection(socket, options);
}

describe('broken peers', () => {
  it('an unsolicited reply is a ProtocolError that closes the connection', async () => {
    const port = await fakePeer(() => {});
    server?.on('connection', (peer) => setTimeout(() => peer.write('+SURPRISE\r\n'), 20));
    const c = await attach(port);
    const errors: Error[] = [];
    c.on('error', (e) => errors.push(e));
    const closed = new Promise<Error | undefined>((resolve) => c.once('close', resolve));
    expect(await closed).toBeInstanceOf(ProtocolError);
    expect(errors[0]).toBeInstanceOf(ProtocolError);
    expect(errors[0]?.message).toMatch(/unsolicited/);
    expect(c.closed).toBe(true);
  });

  it('malformed bytes reject every pending command and close', async () => {
    let seen = 0;
    const port = await fakePeer((peer) => {
      seen += 1;
      if (seen === 1) peer.write('+OK\r\n?garbage\r\n');
    });
    const c = await attach(port);
    const results = await Promise.all(
      [c.send('PING', ['PING']), c.send('PING', ['PING']), c.send('PING', ['PING'])].map((p) =>
        p.then(
          (v) => v,
          (e: unknown) => e,
        ),
      ),
    );
    expect(results[0]).toBe('OK');
    for (const error of results.slice(1)) {
      expect(error).toBeInstanceOf(ConnectionError);
      expect((error as ConnectionError).cause).toBeInstanceOf(ProtocolError);
      expect((error as ConnectionError).mayHaveExecuted).toBe(true);
    }
    expect(c.closed).toBe(true);
  });

  it('a hostile length prefix is refused by the decoder limits', async () => {
    const port = await fakePeer((peer) => peer.write('$2147483647\r\nabc'));
    for (const options of [{}, { decoder: { maxBulkLength: 1024 } }]) {
      const c = await attach(port, options);
      const error = await c.send('GET', ['GET', 'k']).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectionError);
      expect((error as ConnectionError).cause).toBeInstanceOf(ProtocolError);
      expect(c.closed).toBe(true);
    }
  });

  it('replies split at every byte decode in order, push frames in between', async () => {
    const script = Buffer.from('+OK\r\n>2\r\n$7\r\nmessage\r\n$2\r\nhi\r\n:42\r\n*2\r\n$1\r\na\r\n_\r\n');
    const port = await fakePeer((peer) => {
      let i = 0;
      const drip = () => {
        if (i >= script.length || peer.destroyed) return;
        peer.write(script.subarray(i, i + 1));
        i += 1;
        setImmediate(drip);
      };
      drip();
    });
    const c = await attach(port);
    const pushes: unknown[] = [];
    c.on('push', (d) => pushes.push(d));
    const replies = await Promise.all([c.send('A', ['A']), c.send('B', ['B']), c.send('C', ['C'])]);
    expect(replies).toEqual(['OK', 42, ['a', null]]);
    expect(pushes).toEqual([['message', 'hi']]);
    expect(c.isHealthy()).toBe(true);
    c.destroy();
  });
});
