// `npm run demo`: the quick start and a short tour of the client (commands, a pipeline, a
// transaction, a pub/sub round trip, a scan), printed as it goes. It talks to REDIS_URL when set;
// otherwise it starts a throwaway redis-server on a free loopback port and stops it afterwards.
import { createClient, type RedisClient } from '../src/index.js';
import { startServer, type TestServer } from '../test/helpers/server.js';

function step(title: string): void {
  process.stdout.write(`\n== ${title}\n`);
}

function show(what: string, value: unknown): void {
  process.stdout.write(
    `   ${what} -> ${JSON.stringify(value, (_k, v: unknown) => (v instanceof Map ? Object.fromEntries(v) : v))}\n`,
  );
}

async function tour(r: RedisClient): Promise<void> {
  step('commands: every one typed, arguments and replies');
  show("set('demo:greeting', 'hello')", await r.set('demo:greeting', 'hello'));
  show("get('demo:greeting')", await r.get('demo:greeting'));
  show("incr('demo:visits')", await r.incr('demo:visits'));
  show(
    "hset('demo:user', [{ field, value }])",
    await r.hset('demo:user', [
      { field: 'name', value: 'Ada' },
      { field: 'lang', value: 'en' },
    ]),
  );
  show("hgetall('demo:user')", await r.hgetall('demo:user'));
  show("set('demo:temp', 'x', { EX: 60 })", await r.set('demo:temp', 'x', { EX: 60 }));
  show("ttl('demo:temp')", await r.ttl('demo:temp'));

  step('a pipeline: one write, one reply per command, in order');
  const replies = await r.pipeline().set('demo:a', '1').incr('demo:a').get('demo:a').exec();
  show('pipeline().set().incr().get().exec()', replies);

  step('a transaction: WATCH, read, then MULTI ... EXEC (re-run once if the key changed)');
  const result = await r.transaction(
    ['demo:balance'],
    async (tx) => {
      const balance = Number((await tx.get('demo:balance')) ?? '100');
      return tx
        .multi()
        .set('demo:balance', String(balance - 30))
        .get('demo:balance')
        .exec();
    },
    { retries: 1 },
  );
  show("transaction(['demo:balance'], ...)", result);

  step('pub/sub: a round trip on its own connection');
  let deliver: (message: string) => void = () => undefined;
  const received = new Promise<string>((resolve) => (deliver = resolve));
  // subscribe() resolves once the server confirmed the subscription.
  await r.subscribe('demo:news', (m) => deliver(m.message));
  show("publish('demo:news', 'fresh')", await r.publish('demo:news', 'fresh'));
  show('the subscriber got', await received);
  await r.unsubscribe('demo:news');

  step('scan: every matching key once, the cursor followed for you');
  const keys: string[] = [];
  for await (const key of r.scanIterator({ match: 'demo:*', count: 100 })) keys.push(key);
  show("scanIterator({ match: 'demo:*' })", keys.sort());

  step('clean up');
  show('del(...keys)', await r.del(...keys));
}

async function main(): Promise<void> {
  let server: TestServer | undefined;
  let url = process.env.REDIS_URL;
  if (url === undefined) {
    process.stdout.write('REDIS_URL is not set: starting a throwaway redis-server on a free port\n');
    try {
      server = await startServer();
    } catch (error) {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
      return;
    }
    url = server.url;
  }
  process.stdout.write(`connecting to ${url.replace(/\/\/[^@/]*@/, '//[credentials]@')}\n`);
  const r = createClient(url);
  try {
    await r.connect();
    await tour(r);
    process.stdout.write('\ndone.\n');
  } finally {
    await r.close();
    await server?.stop();
  }
}

await main();
