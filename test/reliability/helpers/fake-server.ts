// A scripted RESP peer for what a real server cannot produce (hostile lengths, deep nesting,
// garbage, a handshake that never answers). It decodes the commands it receives with the real
// decoder, answers the handshake like a RESP2-only server (unknown HELLO), and hands every other
// command to the test's handler. Invariant: every socket it accepted is destroyed by close().
import { createServer, type Server, type Socket } from 'node:net';
import { NEED_MORE, RespDecoder } from '../../../src/resp/decoder.js';

/** Answers one command; `args` are the wire words as strings (args[0] upper-cased). */
export type FakeHandler = (args: string[], socket: Socket) => void;

export interface FakeServerOptions {
  /** Answer HELLO/AUTH/CLIENT SETINFO/SELECT like a RESP2 server (default true). */
  handshake?: boolean;
  /** Never write anything at all (a peer that accepts and hangs). */
  silent?: boolean;
}

export class FakeServer {
  readonly host = '127.0.0.1';
  port = 0;
  readonly sockets = new Set<Socket>();
  /** Commands the handler saw, in order. */
  readonly received: string[][] = [];
  private readonly server: Server;

  private constructor(
    private readonly handler: FakeHandler,
    private readonly options: FakeServerOptions,
  ) {
    this.server = createServer((socket) => this.accept(socket));
  }

  static async start(handler: FakeHandler, options: FakeServerOptions = {}): Promise<FakeServer> {
    const fake = new FakeServer(handler, options);
    await new Promise<void>((resolve, reject) => {
      fake.server.once('error', reject);
      fake.server.listen(0, '127.0.0.1', resolve);
    });
    const address = fake.server.address();
    fake.port = typeof address === 'object' && address ? address.port : 0;
    return fake;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => this.sockets.delete(socket));
    const decoder = new RespDecoder();
    socket.on('data', (chunk: Buffer) => {
      if (this.options.silent) return;
      decoder.feed(chunk);
      for (let value = decoder.next(); value !== NEED_MORE; value = decoder.next()) {
        if (!Array.isArray(value)) continue;
        const args = value.map((v) => (Buffer.isBuffer(v) ? v.toString('latin1') : String(v)));
        args[0] = (args[0] ?? '').toUpperCase();
        if (this.options.handshake !== false && answerHandshake(args, socket)) continue;
        this.received.push(args);
        this.handler(args, socket);
      }
    });
  }
}

/** A RESP2-only server's handshake answers; true when the command was one of them. */
function answerHandshake(args: string[], socket: Socket): boolean {
  switch (args[0]) {
    case 'HELLO':
      socket.write("-ERR unknown command 'HELLO', with args beginning with: \r\n");
      return true;
    case 'AUTH':
    case 'SELECT':
      socket.write('+OK\r\n');
      return true;
    case 'CLIENT':
      if ((args[1] ?? '').toUpperCase() === 'SETINFO' || (args[1] ?? '').toUpperCase() === 'SETNAME') {
        socket.write('+OK\r\n');
        return true;
      }
      return false;
    default:
      return false;
  }
}
