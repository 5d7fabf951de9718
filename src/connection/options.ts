// Options of one connection, their defaults, and their redaction. Invariant: a password or a TLS
// private key never appears in util.inspect or JSON output of anything this module builds; the
// normalised options object keeps the secrets in non-enumerable fields.
import { inspect } from 'node:util';
import type { LookupAddress } from 'node:dns';
import type { DecoderOptions } from '../resp/decoder.js';

/** TLS settings; `rejectUnauthorized` is true unless turned off explicitly. */
export interface TlsOptions {
  /** Trusted CA certificates (PEM); Node's default roots when absent. */
  ca?: string | Buffer | Array<string | Buffer>;
  /** Client certificate chain (PEM) for servers that require client authentication. */
  cert?: string | Buffer | Array<string | Buffer>;
  /** Client private key (PEM). Never shown in inspect/JSON. */
  key?: string | Buffer | Array<string | Buffer>;
  /** Name for SNI and certificate host verification; defaults to `host` when it is a name. */
  servername?: string;
  /** Verify the server certificate chain and host name (default true). */
  rejectUnauthorized?: boolean;
}

/** Resolves a host to every address to try, in order (dns.lookup with all: true by default). */
export type LookupFunction = (host: string) => Promise<LookupAddress[]>;

export interface ConnectionOptions {
  /** Host name or address (default 127.0.0.1). Every address DNS returns is tried in order. */
  host?: string;
  /** TCP port (default 6379). */
  port?: number;
  /** Unix socket path; when set, host/port are not used. */
  path?: string;
  /** TLS: true for defaults, or the settings. Never falls back to plaintext. */
  tls?: boolean | TlsOptions;
  username?: string;
  /** Never shown in errors, events, inspect or JSON. */
  password?: string;
  /** Database index selected after the handshake (default 0: no SELECT). */
  db?: number;
  /** Client name (CLIENT SETNAME / HELLO SETNAME). */
  name?: string;
  /** Send READONLY after the handshake: a cluster replica then serves read-only commands. */
  readOnly?: boolean;
  /** 3 (default): HELLO 3, falling back to RESP2 when HELLO is unknown. 2: RESP2 only. */
  protocol?: 2 | 3;
  /** Milliseconds for socket connect + TLS + handshake together (default 10000). */
  connectTimeout?: number;
  /** Default deadline of every command in milliseconds (0 or absent: none). */
  commandTimeout?: number;
  /** TCP keepalive initial delay in ms (default 5000); false turns keepalive off. */
  keepAlive?: number | false;
  /** TCP_NODELAY (default true). */
  noDelay?: boolean;
  /** LIB-NAME sent with CLIENT SETINFO (default "redspec"); false skips CLIENT SETINFO. */
  libName?: string | false;
  /** LIB-VER sent with CLIENT SETINFO (default: this library's version). */
  libVersion?: string;
  /**
   * Limits of the RESP decoder (maxAggregateLength defaults to 2^31 - 1 on a connection). Error
   * replies always get their classes from the one table in errors.ts.
   */
  decoder?: Omit<DecoderOptions, 'errorReply'>;
  /** DNS resolution (default dns.lookup(host, { all: true })). */
  lookup?: LookupFunction;
}

export const LIB_NAME = 'redspec';
/** Kept equal to package.json's version (a test checks it). */
export const LIB_VERSION = '0.1.0';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 6379;
export const DEFAULT_CONNECT_TIMEOUT = 10_000;
export const DEFAULT_KEEPALIVE = 5_000;

/** Options with defaults applied. Secrets live in non-enumerable properties. */
export interface ResolvedOptions {
  readonly host: string;
  readonly port: number;
  readonly path: string | undefined;
  readonly tls: TlsOptions | undefined;
  readonly username: string | undefined;
  readonly password: string | undefined;
  readonly db: number;
  readonly name: string | undefined;
  readonly readOnly: boolean;
  readonly protocol: 2 | 3;
  readonly connectTimeout: number;
  readonly commandTimeout: number;
  readonly keepAlive: number | false;
  readonly noDelay: boolean;
  readonly libName: string | false;
  readonly libVersion: string;
  readonly decoder: Omit<DecoderOptions, 'errorReply'> | undefined;
  readonly lookup: LookupFunction | undefined;
}

function checkMs(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative number of milliseconds`);
  }
  return value;
}

/** The options with secrets replaced by "[redacted]" and TLS keys left out: safe to print. */
export function redactOptions(options: ConnectionOptions | ResolvedOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined || typeof value === 'function') continue;
    if (key === 'tls' && value !== null && typeof value === 'object') {
      const tls = value as TlsOptions;
      out.tls = {
        ...(tls.servername === undefined ? {} : { servername: tls.servername }),
        rejectUnauthorized: tls.rejectUnauthorized !== false,
        ca: tls.ca === undefined ? undefined : '[certificate]',
        cert: tls.cert === undefined ? undefined : '[certificate]',
        key: tls.key === undefined ? undefined : '[redacted]',
      };
      continue;
    }
    out[key] = value;
  }
  if (options.password !== undefined) out.password = '[redacted]';
  return out;
}

const resolvedObjects = new WeakSet<object>();

/** Applies defaults and validates; the result hides password and TLS key from inspect/JSON. */
export function resolveOptions(options: ConnectionOptions | ResolvedOptions = {}): ResolvedOptions {
  if (resolvedObjects.has(options)) return options as ResolvedOptions;
  const protocol = options.protocol ?? 3;
  if (protocol !== 2 && protocol !== 3) throw new RangeError('protocol must be 2 or 3');
  const db = options.db ?? 0;
  if (!Number.isInteger(db) || db < 0) throw new RangeError('db must be a non-negative integer');
  const port = options.port ?? DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError('port must be 0-65535');
  const tls =
    options.tls === true ? {} : options.tls === false || options.tls === undefined ? undefined : options.tls;
  const resolved = {
    host: options.host ?? DEFAULT_HOST,
    port,
    path: options.path,
    tls: tls === undefined ? undefined : { ...tls },
    username: options.username,
    db,
    name: options.name,
    readOnly: options.readOnly === true,
    protocol,
    connectTimeout: checkMs('connectTimeout', options.connectTimeout, DEFAULT_CONNECT_TIMEOUT),
    commandTimeout: checkMs('commandTimeout', options.commandTimeout, 0),
    keepAlive:
      options.keepAlive === false ? false : checkMs('keepAlive', options.keepAlive, DEFAULT_KEEPALIVE),
    noDelay: options.noDelay ?? true,
    libName: options.libName ?? LIB_NAME,
    libVersion: options.libVersion ?? LIB_VERSION,
    decoder: options.decoder,
    lookup: options.lookup,
  } as Omit<ResolvedOptions, 'password'> & { password?: string };
  Object.defineProperty(resolved, 'password', { value: options.password, enumerable: false });
  if (resolved.tls?.key !== undefined) {
    const key = resolved.tls.key;
    delete resolved.tls.key;
    Object.defineProperty(resolved.tls, 'key', { value: key, enumerable: false });
  }
  const printable = () => redactOptions(resolved as ResolvedOptions);
  Object.defineProperty(resolved, 'toJSON', { value: printable, enumerable: false });
  Object.defineProperty(resolved, inspect.custom, {
    value: (_depth: number, opts: object) => inspect(printable(), opts),
    enumerable: false,
  });
  Object.freeze(resolved);
  resolvedObjects.add(resolved);
  return resolved as ResolvedOptions;
}
