// Parses connection URLs into ConnectionOptions: redis://[user[:pass]@]host[:port][/db][?query],
// rediss:// (TLS), unix:///path?db=N (also redis+unix:// and valkey/valkeys). Invariant: errors never
// repeat the URL (it may hold a password); only the part that was wrong is named.
import type { ConnectionOptions } from './options.js';

const TCP_SCHEMES = new Map<string, boolean>([
  ['redis:', false],
  ['valkey:', false],
  ['rediss:', true],
  ['valkeys:', true],
]);
const UNIX_SCHEMES = new Set(['unix:', 'redis+unix:', 'valkey+unix:']);

function decode(part: string, what: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new TypeError(`invalid Redis URL: bad percent-encoding in the ${what}`);
  }
}

function parseDb(text: string): number {
  if (!/^\d+$/.test(text))
    throw new TypeError('invalid Redis URL: the database must be a non-negative integer');
  return Number(text);
}

function applyQuery(url: URL, options: ConnectionOptions): void {
  for (const [key, value] of url.searchParams) {
    switch (key) {
      case 'db':
        options.db = parseDb(value);
        break;
      case 'protocol':
        if (value !== '2' && value !== '3') throw new TypeError('invalid Redis URL: protocol must be 2 or 3');
        options.protocol = value === '2' ? 2 : 3;
        break;
      case 'name':
      case 'clientName':
      case 'client_name':
        options.name = value;
        break;
      case 'username':
        options.username = value;
        break;
      case 'password':
        options.password = value;
        break;
      default:
        throw new TypeError(`invalid Redis URL: unknown query parameter "${key}"`);
    }
  }
}

/** Parses a redis://, rediss:// or unix:// URL. Throws TypeError naming what was wrong. */
export function parseRedisUrl(text: string): ConnectionOptions {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TypeError('invalid Redis URL: not a URL');
  }
  const options: ConnectionOptions = {};
  if (url.username) options.username = decode(url.username, 'user name');
  if (url.password) options.password = decode(url.password, 'password');
  if (UNIX_SCHEMES.has(url.protocol)) {
    const path = decode(url.pathname, 'socket path');
    if (!path || path === '/') throw new TypeError('invalid Redis URL: unix socket path missing');
    options.path = path;
    applyQuery(url, options);
    return options;
  }
  const tls = TCP_SCHEMES.get(url.protocol);
  if (tls === undefined) throw new TypeError(`invalid Redis URL: unsupported scheme "${url.protocol}"`);
  if (tls) options.tls = true;
  if (url.hostname) {
    // WHATWG URL keeps IPv6 literals bracketed; sockets want them bare.
    options.host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : decode(url.hostname, 'host');
  }
  if (url.port) options.port = Number(url.port);
  const dbPath = url.pathname.replace(/^\/+/, '').replace(/\/+$/, '');
  if (dbPath) options.db = parseDb(dbPath);
  applyQuery(url, options);
  return options;
}
