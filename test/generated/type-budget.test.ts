// The type-check budget of the generated command layer: a consumer file calling 50 commands of
// varied shape is checked with `tsc --extendedDiagnostics`, and instantiations and check time must
// stay under figures recorded here with ~2x headroom (a deep generic client type blows these up by
// orders of magnitude). The cost of the calls alone is the difference to an empty consumer.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);

/**
 * Measured with TypeScript 5.9 on the valkey 8.1.1 spec (389 methods), 2 cores: the program with the
 * 50 calls needs 2,001 instantiations, 403 of them for the calls (deterministic); check time 1.25 s
 * on a quiet machine, up to 3.5 s while other test files ran. Budgets are ~2x those figures.
 */
const BUDGET = {
  instantiations: 4_000,
  callInstantiations: 800,
  checkSeconds: 7.0,
};

const CALLS = `
r.get('k'); r.set('k', 'v'); r.set('k', 'v', { NX: true, EX: 10 });
r.set('k', 'v', { get: true }); r.mget('a', 'b'); r.mset([{ key: 'a', value: '1' }]); r.incr('n');
r.incrby('n', 2); r.incrbyfloat('n', '1.5'); r.append('k', 'x'); r.getex('k', { PERSIST: true });
r.del('a', 'b'); r.exists('a'); r.expire('k', 10, { NX: true }); r.ttl('k'); r.type('k');
r.scan(0, { match: 'u:*', count: 10 }); r.rename('a', 'b'); r.hset('h', [{ field: 'f', value: 'v' }]);
r.hget('h', 'f'); r.hgetall('h'); r.hdel('h', 'f'); r.hincrby('h', 'f', 1);
r.hrandfield('h', { count: 2, withvalues: true }); r.lpush('l', 'a'); r.rpush('l', 'b');
r.lpop('l', { count: 2 }); r.lrange('l', 0, -1); r.lpos('l', 'a', { count: 0 }); r.blpop(['l'], 1);
r.sadd('s', 'a'); r.smembers('s'); r.sismember('s', 'a'); r.spop('s'); r.sinter('s', 't');
r.zadd('z', [{ score: 1, member: 'a' }], { incr: true }); r.zrange('z', '0', '-1', { withscores: true });
r.zscore('z', 'a'); r.zrank('z', 'a'); r.zincrby('z', 1, 'a'); r.zrandmember('z');
r.xadd('x', '*', [{ field: 'f', value: 'v' }]); r.xrange('x', '-', '+'); r.xlen('x');
r.xread({ key: ['x'], id: ['0'] }, { count: 1 }); r.ping(); r.time(); r.dbsize();
r.publish('c', 'm'); r.eval('return 1');
`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'redspec-budget-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Figures {
  instantiations: number;
  checkSeconds: number;
}

async function measure(name: string, body: string): Promise<Figures> {
  const index = path.resolve('generated/index.js');
  await writeFile(
    path.join(dir, `${name}.mts`),
    `import type { AllCommands } from ${JSON.stringify(index)};\ndeclare const r: AllCommands;\nexport {};\n${body}\n`,
  );
  const tsconfig = path.join(dir, `${name}.tsconfig.json`);
  await writeFile(
    tsconfig,
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        lib: ['ES2023'],
        types: ['node'],
        typeRoots: [path.resolve('node_modules/@types')],
        strict: true,
        noUncheckedIndexedAccess: true,
        skipLibCheck: true,
        noEmit: true,
      },
      files: [path.join(dir, `${name}.mts`)],
    }),
  );
  const tsc = path.resolve('node_modules/typescript/bin/tsc');
  const { stdout } = await run(process.execPath, [tsc, '-p', tsconfig, '--extendedDiagnostics'], { maxBuffer: 1 << 20 });
  const instantiations = Number(/^Instantiations:\s+(\d+)/m.exec(stdout)?.[1]);
  const checkSeconds = Number(/^Check time:\s+([\d.]+)s/m.exec(stdout)?.[1]);
  expect(Number.isFinite(instantiations) && Number.isFinite(checkSeconds), stdout).toBe(true);
  return { instantiations, checkSeconds };
}

describe('type-check budget', () => {
  it('checks 50 command calls within the recorded budget', { timeout: 120_000 }, async () => {
    const empty = await measure('empty', '');
    const calls = await measure('calls', CALLS);
    const callCount = CALLS.split(';').filter((s) => s.trim().length > 0).length;
    expect(callCount).toBe(50);
    // Printed so a change in cost shows up in the test log, not only when the budget breaks.
    console.log(`type budget: empty ${JSON.stringify(empty)}, 50 calls ${JSON.stringify(calls)}`);
    expect(calls.instantiations).toBeLessThan(BUDGET.instantiations);
    expect(calls.instantiations - empty.instantiations).toBeLessThan(BUDGET.callInstantiations);
    expect(calls.checkSeconds).toBeLessThan(BUDGET.checkSeconds);
  });
});
