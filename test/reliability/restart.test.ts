// Scenario 4: the server is killed with SIGKILL and restarted on the same port while 50 callers
// loop on commands. The client must come back within the reconnect back-off cap, every back-off
// delay must be a finite number within [0, cap] (no NaN/Infinity handed to setTimeout), and neither
// connect attempts nor callers may spin while the server is gone.
import { afterAll, describe, expect, it } from 'vitest';
import { createClient } from '../../src/client/client.js';
import { ExponentialBackoff, Retry } from '../../src/retry/index.js';
import { startServer, type TestServer } from '../helpers/server.js';

/** The default policy's backoff, recording every delay it hands out. */
class RecordingBackoff extends ExponentialBackoff {
  readonly delays: number[] = [];
  override compute(failures: number): number {
    const delay = super.compute(failures);
    this.delays.push(delay);
    return delay;
  }
}

const servers: TestServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.stop();
});

/** The largest number of timestamps falling in any window of `ms`. */
function peakRate(times: number[], ms: number): number {
  let peak = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while ((times[i] as number) - (times[j] as number) > ms) j++;
    peak = Math.max(peak, i - j + 1);
  }
  return peak;
}

describe('scenario 4: kill -9 and restart under load', () => {
  it('reconnects within the back-off bound, with sane delays and no hot loop', async () => {
    const first = await startServer();
    servers.push(first);
    const port = first.port;
    const cap = 2_000;
    const backoff = new RecordingBackoff(cap, 50);
    const connectAttempts: number[] = [];
    const client = createClient({
      // A host name, so every connect attempt goes through (and is counted by) the lookup.
      host: 'localhost',
      port,
      lookup: async () => {
        connectAttempts.push(performance.now());
        return [{ address: '127.0.0.1', family: 4 }];
      },
      reconnect: new Retry(backoff, 5),
      commandTimeout: 1_000,
    });
    client.on('error', () => {});
    await client.connect();

    let running = true;
    const ops: { at: number; ok: boolean }[] = [];
    const errorKinds = new Map<string, number>();
    const caller = async (c: number) => {
      while (running) {
        try {
          await client.sendCommand(['INCR', `load:${c}`]);
          ops.push({ at: performance.now(), ok: true });
        } catch (error) {
          ops.push({ at: performance.now(), ok: false });
          const name = error instanceof Error ? error.name : typeof error;
          errorKinds.set(name, (errorKinds.get(name) ?? 0) + 1);
        }
      }
    };
    const callers = Array.from({ length: 50 }, (_, c) => caller(c));

    await new Promise((r) => setTimeout(r, 300));
    const exited = new Promise((r) => first.process.once('exit', r));
    first.process.kill('SIGKILL');
    await exited;
    const killedAt = performance.now();
    await new Promise((r) => setTimeout(r, 1_000));
    const second = await startServer({ port });
    servers.push(second);
    const upAt = performance.now();
    // Run on until well after recovery.
    await new Promise((r) => setTimeout(r, 2_500));
    running = false;
    await Promise.all(callers);
    client.disconnect();

    const firstOkAfter = ops.find((o) => o.ok && o.at > upAt)?.at ?? Infinity;
    const recovery = firstOkAfter - upAt;
    const outage = ops.filter((o) => o.at > killedAt && o.at < upAt);
    const attemptsDuringOutage = connectAttempts.filter((t) => t > killedAt && t < upAt);
    const bad = backoff.delays.filter((d) => !Number.isFinite(d) || d < 0 || d > cap);
    console.info(
      `[scenario 4] recovery ${recovery.toFixed(0)} ms after restart (cap ${cap}); ` +
        `${attemptsDuringOutage.length} connect attempts in the ${(upAt - killedAt).toFixed(0)} ms outage ` +
        `(peak ${peakRate(connectAttempts, 1_000)}/s overall), back-off delays [${backoff.delays.join(', ')}]; ` +
        `caller results during outage ${outage.length} (peak ${peakRate(
          outage.map((o) => o.at),
          1_000,
        )}/s); ` +
        `errors ${JSON.stringify(Object.fromEntries(errorKinds))}; ${ops.filter((o) => o.ok).length} ok in all`,
    );
    expect(bad).toEqual([]);
    expect(backoff.delays.length).toBeGreaterThan(0);
    expect(recovery).toBeLessThan(cap + 500);
    // Single-flight reconnect with back-off: a handful of attempts per second, not thousands.
    expect(peakRate(connectAttempts, 1_000)).toBeLessThanOrEqual(10);
    // Callers that retry at once on failure are held by the back-off too: no rejection storm.
    expect(
      peakRate(
        outage.map((o) => o.at),
        1_000,
      ),
    ).toBeLessThanOrEqual(50 * 10);
  });

  it('a server that stays down: failed connect cycles back off too, callers do not spin', async () => {
    const gone = await startServer();
    const port = gone.port;
    await gone.stop();
    const backoff = new RecordingBackoff(2_000, 50);
    const connectAttempts: number[] = [];
    const client = createClient({
      host: 'localhost',
      port,
      lookup: async () => {
        connectAttempts.push(performance.now());
        return [{ address: '127.0.0.1', family: 4 }];
      },
      // Short cycles (3 tries), so several cycles fail within the run.
      reconnect: new Retry(backoff, 2),
      offlineQueueTimeout: 60_000,
    });
    let running = true;
    const rejections: number[] = [];
    const caller = async () => {
      while (running) {
        await client.sendCommand(['PING']).catch(() => rejections.push(performance.now()));
      }
    };
    const started = performance.now();
    const callers = Array.from({ length: 50 }, () => caller());
    await new Promise((r) => setTimeout(r, 2_500));
    running = false;
    client.disconnect();
    await Promise.all(callers);
    const elapsed = performance.now() - started;
    const bad = backoff.delays.filter((d) => !Number.isFinite(d) || d < 0 || d > 2_000);
    console.info(
      `[scenario 4] server down ${elapsed.toFixed(0)} ms: ${connectAttempts.length} connect attempts ` +
        `(peak ${peakRate(connectAttempts, 1_000)}/s), ${rejections.length} caller rejections ` +
        `(peak ${peakRate(rejections, 1_000)}/s), delays [${backoff.delays.join(', ')}]`,
    );
    expect(bad).toEqual([]);
    expect(peakRate(connectAttempts, 1_000)).toBeLessThanOrEqual(10);
    // 50 callers, each rejected once per failed cycle: a few hundred per second at most.
    expect(peakRate(rejections, 1_000)).toBeLessThanOrEqual(50 * 5);
  });
});
