// TLS against real TLS ports with certificates this test makes with openssl: a trusted connection,
// and refusals for an untrusted CA, a wrong host name and an expired certificate; no plaintext
// fallback in either direction.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Connection } from '../../src/connection/connection.js';
import type { ConnectionOptions } from '../../src/connection/options.js';
import { ConnectionError } from '../../src/errors.js';
import { freePort, startServer, type TestServer } from '../helpers/server.js';

const CA_CONFIG = `[ca]
default_ca = local
[local]
dir = .
database = index.txt
serial = serial
new_certs_dir = .
default_md = sha256
policy = any
copy_extensions = copy
unique_subject = no
[any]
commonName = supplied
[server]
subjectAltName = DNS:localhost,IP:127.0.0.1
`;

/** A CA, a valid server certificate and an expired one (SAN localhost + 127.0.0.1), in `dir`. */
function makeCertificates(dir: string): void {
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  writeFileSync(join(dir, 'ca.cnf'), CA_CONFIG);
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), '01\n');
  run(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-subj',
    '/CN=redspec test CA',
    '-days',
    '2',
  );
  run('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
  const issue = (out: string, dates: string[]) =>
    run(
      'ca',
      '-batch',
      '-config',
      'ca.cnf',
      '-cert',
      'ca.crt',
      '-keyfile',
      'ca.key',
      '-in',
      'server.csr',
      '-out',
      out,
      '-extensions',
      'server',
      '-notext',
      ...dates,
    );
  issue('server.crt', ['-days', '2']);
  issue('expired.crt', ['-startdate', '20200101000000Z', '-enddate', '20200102000000Z']);
}

describe.each(['redis', 'valkey'] as const)('%s over TLS', (flavour) => {
  let dir: string;
  let ca: Buffer;
  let valid: TestServer;
  let expired: TestServer;

  async function tlsServer(cert: string): Promise<TestServer> {
    const port = await freePort();
    return startServer({
      flavour,
      waitPort: port,
      args: [
        '--port',
        '0',
        '--tls-port',
        String(port),
        '--tls-cert-file',
        join(dir, cert),
        '--tls-key-file',
        join(dir, 'server.key'),
        '--tls-ca-cert-file',
        join(dir, 'ca.crt'),
        '--tls-auth-clients',
        'no',
      ],
    }).then((s) => ({ ...s, port }));
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'redspec-tls-'));
    makeCertificates(dir);
    ca = readFileSync(join(dir, 'ca.crt'));
    [valid, expired] = await Promise.all([tlsServer('server.crt'), tlsServer('expired.crt')]);
  });
  afterAll(async () => {
    await Promise.all([valid?.stop(), expired?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  async function refusal(options: ConnectionOptions): Promise<{ error: Error; code: string | undefined }> {
    const error = await Connection.connect({ connectTimeout: 2000, ...options }).then(
      (c) => {
        c.destroy();
        return new Error('connected although it should not have');
      },
      (e: unknown) => e as Error,
    );
    const cause = error.cause as { code?: string } | undefined;
    return { error, code: cause?.code };
  }

  it('connects with the CA trusted, by address and by name', async () => {
    for (const host of ['127.0.0.1', 'localhost']) {
      const c = await Connection.connect({ host, port: valid.port, tls: { ca } });
      expect(c.protocol).toBe(3);
      expect(await c.send('PING', ['PING'])).toBe('PONG');
      const big = 'x'.repeat(200_000);
      await c.send('SET', ['SET', 'tls:big', big]);
      expect(await c.send('GET', ['GET', 'tls:big'])).toBe(big);
      await c.close();
    }
  });

  it('refuses a server whose CA is not trusted', async () => {
    const { error, code } = await refusal({ host: '127.0.0.1', port: valid.port, tls: true });
    expect(error).toBeInstanceOf(ConnectionError);
    expect(code).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/);
  });

  it('refuses a certificate for another host', async () => {
    const { error, code } = await refusal({
      host: '127.0.0.1',
      port: valid.port,
      tls: { ca, servername: 'wrong-host.example.test' },
    });
    expect(error).toBeInstanceOf(ConnectionError);
    expect(code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
  });

  it('refuses an expired certificate unless verification is turned off explicitly', async () => {
    const { error, code } = await refusal({ host: '127.0.0.1', port: expired.port, tls: { ca } });
    expect(error).toBeInstanceOf(ConnectionError);
    expect(code).toBe('CERT_HAS_EXPIRED');
    const c = await Connection.connect({
      host: '127.0.0.1',
      port: expired.port,
      tls: { rejectUnauthorized: false },
    });
    expect(await c.send('PING', ['PING'])).toBe('PONG');
    await c.close();
  });

  it('never falls back to plaintext', async () => {
    const plain = await startServer({ flavour });
    try {
      const { error } = await refusal({
        host: plain.host,
        port: plain.port,
        tls: { ca },
        connectTimeout: 300,
      });
      expect(error).toBeInstanceOf(ConnectionError);
      const { error: other } = await refusal({ host: '127.0.0.1', port: valid.port, connectTimeout: 300 });
      expect(other).toBeInstanceOf(ConnectionError);
    } finally {
      await plain.stop();
    }
  });
});
