// The connection handshake: HELLO <proto> [AUTH user pass] [SETNAME name]; when the server does not
// know HELLO (old server, or `rename-command HELLO ""`), RESP2 with AUTH and CLIENT SETNAME; then
// SELECT, READONLY (cluster replica reads) and CLIENT SETINFO (errors of the latter ignored). Invariant: no error leaving this module
// contains the password, even when the server echoes the arguments back in its error text.
import { AuthenticationError, ReplyError } from '../errors.js';
import type { RespArgument, RespValue } from '../resp/types.js';
import type { ResolvedOptions } from './options.js';

/** What HELLO told about the server (absent when the server has no HELLO). */
export interface ServerInfo {
  server: string;
  version: string;
  proto: number;
  id: number | undefined;
  mode: string | undefined;
  role: string | undefined;
}

export interface HandshakeResult {
  protocol: 2 | 3;
  server: ServerInfo | undefined;
}

/** Sends one command and resolves with its reply; error replies resolve as ReplyError values. */
export type RawSend = (command: string, args: RespArgument[], timeout: number) => Promise<RespValue>;

function scrub(text: string, password: string | undefined): string {
  return password ? text.split(password).join('[redacted]') : text;
}

function authenticationError(
  command: string,
  reply: ReplyError,
  password: string | undefined,
): AuthenticationError {
  return new AuthenticationError(`${command}: authentication failed (${scrub(reply.message, password)})`, {
    command,
  });
}

function commandError(command: string, reply: ReplyError, password: string | undefined): ReplyError {
  const error = new ReplyError(`${command} failed during the handshake: ${scrub(reply.message, password)}`, {
    command,
  });
  return error;
}

function isUnknownCommand(reply: ReplyError): boolean {
  return reply.code === 'ERR' && /unknown command/i.test(reply.message);
}

function text(value: RespValue | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return undefined;
}

/** HELLO's reply: a map under RESP3, a flat key/value array under RESP2. */
function serverInfoFrom(reply: RespValue): ServerInfo | undefined {
  const fields = new Map<string, RespValue>();
  if (reply instanceof Map) {
    for (const [key, value] of reply) {
      const name = text(key);
      if (name !== undefined) fields.set(name, value);
    }
  } else if (Array.isArray(reply)) {
    for (let i = 0; i + 1 < reply.length; i += 2) {
      const name = text(reply[i]);
      if (name !== undefined) fields.set(name, reply[i + 1] ?? null);
    }
  } else {
    return undefined;
  }
  const id = fields.get('id');
  const proto = fields.get('proto');
  return {
    server: text(fields.get('server')) ?? 'unknown',
    version: text(fields.get('version')) ?? 'unknown',
    proto: typeof proto === 'number' ? proto : Number(text(proto) ?? NaN),
    id: typeof id === 'number' ? id : id === undefined ? undefined : Number(text(id)),
    mode: text(fields.get('mode')),
    role: text(fields.get('role')),
  };
}

async function legacyAuth(send: RawSend, options: ResolvedOptions, timeout: () => number): Promise<void> {
  const { username, password, name } = options;
  if (password !== undefined) {
    const args = username === undefined ? ['AUTH', password] : ['AUTH', username, password];
    const reply = await send('AUTH', args, timeout());
    if (reply instanceof ReplyError) throw authenticationError('AUTH', reply, password);
  }
  if (name !== undefined) {
    const reply = await send('CLIENT SETNAME', ['CLIENT', 'SETNAME', name], timeout());
    if (reply instanceof ReplyError) throw commandError('CLIENT SETNAME', reply, password);
  }
}

/**
 * Runs the handshake over `send`. `timeout()` gives the milliseconds left for each step (the
 * caller's connect deadline). Throws AuthenticationError for rejected credentials.
 */
export async function handshake(
  send: RawSend,
  options: ResolvedOptions,
  timeout: () => number,
): Promise<HandshakeResult> {
  const { username, password, name } = options;
  const hello: RespArgument[] = ['HELLO', String(options.protocol)];
  if (password !== undefined) hello.push('AUTH', username ?? 'default', password);
  if (name !== undefined) hello.push('SETNAME', name);
  let result: HandshakeResult;
  const reply = await send('HELLO', hello, timeout());
  if (reply instanceof ReplyError) {
    if (!isUnknownCommand(reply) && reply.code !== 'NOPROTO') {
      const aboutAuth = password !== undefined && /auth|pass/i.test(reply.message);
      if (reply instanceof AuthenticationError || aboutAuth) {
        throw authenticationError('HELLO', reply, password);
      }
      throw commandError('HELLO', reply, password);
    }
    await legacyAuth(send, options, timeout);
    result = { protocol: 2, server: undefined };
  } else {
    result = { protocol: options.protocol, server: serverInfoFrom(reply) };
  }

  const steps: Array<Promise<void>> = [];
  if (options.db !== 0) {
    steps.push(
      send('SELECT', ['SELECT', options.db], timeout()).then((r) => {
        if (r instanceof ReplyError) throw commandError('SELECT', r, password);
      }),
    );
  }
  if (options.readOnly) {
    steps.push(
      send('READONLY', ['READONLY'], timeout()).then((r) => {
        if (r instanceof ReplyError) throw commandError('READONLY', r, password);
      }),
    );
  }
  if (options.libName !== false) {
    // Servers before 7.2 lack CLIENT SETINFO; the reply (error or not) is deliberately unused.
    steps.push(
      send('CLIENT SETINFO', ['CLIENT', 'SETINFO', 'LIB-NAME', options.libName], timeout()).then(() => {}),
      send('CLIENT SETINFO', ['CLIENT', 'SETINFO', 'LIB-VER', options.libVersion], timeout()).then(() => {}),
    );
  }
  await Promise.all(steps);
  return result;
}
