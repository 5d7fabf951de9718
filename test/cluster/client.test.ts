// The cluster client against real local clusters (3 primaries + 3 replicas) of both servers:
// routing by key specs and tips, cross-slot splitting and refusal, pipelines across nodes,
// MULTI in one slot, SCAN over every primary, replica reads, pub/sub, resharding and failover
// under load, and the errors of a bad start.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCluster, type RedisCluster } from '../../src/cluster/client.js';
import { keySlot } from '../../src/cluster/slot.js';
import { AuthenticationError, ClusterError, ConnectionError, CrossSlotError } from '../../src/errors.js';
import { freePort } from '../helpers/server.js';
import { startCluster, type TestCluster } from '../helpers/cluster.js';

const flavours = ['redis', 'valkey'] as const;

/** A cluster started for the enclosing describe block and stopped after it. */
function useCluster(options: Parameters<typeof startCluster>[0]): () => TestCluster {
  let cluster: TestCluster | undefined;
  beforeAll(async () => {
    cluster = await startCluster(options);
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
  });
  return () => {
    if (cluster === undefined) throw new Error('the cluster did not start');
    return cluster;
  };
}

function keyIn(slot: number, prefix = 'k'): string {
  for (let i = 0; ; i++) if (keySlot(`${prefix}${i}`) === slot) return `${prefix}${i}`;
}

