// Opens the byte stream of a connection: TCP (every DNS address tried in order), TLS over that TCP
// socket (verification on by default, never a plaintext fallback) or a unix socket. Invariants: the
// returned socket is connected (and TLS-authorised); on failure or deadline nothing is left open.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, Socket, type OnReadOpts, type SocketConstructorOpts } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { ConnectionError, TimeoutError } from '../errors.js';
import type { ResolvedOptions } from './options.js';

/** The absolute time (ms since epoch) by which the whole connect must be done. */
class Deadline {
  constructor(readonly at: number) {}
  remaining(): number {
    return Math.max(0, this.at - Date.now());
  }
}

function defaultLookup(host: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => {
    dnsLookup(host, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses)));
  });
}

/** Waits for `event` on a fresh socket, or its error, or the deadline; destroys it on failure. */
function whenReady<S extends Socket>(socket: S, event: string, deadline: Deadline, what: string): Promise<S> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      socket.destroy();
      reject(new TimeoutError(`connect timed out (${what})`));
    }, deadline.remaining());
    const onReady = () => {
      cleanup();
      resolve(socket);
    };
    const onError = (error: Error) => {
      cleanup();
      socket.destroy();
      reject(error);
    };
    const onClose = () => {
      cleanup();
      reject(new ConnectionError(`connection closed during connect (${what})`));
    };
    function cleanup() {
      clearTimeout(timer);
      socket.off(event, onReady);
      socket.off('error', onError);
      socket.off('close', onClose);
    }
    socket.once(event, onReady);
    socket.once('error', onError);
    socket.once('close', onClose);
  });
}

/** Bytes per socket read, as Node reads by default. */
const READ_SIZE = 64 * 1024;

/**
 * The reads of a plain TCP or unix socket opened with `staticReads`: Node reads into `buffer`
 * (the socket's `onread` option) and calls `onRead` instead of emitting 'data'. `onRead` says
 * whether anything it keeps still refers to the buffer: if not, the next read reuses it, so a
 * connection reading large replies does not allocate 64 KiB per read (a major cause of garbage
 * collection when replies are copied out anyway); if so, the next read gets a fresh buffer.
 * While a large value is being received, `directTarget` may hand out the rest of the value's own
 * memory instead: that read lands in place, and `onDirectRead` is told how many bytes it took.
 * Reads before an `onRead` is attached are kept, copied, in `early`.
 */
export class SocketReads {
  buffer: Buffer = Buffer.allocUnsafe(READ_SIZE);
  onRead: ((chunk: Buffer) => boolean) | undefined;
  /**
   * Where the next read may go instead (the rest of a large value being received, see
   * RespDecoder#directTarget), and the callback told how many bytes a read put there.
   */
  directTarget: (() => Buffer | undefined) | undefined;
  onDirectRead: ((n: number) => void) | undefined;
  readonly early: Buffer[] = [];
  private keep = false;
  private direct = false;

  /** The buffer for the next read. */
  next(): Buffer {
    const target = this.directTarget?.();
    this.direct = target !== undefined;
    if (target !== undefined) return target;
    if (this.keep) {
      this.buffer = Buffer.allocUnsafe(READ_SIZE);
      this.keep = false;
    }
    return this.buffer;
  }

  deliver(n: number): void {
    if (this.direct) {
      (this.onDirectRead as (n: number) => void)(n);
      return;
    }
    const chunk = this.buffer.subarray(0, n);
    if (this.onRead === undefined) {
      this.early.push(Buffer.from(chunk));
      return;
    }
    this.keep = this.onRead(chunk);
  }
}

/** The SocketReads of sockets opened with `staticReads`. */
export const socketReads = new WeakMap<Socket, SocketReads>();

/** A socket whose reads go through a SocketReads when `staticReads`, a plain one otherwise. */
function newSocket(staticReads: boolean): Socket {
  if (!staticReads) return new Socket();
  const reads = new SocketReads();
  // Node takes `onread` in the constructor too (the types list it only for connect()).
  const opts: SocketConstructorOpts & { onread: OnReadOpts } = {
    onread: {
      buffer: () => reads.next(),
      callback: (n: number) => {
        reads.deliver(n);
        return true; // false would pause the socket
      },
    },
  };
  const socket = new Socket(opts);
  socketReads.set(socket, reads);
  return socket;
}

