// A command's bookkeeping entry must start in V8's young generation however many entries came
// before it, and the send path must stay optimised when no entry is alive at a full GC. Entries
// made by an object literal share its allocation site; once a few thousand in flight had outlived
// young GCs, V8 allocated every later entry in the old generation, where each kept its promise and
// the reply it resolved alive until a full GC. Large replies then survived every young GC and ran
// several times slower (GET of 1 MiB: about 2,300 → 800 ops/s).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { optimisedAcrossFullGc, runProbe, youngAcrossBursts } from '../helpers/probe.js';
import { startServer, type TestServer } from '../helpers/server.js';

describe('command entries', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.stop());

  /**
   * Runs `lines` in a fresh Node with V8's natives and gc(), `conn` connected to the server and
   * `pings(n)` sending n PINGs on it.
   */
  function probeConnection(lines: string[]): Promise<string> {
    const connectionUrl = new URL('../../src/connection/connection.ts', import.meta.url).href;
    return runProbe(
      [
        `const { Connection } = await import(${JSON.stringify(connectionUrl)});`,
        `const conn = await Connection.connect({ host: '127.0.0.1', port: ${server.port} });`,
        // `n` PINGs sent at once: their promises, the commands still in flight.
        "const ping = () => conn.send('PING', ['PING']);",
        // Never optimised itself, so that send is never inlined into it: send then gets optimised
        // code of its own, which is what the optimisation probe looks at.
        '%NeverOptimizeFunction(ping);',
        'const pings = (n) => Array.from({ length: n }, ping);',
        ...lines,
        'await conn.close();',
      ],
      ['--allow-natives-syntax', '--expose-gc'],
    );
  }

  it('stay young after thousands of them outlived young GCs in flight', async () => {
    // The newest entry, still waiting to be written (the oldest may have lived through a young GC
    // of its own burst, and been promoted by a second one, without any pretenuring).
    const stdout = await probeConnection(
      youngAcrossBursts('pings(2000)', ["conn['queued']['items'].at(-1)"]),
    );
    expect(stdout).toBe('y'.repeat(30));
  }, 60_000);

  it('keep the send path optimised across full GCs with no command in flight', async () => {
    // Entries are class instances, whose shapes V8 reaches only through live instances: without
    // one kept alive, a full GC dropped them and the optimised send, flush and onData with them.
    const stdout = await probeConnection(
      optimisedAcrossFullGc(
        ['send', 'flush', 'onData'].map((name) => `Connection.prototype.${name}`),
        'Promise.all(pings(500))',
      ),
    );
    expect(stdout).toBe('yyy yyy');
  }, 60_000);
});
