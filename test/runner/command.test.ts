// The Command a client makes per call, and the argument list a generated method makes for it, must
// start in V8's young generation however many came before them, and the client's command path must
// stay optimised when no command is alive at a full GC. Made by object and array literals, both
// were allocated in the old generation once a burst of a few thousand in flight had outlived a
// young GC (V8's allocation-site pretenuring): under 1,000 concurrent GETs, the old generation then
// grew by about 9 MiB per 100 bursts, garbage that only a full GC frees.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { optimisedAcrossFullGc, runProbe, youngAcrossBursts } from '../helpers/probe.js';
import { startServer, type TestServer } from '../helpers/server.js';

describe('issued commands', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.stop());

  /**
   * Runs `lines` in a fresh Node with V8's natives and gc(), `client` connected to the server and
   * `gets(n)` starting n GETs at once.
   */
  function probeClient(lines: string[]): Promise<string> {
    const src = (file: string) => JSON.stringify(new URL(`../../src/${file}`, import.meta.url).href);
    return runProbe(
      [
        `const { createClient } = await import(${src('index.ts')});`,
        `const { RedisClient } = await import(${src('client/client.ts')});`,
        `const client = createClient('redis://127.0.0.1:${server.port}');`,
        'await client.connect();',
        "const gets = (n) => Array.from({ length: n }, () => client.get('probe:key'));",
        ...lines,
        'await client.close();',
      ],
      ['--allow-natives-syntax', '--expose-gc'],
    );
  }

  it('and their argument lists stay young after thousands of them outlived young GCs in flight', async () => {
    const stdout = await probeClient([
      // The newest Command the client handed its runner.
      'let last;',
      'const run = client.runner.run.bind(client.runner);',
      'client.runner.run = (command) => ((last = command), run(command));',
      ...youngAcrossBursts('gets(2000)', ['last', 'last.args']),
    ]);
    expect(stdout).toBe(`${'y'.repeat(30)} ${'y'.repeat(30)}`);
  }, 60_000);

  it("leave the client's command path optimised across full GCs with none alive", async () => {
    // Commands are class instances, whose shape V8 reaches only through live ones: without one kept
    // alive, a full GC once the last burst's commands were gone dropped it, and the optimised
    // executeCommand (with the runner and connection code inlined into it) with it.
    const stdout = await probeClient(
      optimisedAcrossFullGc(['RedisClient.prototype.executeCommand'], 'Promise.all(gets(500))'),
    );
    expect(stdout).toBe('y y');
  }, 60_000);
});
