// Deadlines against a server frozen with SIGSTOP (the kernel still accepts connections, nothing
// answers): every kind of call (command, pipeline, MULTI, WATCH scope, scan step, script, blocking
// command) rejects with TimeoutError within its own deadline, not before it and not at
// connectTimeout or offlineQueueTimeout (both set far above the deadlines). Each call has its own
// client, and a group's calls run concurrently inside one frozen period.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type RedisClient } from '../../src/client/client.js';
import { Connection } from '../../src/connection/connection.js';
import { TimeoutError } from '../../src/errors.js';
import { startServer, type TestServer } from '../helpers/server.js';

const COMMAND_TIMEOUT = 300;
const CONNECT_TIMEOUT = 5_000;
/** A call may settle this much after its deadline, and this much before it. */
const LATE = 250;
const EARLY = 50;
/** How long a call is watched: past connectTimeout and offlineQueueTimeout, so their figures show. */
const WATCH = 6_000;

interface Case {
  readonly name: string;
  /** Ms from the call until it must have settled: commandTimeout, plus the block time if any. */
  readonly deadline: number;
  /** A batch whose exec() may resolve with every slot holding the TimeoutError instead. */
  readonly slots?: number;
  run(client: RedisClient): Promise<unknown>;
}

interface Outcome {
  readonly ms: number;
  readonly settled: boolean;
  readonly value?: unknown;
  readonly error?: unknown;
}

/** Hosts that use the shared multiplexed connection. */
const sharedCases: Case[] = [
  { name: 'GET', deadline: COMMAND_TIMEOUT, run: (c) => c.get('k') },
  {
    name: 'pipeline GET GET',
    deadline: COMMAND_TIMEOUT,
    slots: 2,
    run: (c) => c.pipeline().get('a').get('b').exec(),
  },
  {
    name: 'MULTI SET GET EXEC',
    deadline: COMMAND_TIMEOUT,
    run: (c) => c.multi().set('a', '1').get('a').exec(),
  },
  { name: 'SCAN step', deadline: COMMAND_TIMEOUT, run: (c) => c.scanIterator().next() },
  { name: 'script (EVALSHA)', deadline: COMMAND_TIMEOUT, run: (c) => c.script('return 1').run() },
  // XREAD blocks only with BLOCK (the spec makes its timeout optional): without it, an ordinary read.
  {
    name: 'XREAD without BLOCK',
    deadline: COMMAND_TIMEOUT,
    run: (c) => c.xread({ key: ['s'], id: ['0-0'] }),
  },
];

/** Hosts that lease a dedicated connection from the pool. */
const dedicatedCases: Case[] = [
  {
    name: 'transaction: WATCH, read on the scope',
    deadline: COMMAND_TIMEOUT,
    run: (c) => c.transaction(['k'], async (tx) => tx.get('k')),
  },
  {
    name: 'transaction without keys: read on the scope',
    deadline: COMMAND_TIMEOUT,
    run: (c) => c.transaction([], async (tx) => tx.get('k')),
  },
  { name: 'BLPOP 1 s', deadline: 1_000 + COMMAND_TIMEOUT, run: (c) => c.blpop(['l'], 1) },
  {
    name: 'XREAD BLOCK 500',
    deadline: 500 + COMMAND_TIMEOUT,
    run: (c) => c.xread({ key: ['s'], id: ['$'] }, { block: 500 }),
  },
];

function newClient(port: number): RedisClient {
  const client = createClient({ port, commandTimeout: COMMAND_TIMEOUT, connectTimeout: CONNECT_TIMEOUT });
  client.on('error', () => {});
  return client;
}

/** Ms from the call until it settles, and how; `settled: false` when still pending after WATCH ms. */
async function timed(call: () => Promise<unknown>): Promise<Outcome> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const pending = new Promise<'pending'>((resolve) => (timer = setTimeout(() => resolve('pending'), WATCH)));
  const settled = call().then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  const result = await Promise.race([settled, pending]);
  clearTimeout(timer);
  const ms = performance.now() - started;
  return result === 'pending' ? { ms, settled: false } : { ms, settled: true, ...result };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** SIGSTOP, then wait until the kernel reports the process stopped (state T in /proc/<pid>/stat). */
