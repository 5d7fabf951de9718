// Hash slots: published CRC16/XMODEM vectors, the hash-tag rules of the cluster spec, and agreement
// with CLUSTER KEYSLOT of real cluster-enabled redis and valkey servers on many generated keys.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc16, keySlot, SLOT_COUNT } from '../../src/cluster/slot.js';
import { RawClient } from '../helpers/raw-client.js';
import { startServer, type TestServer } from '../helpers/server.js';
import type { Flavour } from '../helpers/binaries.js';

describe('crc16', () => {
  it('matches the XMODEM check value', () => {
    expect(crc16(Buffer.from('123456789'))).toBe(0x31c3);
    expect(crc16(Buffer.alloc(0))).toBe(0);
  });

  it('hashes a sub-range', () => {
    const data = Buffer.from('xx123456789yy');
    expect(crc16(data, 2, 11)).toBe(0x31c3);
  });
});

describe('keySlot', () => {
  it('gives the documented slots', () => {
    expect(keySlot('foo')).toBe(12182);
    expect(keySlot('123456789')).toBe(0x31c3 % SLOT_COUNT);
    expect(keySlot('')).toBe(0);
  });

  it('hashes only a non-empty hash tag', () => {
    expect(keySlot('{user1000}.following')).toBe(keySlot('{user1000}.followers'));
    expect(keySlot('{user1000}.following')).toBe(keySlot('user1000'));
    expect(keySlot('foo{}{bar}')).toBe(crc16(Buffer.from('foo{}{bar}')) % SLOT_COUNT);
    expect(keySlot('foo{}{bar}')).not.toBe(keySlot('bar'));
    expect(keySlot('foo{{bar}}zap')).toBe(keySlot('{bar'));
    expect(keySlot('foo{bar}{zap}')).toBe(keySlot('bar'));
    expect(keySlot('foo{bar')).toBe(crc16(Buffer.from('foo{bar')) % SLOT_COUNT);
    expect(keySlot('}foo{bar}')).toBe(keySlot('bar'));
  });

  it('hashes strings as UTF-8 and Buffers as they are', () => {
    expect(keySlot('ключ')).toBe(keySlot(Buffer.from('ключ', 'utf8')));
    expect(keySlot(Buffer.from([0xff, 0x7b, 0x01, 0x7d]))).toBe(crc16(Buffer.from([0x01])) % SLOT_COUNT);
  });
});

/** Deterministic keys of varied shape: tags, empty tags, nested braces, UTF-8, binary bytes. */
function sampleKeys(): (string | Buffer)[] {
  let seed = 0x2545f491;
  const next = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return seed >>> 0;
  };
  const alphabet = ['a', 'b', 'z', '0', '9', ':', '{', '}', '{', '}', 'é', '€', '_', '-', ' '];
  const keys: (string | Buffer)[] = [
    'foo',
    'bar',
    '{user1000}.following',
    'foo{}{bar}',
    'foo{{bar}}zap',
    '{}',
    '{',
  ];
  for (let n = 0; n < 300; n++) {
    const length = next() % 16;
    let key = '';
    for (let i = 0; i < length; i++) key += alphabet[next() % alphabet.length];
    keys.push(key);
  }
  for (let n = 0; n < 50; n++) {
    const bytes = Buffer.alloc(1 + (next() % 12));
    for (let i = 0; i < bytes.length; i++) bytes[i] = next() % 4 === 0 ? 0x7b + (next() % 3) : next() % 256;
    keys.push(bytes);
  }
  return keys;
}

describe.each<Flavour>(['redis', 'valkey'])('keySlot agrees with CLUSTER KEYSLOT (%s)', (flavour) => {
  let server: TestServer;
  let client: RawClient;

  beforeAll(async () => {
    server = await startServer({
      flavour,
      config: ['cluster-enabled yes', 'cluster-config-file nodes.conf'],
    });
    client = await RawClient.connect(server.port);
  });

  afterAll(async () => {
    client?.close();
    await server?.stop();
  });

  it('for every sample key', async () => {
    const keys = sampleKeys();
    const slots = await Promise.all(keys.map((key) => client.call('CLUSTER', 'KEYSLOT', key)));
    expect(keys.map((key) => keySlot(key))).toEqual(slots);
  });
});

describe('keySlot of ASCII strings (hashed without a Buffer)', () => {
  it('equals the slot of the same bytes as a Buffer, hash tags included', () => {
    const alphabet = 'ab{}:xyz0123';
    for (let n = 0; n < 2_000; n++) {
      let key = '';
      const length = n % 12;
      for (let i = 0; i < length; i++) key += alphabet[(n * 7 + i * 13 + (n >> 3)) % alphabet.length];
      expect(keySlot(key), key).toBe(keySlot(Buffer.from(key)));
    }
  });
});