function tune(socket: Socket, options: ResolvedOptions): void {
  if (options.path === undefined) {
    socket.setNoDelay(options.noDelay);
    if (options.keepAlive !== false) socket.setKeepAlive(true, options.keepAlive);
  }
}

async function connectTcp(
  options: ResolvedOptions,
  deadline: Deadline,
  staticReads: boolean,
): Promise<Socket> {
  const lookup = options.lookup ?? defaultLookup;
  let addresses: LookupAddress[];
  if (isIP(options.host)) {
    addresses = [{ address: options.host, family: isIP(options.host) }];
  } else {
    let timer: NodeJS.Timeout | undefined;
    try {
      addresses = await Promise.race([
        lookup(options.host),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new TimeoutError('connect timed out (DNS lookup)')),
            deadline.remaining(),
          );
        }),
      ]);
    } catch (error) {
      if (error instanceof TimeoutError) throw error;
      throw new ConnectionError(`DNS lookup failed for ${options.host}`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
    if (addresses.length === 0)
      throw new ConnectionError(`DNS lookup for ${options.host} returned no address`);
  }
  const failures: unknown[] = [];
  for (const { address, family } of addresses) {
    if (deadline.remaining() <= 0) break;
    const socket = newSocket(staticReads);
    socket.connect({ host: address, port: options.port, family });
    try {
      return await whenReady(socket, 'connect', deadline, `${address}:${options.port}`);
    } catch (error) {
      if (error instanceof TimeoutError) throw error;
      failures.push(error);
    }
  }
  if (failures.length === 0) throw new TimeoutError(`connect timed out (${options.host}:${options.port})`);
  const cause = failures.length === 1 ? failures[0] : new AggregateError(failures, 'every address failed');
  throw new ConnectionError(`could not connect to ${options.host}:${options.port}`, { cause });
}

async function upgradeTls(tcp: Socket, options: ResolvedOptions, deadline: Deadline): Promise<TLSSocket> {
  const tls = options.tls ?? {};
  // SNI takes names only; host verification then uses `host` (an address checks IP SANs).
  const servername = tls.servername ?? (isIP(options.host) ? undefined : options.host);
  const socket = tlsConnect({
    socket: tcp,
    host: options.host,
    ...(servername === undefined ? {} : { servername }),
    ...(tls.ca === undefined ? {} : { ca: tls.ca }),
    ...(tls.cert === undefined ? {} : { cert: tls.cert }),
    ...(tls.key === undefined ? {} : { key: tls.key }),
    rejectUnauthorized: tls.rejectUnauthorized !== false,
  });
  try {
    return await whenReady(socket, 'secureConnect', deadline, 'TLS handshake');
  } catch (error) {
    tcp.destroy();
    if (error instanceof TimeoutError) throw error;
    throw new ConnectionError('TLS handshake failed', { cause: error });
  }
}

/**
 * Opens and tunes the socket; connectTimeout covers DNS, TCP and TLS (0 = no deadline). With
 * `staticReads`, a plain TCP or unix socket emits no 'data': its reads go to its SocketReads
 * (`socketReads`); a TLS socket reads as usual (TLS decrypts from the TCP socket's own reads).
 */
export async function openSocket(
  options: ResolvedOptions,
  deadlineAt?: number,
  staticReads = false,
): Promise<Socket> {
  const deadline = new Deadline(deadlineAt ?? Date.now() + (options.connectTimeout || 2 ** 31 - 1));
  if (options.path !== undefined) {
    const socket = newSocket(staticReads);
    socket.connect({ path: options.path });
    try {
      return await whenReady(socket, 'connect', deadline, 'unix socket');
    } catch (error) {
      if (error instanceof TimeoutError) throw error;
      throw new ConnectionError('could not connect to the unix socket', { cause: error });
    }
  }
  const tcp = await connectTcp(options, deadline, staticReads && options.tls === undefined);
  tune(tcp, options);
  if (options.tls === undefined) return tcp;
  return upgradeTls(tcp, options, deadline);
}
