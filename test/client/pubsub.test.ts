// Pub/sub against real servers (RESP2 and RESP3): listeners for channels, patterns and shard
// channels, async iterators that unsubscribe when the loop ends, Buffer messages, every
// subscription restored after CLIENT KILL TYPE pubsub with a 'resubscribed' event, and
// subscriber-mode commands refused on the shared connection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type RedisClient } from '../../src/client/client.js';
import type { PubSubMessage } from '../../src/pubsub/message.js';
import { startServer, type TestServer } from '../helpers/server.js';

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 3_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.each([
  ['redis', 2],
  ['redis', 3],
  ['valkey', 2],
  ['valkey', 3],
] as const)('pub/sub on %s RESP%i', (flavour, protocol) => {
  let server: TestServer;
  let client: RedisClient;
  let publisher: RedisClient;

  beforeAll(async () => {
    server = await startServer({ flavour });
    client = createClient({ url: server.url, protocol });
    publisher = createClient({ url: server.url, protocol });
    client.on('error', () => undefined);
  });
  afterAll(async () => {
    await client?.close();
    await publisher?.close();
    await server?.stop();
  });

  it('delivers channel, pattern and shard messages to their listeners', async () => {
    const got: PubSubMessage[] = [];
    const listener = (message: PubSubMessage) => got.push(message);
    await client.subscribe(['ps:a', 'ps:b'], listener);
    await client.psubscribe('pp:*', listener);
    await client.ssubscribe('psh', listener);
    expect(await publisher.publish('ps:a', 'one')).toBe(1);
    await publisher.publish('pp:x', 'two');
    await publisher.sendCommand(['SPUBLISH', 'psh', 'three']);
    await until(() => got.length === 3, 'three messages');
    expect(got).toEqual([
      { kind: 'message', channel: 'ps:a', pattern: undefined, message: 'one' },
      { kind: 'pmessage', channel: 'pp:x', pattern: 'pp:*', message: 'two' },
      { kind: 'smessage', channel: 'psh', pattern: undefined, message: 'three' },
    ]);
    await client.unsubscribe(['ps:a', 'ps:b'], listener);
    await client.punsubscribe();
    await client.sunsubscribe('psh');
    expect(await publisher.publish('ps:a', 'gone')).toBe(0);
    expect(await publisher.sendCommand(['PUBSUB', 'NUMPAT'])).toBe(0);
  });

  it('keeps a channel subscribed while another listener still wants it', async () => {
    const first: string[] = [];
    const second: string[] = [];
    const l1 = (m: PubSubMessage) => first.push(m.message);
    const l2 = (m: PubSubMessage) => second.push(m.message);
    await client.subscribe('ps:shared', l1);
    await client.subscribe('ps:shared', l2);
    await client.unsubscribe('ps:shared', l1);
    await publisher.publish('ps:shared', 'x');
    await until(() => second.length === 1, 'the remaining listener');
    expect(first).toEqual([]);
    await client.unsubscribe('ps:shared');
    expect(await publisher.publish('ps:shared', 'y')).toBe(0);
  });

  it('iterates messages and unsubscribes when the loop ends; Buffers on request', async () => {
    const stream = client.messages({ channels: ['ps:it'], patterns: ['ps:itp*'] }, { buffers: true });
    await stream.ready;
    await publisher.publish('ps:it', Buffer.from([0xff, 0x00, 0x01]));
    await publisher.publish('ps:itp1', 'second');
    const seen: Buffer[] = [];
    for await (const message of stream) {
      expect(Buffer.isBuffer(message.channel)).toBe(true);
      seen.push(message.message);
      if (seen.length === 2) break;
    }
    expect(seen).toEqual([Buffer.from([0xff, 0x00, 0x01]), Buffer.from('second')]);
    expect(await publisher.publish('ps:it', 'after')).toBe(0);
  });

  it('bounds an unread stream: past its high-water mark it fails with QueueFullError', async () => {
    const stream = client.messages('ps:flood', { highWaterMark: 5 });
    await stream.ready;
    for (let i = 0; i < 10; i++) await publisher.publish('ps:flood', String(i));
    await until(() => stream.buffered === 0, 'the overflow');
    const read: string[] = [];
    await expect(
      (async () => {
        for await (const message of stream) read.push(message.message);
      })(),
    ).rejects.toThrow(/unread messages/);
    expect(await publisher.publish('ps:flood', 'x')).toBe(0);
  });

  it('restores every subscription after CLIENT KILL TYPE pubsub and says so', async () => {
    const got: string[] = [];
    const listener = (m: PubSubMessage) => got.push(`${m.kind}:${m.message}`);
    await client.subscribe(['ps:k1', 'ps:k2'], listener);
    await client.psubscribe('ps:kp*', listener);
    await client.ssubscribe('ps:ks', listener);
    const restored = new Promise((resolve) => client.once('resubscribed', resolve));
    await publisher.sendCommand(['CLIENT', 'KILL', 'TYPE', 'pubsub']);
    expect(await restored).toEqual({ channels: 2, patterns: 1, shardChannels: 1 });
    await publisher.publish('ps:k2', 'a');
    await publisher.publish('ps:kp9', 'b');
    await publisher.sendCommand(['SPUBLISH', 'ps:ks', 'c']);
    await until(() => got.length === 3, 'messages after the restore');
    expect(got).toEqual(['message:a', 'pmessage:b', 'smessage:c']);
    await client.unsubscribe();
    await client.punsubscribe();
    await client.sunsubscribe();
  });

  it('refuses subscriber-mode commands on the shared connection', async () => {
    await expect(client.sendCommand(['SUBSCRIBE', 'ps:raw'])).rejects.toThrow(/SUBSCRIBE cannot run/);
    expect(await client.get('ps:still-works')).toBeNull();
  });
});
