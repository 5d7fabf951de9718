// Option defaults and validation, and redaction: the password and TLS private key never appear in
// util.inspect or JSON of resolved options or of a connection.
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { LIB_VERSION, redactOptions, resolveOptions } from '../../src/connection/options.js';

describe('resolveOptions', () => {
  it('applies defaults', () => {
    const o = resolveOptions({});
    expect(o).toMatchObject({ host: '127.0.0.1', port: 6379, db: 0, protocol: 3, connectTimeout: 10_000 });
    expect(o.commandTimeout).toBe(0);
    expect(o.keepAlive).toBe(5000);
    expect(o.noDelay).toBe(true);
    expect(o.libName).toBe('redspec');
    expect(o.tls).toBeUndefined();
    expect(resolveOptions({ tls: true }).tls).toEqual({});
  });

  it('is idempotent and keeps the secrets usable', () => {
    const o = resolveOptions({ password: 'pw', tls: { key: 'KEY' } });
    expect(resolveOptions(o)).toBe(o);
    expect(o.password).toBe('pw');
    expect(o.tls?.key).toBe('KEY');
  });

  it('validates', () => {
    expect(() => resolveOptions({ protocol: 4 as 3 })).toThrow(RangeError);
    expect(() => resolveOptions({ db: -1 })).toThrow(/db/);
    expect(() => resolveOptions({ port: 70000 })).toThrow(/port/);
    expect(() => resolveOptions({ connectTimeout: NaN })).toThrow(/connectTimeout/);
  });

  it('hides password and TLS key from inspect, JSON and spreading', () => {
    const o = resolveOptions({
      username: 'alice',
      password: 'canary-pw-1234',
      tls: { key: 'canary-key-5678', ca: 'CA', servername: 's' },
    });
    for (const text of [
      inspect(o, { depth: 5 }),
      JSON.stringify(o),
      JSON.stringify({ ...o }),
      inspect({ ...o }),
    ]) {
      expect(text).not.toContain('canary-pw-1234');
      expect(text).not.toContain('canary-key-5678');
    }
    expect(inspect(o)).toContain('[redacted]');
    expect(JSON.stringify(o)).toContain('alice');
    const plain = redactOptions({ password: 'canary-pw-1234', host: 'h' });
    expect(plain).toEqual({ password: '[redacted]', host: 'h' });
  });

  it('LIB_VERSION is the package version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(LIB_VERSION).toBe(pkg.version);
  });
});
