// Handshake variants against real servers: ACL users, wrong passwords (AuthenticationError whose
// message never holds the password), db select, client name, CLIENT SETINFO, forced RESP2, the
// RESP2 fallback when HELLO is renamed away, unix sockets, DNS address order and connect deadlines.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Connection } from '../../src/connection/connection.js';
import type { ConnectionOptions } from '../../src/connection/options.js';
import { AuthenticationError, ConnectionError, TimeoutError } from '../../src/errors.js';
import { startServer, type TestServer } from '../helpers/server.js';

const PASSWORD = 'canary-secret-7781';
const ALICE = 'alice-pw-5512';

async function failure(options: ConnectionOptions): Promise<Error> {
  const error = await Connection.connect(options).then(
    (c) => {
      c.destroy();
      return new Error('connected although it should not have');
    },
    (e: unknown) => e as Error,
  );
  return error;
}

function allText(error: Error): string {
  let text = `${error.name} ${error.message} ${String(error.stack)}`;
  let cause = error.cause;
  while (cause instanceof Error) {
    text += ` ${cause.message}`;
    cause = cause.cause;
  }
  return text;
}

describe.each(['redis', 'valkey'] as const)('%s', (flavour) => {
  const servers: Record<string, TestServer> = {};
  beforeAll(async () => {
    const acl = [`user default on >${PASSWORD} ~* &* +@all`, `user alice on >${ALICE} ~* &* +@all`];
    [servers.acl, servers.nohello, servers.open] = await Promise.all([
      startServer({ flavour, config: acl }),
      startServer({ flavour, config: [...acl, 'rename-command HELLO ""'] }),
      startServer({ flavour, args: ['--unixsocket', 'redis.sock', '--unixsocketperm', '700'] }),
    ]);
  });
  afterAll(async () => {
    await Promise.all(Object.values(servers).map((s) => s.stop()));
  });
  const at = (name: string, extra: ConnectionOptions = {}): ConnectionOptions => ({
    host: servers[name]?.host,
    port: servers[name]?.port,
    ...extra,
  });

  describe.each([2, 3] as const)('RESP%i', (protocol) => {
    it('authenticates an ACL user, selects the db and names the client', async () => {
      const c = await Connection.connect(
        at('acl', { protocol, username: 'alice', password: ALICE, db: 3, name: 'worker-1' }),
      );
      expect(c.protocol).toBe(protocol);
      expect(c.server).toMatchObject({ server: flavour, proto: protocol });
      expect(await c.send('ACL WHOAMI', ['ACL', 'WHOAMI'])).toBe('alice');
      expect(await c.send('CLIENT GETNAME', ['CLIENT', 'GETNAME'])).toBe('worker-1');
      const info = String(await c.send('CLIENT INFO', ['CLIENT', 'INFO']));
      expect(info).toMatch(/ db=3 /);
      if (flavour === 'valkey') expect(info).toMatch(/lib-name=redspec lib-ver=\d+\.\d+\.\d+/);
      await c.close();
    });

    it('authenticates the default user with a password only', async () => {
      const c = await Connection.connect(at('acl', { protocol, password: PASSWORD, libName: false }));
      expect(await c.send('ACL WHOAMI', ['ACL', 'WHOAMI'])).toBe('default');
      const info = String(await c.send('CLIENT INFO', ['CLIENT', 'INFO']));
      // Redis 7.0 has no CLIENT SETINFO and no lib-name field; Valkey shows it empty.
      if (flavour === 'valkey') expect(info).toMatch(/lib-name= /);
      await c.close();
    });

    it.each(['acl', 'nohello'])(
      'wrong password on %s → AuthenticationError without the password',
      async (name) => {
        for (const options of [
          { password: 'wrong-canary-3319' },
          { username: 'alice', password: 'wrong-canary-3319' },
        ]) {
          const error = await failure(at(name, { protocol, ...options }));
          expect(error).toBeInstanceOf(AuthenticationError);
          expect(allText(error)).not.toContain('wrong-canary-3319');
        }
      },
    );

    it('no password where one is required → AuthenticationError', async () => {
      const error = await failure(at('acl', { protocol }));
      expect(error).toBeInstanceOf(AuthenticationError);
    });

    it('falls back to RESP2 AUTH when HELLO is unknown', async () => {
      const c = await Connection.connect(
        at('nohello', { protocol, username: 'alice', password: ALICE, db: 2, name: 'legacy' }),
      );
      expect(c.protocol).toBe(2);
      expect(c.server).toBeUndefined();
      expect(await c.send('ACL WHOAMI', ['ACL', 'WHOAMI'])).toBe('alice');
      expect(await c.send('CLIENT GETNAME', ['CLIENT', 'GETNAME'])).toBe('legacy');
      expect(String(await c.send('CLIENT INFO', ['CLIENT', 'INFO']))).toMatch(/ db=2 /);
      // RESP2 on the wire: a hash is a flat array.
      await c.send('HSET', ['HSET', 'hs', 'f', 'v']);
      expect(await c.send('HGETALL', ['HGETALL', 'hs'])).toEqual(['f', 'v']);
      await c.close();
    });

    it('connects over a unix socket', async () => {
      const path = join(servers.open?.dir ?? '', 'redis.sock');
      const c = await Connection.connect({ path, protocol, db: 1 });
      expect(await c.send('PING', ['PING'])).toBe('PONG');
      const info = String(await c.send('CLIENT INFO', ['CLIENT', 'INFO']));
      expect(info).toMatch(/ db=1 /);
      expect(info).toMatch(/laddr=\S*redis\.sock/);
      await c.close();
      const viaUrl = await Connection.connect(`unix://${path}?protocol=${protocol}`);
      expect(viaUrl.protocol).toBe(protocol);
      await viaUrl.close();
    });
  });

  it('a SELECT of a db the server lacks fails the connect', async () => {
    const error = await failure(at('open', { db: 999 }));
    expect(error.name).toBe('ReplyError');
    expect(error.message).toMatch(/SELECT/);
  });
});

