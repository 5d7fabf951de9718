// `npm run demo` as a user runs it: it starts its own server, walks the tour and exits 0; and
// against a server given by REDIS_URL it uses that one.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './helpers/server.js';

const run = promisify(execFile);
const tsx = 'node_modules/.bin/tsx';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.stop();
});

describe('the demo', () => {
  it('starts a throwaway server when REDIS_URL is unset, and walks the whole tour', async () => {
    const env = { ...process.env };
    delete env.REDIS_URL;
    const { stdout } = await run(tsx, ['demo/tour.ts'], { env, timeout: 60_000 });
    expect(stdout).toContain('starting a throwaway redis-server');
    for (const step of ['commands', 'a pipeline', 'a transaction', 'pub/sub', 'scan', 'clean up']) {
      expect(stdout).toContain(`== ${step}`);
    }
    expect(stdout).toContain('get(\'demo:greeting\') -> "hello"');
    expect(stdout).toContain('the subscriber got -> "fresh"');
    expect(stdout.trimEnd().endsWith('done.')).toBe(true);
  }, 60_000);

  it('uses the server REDIS_URL names', async () => {
    const { stdout } = await run(tsx, ['demo/tour.ts'], {
      env: { ...process.env, REDIS_URL: server.url },
      timeout: 60_000,
    });
    expect(stdout).not.toContain('throwaway');
    expect(stdout).toContain(`connecting to ${server.url}`);
    expect(stdout).toContain('pipeline().set().incr().get().exec() -> ["OK",2,"2"]');
  }, 60_000);
});
