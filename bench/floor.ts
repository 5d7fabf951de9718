// The Node floor of the sequential workload: the same GETs, awaited one by one, over a bare
// net.Socket with nothing of a client on it (no decoder, no command queue, no reply objects): it
// writes a fixed command, counts reply bytes and resolves a promise once a whole reply is in. No
// Node client can beat this loop, so it shows how much of a sequential round trip is the client's.
import { connect, type Socket } from 'node:net';
import { keys } from './workloads.js';

export interface SocketFloor {
  readonly name: string;
  /** GETs `ops` keys one after the other, each awaited, like the sequential workload. */
  run(ops: number): Promise<void>;
  close(): void;
}

/** `GET key` in RESP, for every key the workload reads. */
const commands = keys.map((k) => `*2\r\n$3\r\nGET\r\n$${Buffer.byteLength(k)}\r\n${k}\r\n`);

/**
 * `replyBytes` is the size of one reply (every bench key holds a value of the same length), so
 * a reply split across reads is still awaited whole.
 */
export async function socketFloor(port: number, replyBytes: number): Promise<SocketFloor> {
  let received = 0;
  let wake: (() => void) | undefined;
  const socket: Socket = connect({
    host: '127.0.0.1',
    port,
    noDelay: true,
    // The cheapest read path Node offers: one reused buffer, no 'data' events.
    onread: {
      buffer: Buffer.allocUnsafe(64 * 1024),
      callback: (n: number) => {
        received += n;
        if (received >= replyBytes && wake !== undefined) {
          received -= replyBytes;
          const w = wake;
          wake = undefined;
          w();
        }
        return true;
      },
    },
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const get = (command: string) =>
    new Promise<void>((resolve) => {
      wake = resolve;
      socket.write(command);
    });
  return {
    name: 'bare net.Socket',
    async run(ops) {
      for (let i = 0; i < ops; i++) await get(commands[i % commands.length]!);
      if (received !== 0) throw new Error(`bare socket loop: ${received} reply bytes left over`);
    },
    close: () => socket.destroy(),
  };
}
