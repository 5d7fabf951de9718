// Reads what spec:pull needs from one server over the project's own connection layer
// (src/connection: URL parsing, HELLO with AUTH and RESP2 fallback, deadlines, errors that never
// show the password). It uses no generated code, so a pull never depends on what it generates.
import { Connection, parseRedisUrl } from '../src/connection/index.js';
import { ConnectionError } from '../src/errors.js';
import type { PullReplies } from './pull.js';

/** Connects to `url` speaking `protocol`, and reads COMMAND DOCS, COMMAND INFO and INFO server. */
export async function readReplies(url: string, protocol: 2 | 3): Promise<PullReplies> {
  const conn = await Connection.connect({
    ...parseRedisUrl(url),
    protocol,
    libName: false,
    commandTimeout: 30_000,
  });
  try {
    const docs = await conn.send('COMMAND DOCS', ['COMMAND', 'DOCS']);
    const info = await conn.send('COMMAND INFO', ['COMMAND', 'INFO']);
    const serverInfo = await conn.send('INFO', ['INFO', 'server']);
    if (typeof serverInfo !== 'string') throw new ConnectionError('INFO server did not answer with text');
    return { docs, info, serverInfo };
  } finally {
    conn.destroy();
  }
}