describe.each(flavours)('cluster client on %s', (flavour) => {
  let cluster: TestCluster;
  let client: RedisCluster;

  beforeAll(async () => {
    cluster = await startCluster({ flavour });
    client = createCluster({
      rootNodes: [cluster.addresses[0] as string],
      defaults: { commandTimeout: 5_000 },
    });
    await client.connect();
  }, 60_000);
  afterAll(async () => {
    await client?.close();
    await cluster?.stop();
  });

  it('round-trips 10,000 keys across every slot range', async () => {
    const keys = Array.from({ length: 10_000 }, (_, i) => `rt:${i}`);
    await Promise.all(keys.map((k) => client.set(k, k)));
    const values = await Promise.all(keys.map((k) => client.get(k)));
    expect(values).toEqual(keys);
    const primaries = await cluster.primaries();
    const sizes = await Promise.all(primaries.map((p) => cluster.command(p, ['DBSIZE'])));
    expect(sizes.every((n) => (n as number) > 2_000)).toBe(true);
  });

  it('splits MGET, MSET, DEL and EXISTS across slots and keeps key order', async () => {
    const data = Array.from({ length: 50 }, (_, i) => ({ key: `ms:${i}`, value: `v${i}` }));
    expect(await client.mset(data)).toBe('OK');
    const keys = data.map((d) => d.key);
    expect(await client.mget(...keys, 'ms:none')).toEqual([...data.map((d) => d.value), null]);
    expect(await client.exists(...keys.slice(0, 10), 'ms:none')).toBe(10);
    expect(await client.del(...keys.slice(0, 20))).toBe(20);
    expect(await client.exists(...keys)).toBe(30);
  });

  it('runs a pipeline of 10,000 across nodes and returns the replies in call order', async () => {
    const pipeline = client.pipeline();
    for (let i = 0; i < 5_000; i++) pipeline.set(`pl:${i}`, `${i}`).get(`pl:${i}`);
    const replies = await pipeline.exec();
    expect(replies).toHaveLength(10_000);
    for (let i = 0; i < 5_000; i++) {
      expect(replies[2 * i]).toBe('OK');
      expect(replies[2 * i + 1]).toBe(`${i}`);
    }
  });

  it('runs MULTI in one slot, and refuses keys in two slots before sending anything', async () => {
    expect(await client.multi().set('{tx}a', '1').incr('{tx}b').get('{tx}a').exec()).toEqual(['OK', 1, '1']);
    const a = keyIn(1, 'cross');
    const b = keyIn(16000, 'cross');
    await expect(client.multi().set(a, '1').set(b, '2').exec()).rejects.toBeInstanceOf(CrossSlotError);
    expect(await client.get(a)).toBeNull();
    await expect(client.rename(a, b)).rejects.toThrow(/CROSSSLOT RENAME/);
    const result = await client.transaction(['{tx}a'], async (tx) => {
      const value = await tx.get('{tx}a');
      return tx.multi().set('{tx}a', `${value}!`).exec();
    });
    expect(result).toEqual(['OK']);
    await expect(client.transaction([a, b], () => undefined)).rejects.toBeInstanceOf(CrossSlotError);
  });

  it('sums DBSIZE over the primaries and runs FLUSHALL on all of them, by their tips', async () => {
    const primaries = await cluster.primaries();
    const sizes = await Promise.all(primaries.map((p) => cluster.command(p, ['DBSIZE'])));
    expect(await client.dbsize()).toBe((sizes as number[]).reduce((a, b) => a + b, 0));
    await client.set('flush:me', '1');
    expect(await client.flushall()).toBe('OK');
    expect(await client.dbsize()).toBe(0);
  });

  it('follows RESPONSE_POLICY:SPECIAL rules from spec/overrides: INFO per node, RANDOMKEY one key', async () => {
    const info = (await client.info({ sections: ['server'] } as never)) as unknown as Record<string, string>;
    const primaries = await cluster.primaries();
    expect(Object.keys(info).sort()).toEqual(primaries.map((p) => `${p.host}:${p.port}`).sort());
    expect(Object.values(info).every((text) => text.includes('tcp_port:'))).toBe(true);
    await client.set('random:only', '1');
    expect(await client.randomkey()).toBe('random:only');
    await client.del('random:only');
    expect(await client.randomkey()).toBeNull();
  });

  it('SCANs every primary; in a stable cluster each key comes once', async () => {
    const keys = Array.from({ length: 3_000 }, (_, i) => `scan:${i}`);
    await client.mset(keys.map((key) => ({ key, value: '1' })));
    const seen: string[] = [];
    for await (const key of client.scanIterator({ match: 'scan:*', count: 200, dedupe: false }))
      seen.push(key);
    expect(seen.length).toBe(keys.length);
    expect(new Set(seen).size).toBe(keys.length);
  });

  it('runs scripts on the slot of their keys (EVALSHA, then EVAL once after NOSCRIPT)', async () => {
    const script = client.script<string | null>("return redis.call('GET', KEYS[1])");
    await client.set('script:k', 'yes');
    expect(await script.run(['script:k'])).toBe('yes');
    expect(await script.run(['script:k'])).toBe('yes');
  });

  it('sends read-only commands to replicas with readFrom: replica; writes to primaries', async () => {
    const reader = createCluster({ rootNodes: cluster.addresses, readFrom: 'replica' });
    try {
      await reader.set('rr:key', 'v');
      // A replica may lag a moment behind its primary.
      await cluster
        .command((await cluster.primaries())[0] as never, ['WAIT', 1, 1000])
        .catch(() => undefined);
      for (let i = 0; i < 50; i++) await reader.get(`rr:${i}`);
      const replicas = await cluster.replicas();
      const stats = await Promise.all(replicas.map((r) => cluster.command(r, ['INFO', 'commandstats'])));
      const gets = stats.map((s) => Number(/cmdstat_get:calls=(\d+)/.exec(String(s))?.[1] ?? 0));
      expect(gets.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(50);
      const primaries = await cluster.primaries();
      const primaryStats = await Promise.all(
        primaries.map((p) => cluster.command(p, ['INFO', 'commandstats'])),
      );
      expect(primaryStats.some((s) => /cmdstat_set:calls=/.test(String(s)))).toBe(true);
    } finally {
      await reader.close();
    }
  });

  it('delivers pub/sub and sharded pub/sub', async () => {
    const got: string[] = [];
    await client.subscribe('news', (m) => got.push(`news:${m.message}`));
    await client.ssubscribe(['shard:a', 'shard:b'], (m) => got.push(`${m.channel}:${m.message}`));
    await client.publish('news', 'hello');
    await client.spublish('shard:a', '1');
    await client.spublish('shard:b', '2');
    const until = Date.now() + 3_000;
    while (got.length < 3 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(got.sort()).toEqual(['news:hello', 'shard:a:1', 'shard:b:2']);
    await client.unsubscribe('news');
    await client.sunsubscribe();
  });

  it('streams messages() of channels and shard channels; leaving the loop unsubscribes', async () => {
    const subscribers = async () => {
      let n = 0;
      for (const node of await cluster.primaries()) {
        const [, count] = (await cluster.command(node, ['PUBSUB', 'NUMSUB', 'stream:c'])) as [string, number];
        n += count;
      }
      return n;
    };
    const stream = client.messages({ channels: ['stream:c'], shardChannels: ['stream:s'] });
    await stream.ready;
    expect(await subscribers()).toBe(1);
    await client.publish('stream:c', 'one');
    await client.spublish('stream:s', 'two');
    const got: string[] = [];
    for await (const m of stream) {
      got.push(`${m.channel}=${m.message}`);
      if (got.length === 2) break;
    }
    expect(got.sort()).toEqual(['stream:c=one', 'stream:s=two']);
    const until = Date.now() + 2_000;
    while ((await subscribers()) > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(await subscribers()).toBe(0);
  });

  it('connects when one root node is dead', async () => {
    const dead = `127.0.0.1:${await freePort()}`;
    const other = createCluster({ rootNodes: [dead, cluster.addresses[1] as string] });
    try {
      await other.set('root:k', '1');
      expect(await other.get('root:k')).toBe('1');
    } finally {
      await other.close();
    }
  });

  it('reaches nodes through nodeAddressMap (announced address -> reachable address)', async () => {
    const seen = new Set<string>();
    const mapped = createCluster({
      rootNodes: [cluster.addresses[0] as string],
      nodeAddressMap: (address) => {
        seen.add(`${address.host}:${address.port}`);
        return { host: 'localhost', port: address.port };
      },
    });
    try {
      await mapped.set('map:k', '1');
      expect(await mapped.get('map:k')).toBe('1');
      expect(seen.size).toBeGreaterThanOrEqual(1);
      const clients = await mapped.nodes('primary');
      expect(clients.map((c) => (c.toJSON().options as { host: string }).host)).toEqual([
        'localhost',
        'localhost',
        'localhost',
      ]);
    } finally {
      await mapped.close();
    }
  });

  it('names the nodes and their failures when no root node answers', async () => {
    const port = await freePort();
    const none = createCluster({ rootNodes: [`127.0.0.1:${port}`] });
    try {
      const error = await none.get('x').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ClusterError);
      expect((error as Error).message).toContain(`127.0.0.1:${port}`);
    } finally {
      none.disconnect();
    }
  });
});

describe.each(flavours)('a cluster with a password on %s', (flavour) => {
  const started = useCluster({ flavour, password: 's3cret-pw' });
  let cluster: TestCluster;
  beforeAll(() => {
    cluster = started();
  });

  it('works with the password in defaults, and fails fast with AuthenticationError naming no secret', async () => {
    const good = createCluster({ rootNodes: cluster.addresses, defaults: { password: 's3cret-pw' } });
    await good.set('auth:k', '1');
    expect(await good.get('auth:k')).toBe('1');
    await good.close();
    const bad = createCluster({ rootNodes: cluster.addresses, defaults: { password: 'wrong-guess' } });
    const started = Date.now();
    const error = await bad.get('auth:k').catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(String((error as Error).message)).not.toContain('wrong-guess');
    bad.disconnect();
  });
});

describe.each(flavours)('cluster changes under load on %s', (flavour) => {
  const started = useCluster({ flavour });
  let cluster: TestCluster;
  beforeAll(() => {
    cluster = started();
  });

  it('resharding under 200 callers: no failed call, every acknowledged write present, ASK and MOVED seen', async () => {
    const client = createCluster({ rootNodes: cluster.addresses, defaults: { commandTimeout: 5_000 } });
    await client.connect();
    const primaries = await cluster.primaries();
    const source = primaries[0] as (typeof primaries)[number];
    const target = primaries[1] as (typeof primaries)[number];
    // Slots of the first primary, with keys in them so the migration takes a while.
    const slots = [100, 101, 102, 103];
    const seeded = slots.flatMap((slot) => Array.from({ length: 40 }, (_, i) => keyIn(slot, `seed${i}:`)));
    await client.mset(seeded.map((key) => ({ key, value: 'x' })));
    const loadKeys = slots.flatMap((slot) => Array.from({ length: 5 }, (_, i) => keyIn(slot, `load${i}:`)));
    const acked = new Map<string, string>();
    const increments = new Map<string, number>();
    let failures = 0;
    let running = true;
    const caller = async (n: number) => {
      for (let i = 0; running; i++) {
        const key = loadKeys[(n + i) % loadKeys.length] as string;
        try {
          if (i % 3 === 0) {
            const value = `${n}:${i}`;
            await client.set(`${key}:s${n}`, value);
            acked.set(`${key}:s${n}`, value);
          } else if (i % 3 === 1) {
            await client.get(key);
          } else {
            await client.incr(`${key}:c`);
            increments.set(`${key}:c`, (increments.get(`${key}:c`) ?? 0) + 1);
          }
        } catch {
          failures++;
        }
      }
    };
    const load = Array.from({ length: 200 }, (_, n) => caller(n));
    await cluster.migrateSlots(slots, target, { keysPerBatch: 5, pauseMs: 30 });
    await new Promise((r) => setTimeout(r, 300));
    running = false;
    await Promise.all(load);
    console.info(
      `[cluster ${flavour}] resharding: ${acked.size} acked SETs, stats ${JSON.stringify(client.stats)}, source ${source.port}`,
    );
    expect(failures).toBe(0);
    for (const [key, value] of acked) expect(await client.get(key)).toBe(value);
    for (const [key, count] of increments) expect(Number(await client.get(key))).toBe(count);
    expect(client.stats.ask).toBeGreaterThan(0);
    expect(client.stats.moved).toBeGreaterThan(0);
    await client.close();
  }, 60_000);

  it('failover under load: every call settles by its deadline, service comes back, INCR journal holds', async () => {
    const deadline = 2_000;
    const client = createCluster({ rootNodes: cluster.addresses, defaults: { commandTimeout: deadline } });
    client.on('error', () => {});
    await client.connect();
    const counter = keyIn(0, 'journal:');
    await client.set(counter, '0');
    // A shard channel in the same slot: its subscription must follow the slot to the new primary.
    const channel = keyIn(0, 'events:');
    const messages: string[] = [];
    const resubscribed: number[] = [];
    client.on('resubscribed', (info) => resubscribed.push(info.shardChannels));
    await client.ssubscribe(channel, (m) => messages.push(String(m.message)));
    await client.spublish(channel, 'before');
    let acked = 0;
    let unknown = 0;
    let late = 0;
    let lastFailureAt = 0;
    let running = true;
    const caller = async () => {
      while (running) {
        const started = Date.now();
        try {
          await client.incr(counter);
          acked++;
        } catch (error) {
          lastFailureAt = Date.now();
          if (error instanceof ConnectionError && error.mayHaveExecuted) unknown++;
        }
        if (Date.now() - started > deadline + 500) late++;
      }
    };
    const load = Array.from({ length: 1_000 }, caller);
    await new Promise((r) => setTimeout(r, 300));
    // A graceful failover first, then the new primary of slot 0 killed outright.
    await cluster.failover();
    const refreshesBefore = client.stats.refreshes;
    const owner = (await cluster.primaries())[0] as TestCluster['nodes'][number];
    const killedAt = Date.now();
    cluster.kill(owner);
    const promoted = await cluster.failover();
    const promotedAt = Date.now();
    await new Promise((r) => setTimeout(r, 1_500));
    running = false;
    await Promise.all(load);
    const value = Number(await client.get(counter));
    await client.spublish(channel, 'after');
    const until = Date.now() + 3_000;
    while (!messages.includes('after') && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    const refreshes = client.stats.refreshes - refreshesBefore;
    const backAfter = Math.max(0, lastFailureAt - promotedAt);
    console.info(
      `[cluster ${flavour}] failover: acked ${acked}, unknown ${unknown}, value ${value}, late ${late}, ` +
        `promoted ${promotedAt - killedAt} ms after kill -9 (${promoted.port}), last failure ${backAfter} ms after ` +
        `promotion, refreshes during the kill ${refreshes}`,
    );
    expect(late).toBe(0);
    expect(value).toBeGreaterThanOrEqual(acked);
    expect(value).toBeLessThanOrEqual(acked + unknown);
    expect(backAfter).toBeLessThan(3_000);
    expect(refreshes).toBeLessThan(40);
    expect(messages).toContain('before');
    expect(messages).toContain('after');
    expect(resubscribed.length).toBeGreaterThan(0);
    await client.close();
  }, 90_000);
});

describe.each(flavours)('pub/sub when its node is lost on %s', (flavour) => {
  const started = useCluster({ flavour });
  let cluster: TestCluster;
  beforeAll(() => {
    cluster = started();
  });

  it('moves SUBSCRIBE and PSUBSCRIBE to a new node when theirs dies, and reports it', async () => {
    const client = createCluster({ rootNodes: cluster.addresses, defaults: { commandTimeout: 2_000 } });
    client.on('error', () => {});
    const got: string[] = [];
    const moved: unknown[] = [];
    client.on('resubscribed', (info) => moved.push(info));
    await client.subscribe('bcast', (m) => got.push(`c:${m.message}`));
    await client.psubscribe('pat.*', (m) => got.push(`p:${m.message}`));
    // The home of channel subscriptions is the primary of slot 0.
    const home = (await cluster.primaries())[0] as TestCluster['nodes'][number];
    cluster.kill(home);
    await cluster.failover();
    const until = Date.now() + 5_000;
    while (moved.length === 0 && Date.now() < until) {
      await client.ping().catch(() => undefined);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(moved).toEqual([{ channels: 1, patterns: 1, shardChannels: 0 }]);
    await client.publish('bcast', 'after');
    await client.publish('pat.x', 'after');
    while (got.length < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(got.sort()).toEqual(['c:after', 'p:after']);
    await client.close();
  }, 30_000);
});