describe('addresses and deadlines', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('tries every address DNS gives, in order', async () => {
    const asked: string[] = [];
    const c = await Connection.connect({
      host: 'redis.example.test',
      port: server.port,
      lookup: async (host) => {
        asked.push(host);
        // 127.0.0.2 is loopback too, but the server listens on 127.0.0.1 only: refused.
        return [
          { address: '127.0.0.2', family: 4 },
          { address: '127.0.0.1', family: 4 },
        ];
      },
    });
    expect(asked).toEqual(['redis.example.test']);
    expect(await c.send('PING', ['PING'])).toBe('PONG');
    await c.close();
    const viaDns = await Connection.connect({ host: 'localhost', port: server.port });
    expect(await viaDns.send('PING', ['PING'])).toBe('PONG');
    await viaDns.close();
  });

  it('fails with ConnectionError when every address fails', async () => {
    const error = await failure({
      host: 'redis.example.test',
      port: server.port,
      lookup: async () => [
        { address: '127.0.0.2', family: 4 },
        { address: '127.0.0.3', family: 4 },
      ],
    });
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.cause).toBeInstanceOf(AggregateError);
    const lookupError = await failure({ host: 'no-such-host.invalid', port: server.port });
    expect(lookupError).toBeInstanceOf(ConnectionError);
  });

  it('a stopped server: connect rejects with TimeoutError within the connect timeout', async () => {
    server.process.kill('SIGSTOP');
    try {
      const started = Date.now();
      const error = await failure({ host: server.host, port: server.port, connectTimeout: 200 });
      const took = Date.now() - started;
      expect(error).toBeInstanceOf(TimeoutError);
      expect(took).toBeGreaterThanOrEqual(190);
      expect(took).toBeLessThan(300);
    } finally {
      server.process.kill('SIGCONT');
    }
    const c = await Connection.connect({ host: server.host, port: server.port });
    expect(await c.send('PING', ['PING'])).toBe('PONG');
    await c.close();
  });
});