async function freeze(server: TestServer): Promise<void> {
  server.process.kill('SIGSTOP');
  for (let i = 0; i < 100; i++) {
    const stat = readFileSync(`/proc/${server.process.pid}/stat`, 'utf8');
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('T')) return;
    await sleep(10);
  }
  throw new Error('the server did not stop');
}

function errorName(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const flag = (error as { mayHaveExecuted?: unknown }).mayHaveExecuted;
  return typeof flag === 'boolean' ? `${error.name}(mayHaveExecuted ${flag})` : error.name;
}

function summary(outcome: Outcome): string {
  const ms = outcome.ms.toFixed(0);
  if (!outcome.settled) return `still pending after ${ms} ms`;
  if (outcome.error !== undefined) return `rejected ${errorName(outcome.error)} after ${ms} ms`;
  const value = Array.isArray(outcome.value)
    ? `[${outcome.value.map((slot) => (slot instanceof Error ? errorName(slot) : JSON.stringify(slot))).join(', ')}]`
    : JSON.stringify(outcome.value);
  return `resolved ${value} after ${ms} ms`;
}

/**
 * The call settled within [deadline - EARLY, deadline + LATE] with TimeoutError (a batch: exec()
 * rejected with it, or every slot holds it), flagged `mayHaveExecuted` as given.
 */
function expectTimedOut(state: string, c: Case, outcome: Outcome, mayHaveExecuted: boolean): void {
  console.info(`[deadlines] ${state}: ${c.name}: ${summary(outcome)} (deadline ${c.deadline} ms)`);
  expect.soft(outcome.settled, `${c.name} settles within ${WATCH} ms`).toBe(true);
  expect.soft(outcome.ms, `${c.name} settles by its deadline`).toBeLessThanOrEqual(c.deadline + LATE);
  expect
    .soft(outcome.ms, `${c.name} does not settle before its deadline`)
    .toBeGreaterThanOrEqual(c.deadline - EARLY);
  if (!outcome.settled) return;
  let errors: unknown[];
  if (outcome.error !== undefined) errors = [outcome.error];
  else if (c.slots !== undefined && Array.isArray(outcome.value)) {
    expect.soft(outcome.value, `${c.name}: one result per slot`).toHaveLength(c.slots);
    errors = outcome.value;
  } else errors = [outcome.value];
  for (const error of errors) {
    expect.soft(error, `${c.name} fails with TimeoutError`).toBeInstanceOf(TimeoutError);
    if (error instanceof TimeoutError)
      expect.soft(error.mayHaveExecuted, `${c.name}: mayHaveExecuted`).toBe(mayHaveExecuted);
  }
}

/**
 * One frozen period: a server of its own, one prepared client per case, then SIGSTOP (after
 * `beforeFreeze`), every call at once, SIGCONT when all have settled or been watched long enough.
 */
function frozenGroup(
  state: string,
  cases: readonly Case[],
  prepare: (client: RedisClient) => Promise<void>,
  mayHaveExecuted: boolean,
  beforeFreeze?: (server: TestServer, clients: readonly RedisClient[]) => Promise<void>,
): void {
  let server: TestServer;
  let clients: RedisClient[] = [];
  const outcomes = new Map<Case, Outcome>();

  beforeAll(async () => {
    server = await startServer();
    clients = cases.map(() => newClient(server.port));
    await Promise.all(clients.map(prepare));
    await beforeFreeze?.(server, clients);
    await freeze(server);
    try {
      const results = await Promise.all(cases.map((c, i) => timed(() => c.run(clients[i] as RedisClient))));
      cases.forEach((c, i) => outcomes.set(c, results[i] as Outcome));
    } finally {
      server.process.kill('SIGCONT');
    }
  });
  afterAll(async () => {
    server?.process.kill('SIGCONT');
    for (const client of clients) client.disconnect();
    await server?.stop();
  });

  for (const c of cases) {
    it(c.name, () => {
      const outcome = outcomes.get(c);
      if (outcome === undefined) throw new Error('the call did not run');
      expectTimedOut(state, c, outcome, mayHaveExecuted);
    });
  }
}

