// URL parsing: every scheme, credentials with percent-encoding, IPv6, db from path or query, and
// errors that name the fault without repeating the URL (which may hold a password).
import { describe, expect, it } from 'vitest';
import { parseRedisUrl } from '../../src/connection/url.js';

describe('parseRedisUrl', () => {
  it.each([
    ['redis://localhost', { host: 'localhost' }],
    ['redis://h:6380/2', { host: 'h', port: 6380, db: 2 }],
    ['redis://:p%40ss@h/0', { host: 'h', password: 'p@ss', db: 0 }],
    [
      'redis://alice:secret@10.0.0.1:7000',
      { host: '10.0.0.1', port: 7000, username: 'alice', password: 'secret' },
    ],
    ['rediss://h:6390', { host: 'h', port: 6390, tls: true }],
    ['valkeys://h', { host: 'h', tls: true }],
    ['redis://[::1]:6381/3', { host: '::1', port: 6381, db: 3 }],
    ['redis://h?db=4&protocol=2&name=worker', { host: 'h', db: 4, protocol: 2, name: 'worker' }],
    ['unix:///tmp/redis.sock', { path: '/tmp/redis.sock' }],
    ['unix:///var/run/r.sock?db=5&password=pw', { path: '/var/run/r.sock', db: 5, password: 'pw' }],
    [
      'redis+unix:///tmp/x.sock?username=u&password=pw',
      { path: '/tmp/x.sock', username: 'u', password: 'pw' },
    ],
  ])('%s', (url, expected) => {
    expect(parseRedisUrl(url)).toEqual(expected);
  });

  it.each([
    ['not a url', /not a URL/],
    ['http://h', /unsupported scheme/],
    ['redis://h/notanumber', /database/],
    ['redis://h?db=-1', /database/],
    ['redis://h?protocol=4', /protocol/],
    ['redis://h?frobnicate=1', /unknown query parameter "frobnicate"/],
    ['unix://', /socket path missing/],
  ])('rejects %s', (url, message) => {
    expect(() => parseRedisUrl(url)).toThrow(TypeError);
    expect(() => parseRedisUrl(url)).toThrow(message);
  });

  it('never repeats the password in an error', () => {
    let message = '';
    try {
      parseRedisUrl('redis://u:hunter2@h/xyz');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/database/);
    expect(message).not.toContain('hunter2');
  });
});
