// One throwaway server and one client on it for a test file's describe block: started before its
// tests, closed and stopped after them. The getters fail loudly if read outside the block's tests.
import { afterAll, beforeAll } from 'vitest';
import { createClient, type ClientOptions, type RedisClient } from '../../src/index.js';
import type { Flavour } from './binaries.js';
import { startServer, type TestServer } from './server.js';

export interface ClientOnServer {
  readonly server: TestServer;
  readonly client: RedisClient;
}

export function useClientOnServer(
  flavour: Flavour,
  options: Omit<ClientOptions, 'url'> = {},
): ClientOnServer {
  let server: TestServer | undefined;
  let client: RedisClient | undefined;
  beforeAll(async () => {
    server = await startServer({ flavour });
    client = createClient({ ...options, url: server.url });
  });
  afterAll(async () => {
    await client?.close();
    await server?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the server starts in beforeAll: read it inside a test');
    return value;
  };
  return {
    get server() {
      return started(server);
    },
    get client() {
      return started(client);
    },
  };
}