/** Connected, and its pool holds one idle dedicated connection (made and released by a transaction). */
async function connectedWithIdleLease(client: RedisClient): Promise<void> {
  await client.connect();
  await client.transaction([], () => undefined);
  const stats = client.node.pool.stats();
  if (stats.idle !== 1 || stats.created !== 1) throw new Error(`pool not warm: ${JSON.stringify(stats)}`);
}

/** Connected (the shared connection is open), and no dedicated connection made yet. */
async function connectedPoolEmpty(client: RedisClient): Promise<void> {
  await client.connect();
  const stats = client.node.pool.stats();
  if (stats.created !== 0) throw new Error(`pool not empty: ${JSON.stringify(stats)}`);
}

/** Drops every client's shared connection (CLIENT KILL from another connection) and waits until each saw it. */
async function dropSharedConnections(server: TestServer, clients: readonly RedisClient[]): Promise<void> {
  const admin = await Connection.connect({ port: server.port });
  try {
    await admin.send('CLIENT KILL', ['CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes']);
  } finally {
    admin.destroy();
  }
  const until = Date.now() + 2_000;
  while (clients.some((client) => client.isOpen)) {
    if (Date.now() > until) throw new Error('a client did not see its connection close');
    await sleep(10);
  }
}

// The calls themselves are sound: against a running server each one resolves, within its deadline.
describe('control: the same calls on a running server', () => {
  let server: TestServer;
  const cases = [...sharedCases, ...dedicatedCases];
  let clients: RedisClient[] = [];

  beforeAll(async () => {
    server = await startServer();
    clients = cases.map(() => newClient(server.port));
  });
  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await server?.stop();
  });

  it('every call resolves (no error, no failed slot) within its deadline', async () => {
    const results = await Promise.all(cases.map((c, i) => timed(() => c.run(clients[i] as RedisClient))));
    console.info(
      `[deadlines] control: ${cases.map((c, i) => `${c.name} ${summary(results[i] as Outcome)}`).join('; ')}`,
    );
    cases.forEach((c, i) => {
      const outcome = results[i] as Outcome;
      expect.soft(outcome.settled && outcome.error === undefined, `${c.name} resolves`).toBe(true);
      const slots: unknown[] = Array.isArray(outcome.value) ? outcome.value : [];
      expect
        .soft(
          slots.filter((slot) => slot instanceof Error),
          `${c.name}: failed slots`,
        )
        .toEqual([]);
      expect.soft(outcome.ms, `${c.name} within its deadline`).toBeLessThanOrEqual(c.deadline + LATE);
    });
  });
});

describe('deadlines on a frozen server', () => {
  // Written on an open connection that never answers: the outcome is unknown (for a WATCH
  // scope, that of the WATCH or the read that timed out).
  describe('(a) connected, then the server froze; the pool holds an idle connection', () => {
    frozenGroup('(a) connected', [...sharedCases, ...dedicatedCases], connectedWithIdleLease, true);
  });

  // A blocking command or a transaction must make a new connection: the TCP connect succeeds,
  // the handshake never ends. Nothing is written, so nothing may have executed.
  describe('(b) connected, no dedicated connection yet: the lease has to connect to the frozen server', () => {
    frozenGroup('(b) pool empty', dedicatedCases, connectedPoolEmpty, false);
  });

  // The shared connection was dropped before the freeze: the call waits for a reconnect whose
  // handshake never ends. Bounded by the call's deadline, not by offlineQueueTimeout (5 s).
  describe('(c) the shared connection was dropped, then the server froze: the call waits for a reconnect', () => {
    frozenGroup('(c) offline', sharedCases, connectedPoolEmpty, false, dropSharedConnections);
  });
});
