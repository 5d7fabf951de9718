// Child process of `npm run bench`: peak RSS of one client under 1,000 concurrent GETs, alone in a
// fresh process (every client library loaded alike). Prints the peak and the RSS just before the
// load, in MiB. A full GC runs first (with --expose-gc), so that the garbage of loading and
// compiling, which is the same for every client, weighs alike on every peak.
import { ioredisClient, nodeRedisClient, redspecClient } from './clients.js';
import { keys } from './workloads.js';

const [name, url, port] = process.argv.slice(2) as [string, string, string];
const c =
  name === 'redspec'
    ? await redspecClient(url)
    : name === 'node-redis'
      ? await nodeRedisClient(url)
      : await ioredisClient(Number(port), name === 'ioredis auto-pipelining');
(globalThis as { gc?: () => void }).gc?.();
const before = process.memoryUsage.rss() / 1024 / 1024;
for (let b = 0; b < 100; b++) await Promise.all(keys.map((k) => c.get(k)));
await c.close();
process.stdout.write(`${process.resourceUsage().maxRSS / 1024} ${before}\n`);
