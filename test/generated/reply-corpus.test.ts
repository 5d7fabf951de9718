// Every call of the reply corpus (reply-corpus.ts) on redis-server 7.0.15 and valkey-server 8.0.1,
// through a RESP2 and a RESP3 client, after the same seed:
//  1. the RESP2 value deep-equals the RESP3 value (both normalised by the call's ReplyShape);
//  2. the value validates against the reply schema the generator typed the call with: the
//     variant's when the options choose one, else the override's, else the merged spec's. The
//     reply schemas describe RESP3 replies as JSON, where a map is an object and a set an array;
//     the normalised value is exactly that (plain objects, arrays), so it is validated as it is.
//     Where an override departs from the spec (the float rule: INCRBYFLOAT's string is a number)
//     its reason says why, and the value is checked against the override;
//  3. the value is assignable to the call's declared type: the values are written out as literals
//     into a scratch file, `const v: Awaited<ReturnType<(typeof CORPUS)[i]['run']>> = <value>`,
//     which tsc checks (excess properties included). reply-corpus.test-d.ts pins some of the types.
import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { Ajv2019, type ValidateFunction } from 'ajv/dist/2019.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSpecDir } from '../../codegen/load.js';
import { mergedFiles } from '../../codegen/merge.js';
import type { Override } from '../../codegen/spec-types.js';
import { fullName } from '../../codegen/validate.js';
import { createClient, type RedisClient } from '../../src/client/client.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { CORPUS, type CorpusCall } from './reply-corpus.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const WORK = path.join(ROOT, '.tmp', 'reply-corpus');

/** The reply schema of a corpus call: its variant's, else the override's, else the spec's. */
async function schemaLookup(): Promise<(c: CorpusCall) => unknown> {
  const spec = await loadSpecDir(path.join(ROOT, 'spec'));
  const specSchemas = new Map<string, unknown>();
  for (const f of mergedFiles(spec)) specSchemas.set(fullName(f.name, f.command), f.command.reply_schema);
  const overrides = new Map<string, Override[]>();
  for (const o of spec.overrides.flatMap((file) => file.data.overrides)) {
    overrides.set(o.command, [...(overrides.get(o.command) ?? []), o]);
  }
  return (c) => {
    const own = overrides.get(c.command) ?? [];
    if (c.variant !== undefined) {
      const variants = own.flatMap((o) => o.replyVariants ?? []);
      const v = variants.find((x) => (x.name ?? x.when) === c.variant);
      if (v === undefined) throw new Error(`${c.command} has no reply variant ${c.variant}`);
      return v.reply_schema;
    }
    const override = own.find((o) => o.reply_schema !== undefined);
    return override?.reply_schema ?? specSchemas.get(c.command);
  };
}

/** TypeScript literal text of a normalised value (numbers as written, Infinity and NaN too). */
function literal(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${literal(v)}`);
    return `{ ${entries.join(', ')} }`;
  }
  throw new Error(`no literal for ${typeof value}: ${String(value)}`);
}

/** A corpus value with what JSON lacks (Infinity, NaN) kept apart, for ajv. */
function jsonValue(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v)));
}

const CALLS = CORPUS.map((c, i) => [`${i} ${c.command}${c.variant ? ` (${c.variant})` : ''}`, i] as const);

describe.each(['redis', 'valkey'] as const)('reply corpus on %s', (flavour) => {
  let server: TestServer;
  let resp2: RedisClient;
  let resp3: RedisClient;
  let schemaOf: (c: CorpusCall) => unknown;
  const ajv = new Ajv2019({ strict: false, allErrors: true, validateFormats: false });
  const validators = new Map<unknown, ValidateFunction>();
  const values = new Map<number, unknown>();

  beforeAll(async () => {
    schemaOf = await schemaLookup();
    server = await startServer({ flavour });
    resp2 = createClient({ url: server.url, protocol: 2 });
    resp3 = createClient({ url: server.url, protocol: 3 });
  });
  afterAll(async () => {
    await resp2?.close();
    await resp3?.close();
    await server?.stop();
  });

  async function once(client: RedisClient, c: CorpusCall): Promise<unknown> {
    for (const command of [['FLUSHALL'], ['FUNCTION', 'FLUSH'], ['SCRIPT', 'FLUSH'], ...(c.seed ?? [])]) {
      await client.sendCommand([...command]);
    }
    return c.run(client);
  }

  it.each(CALLS)('%s', async (_, i) => {
    const c = CORPUS[i] as CorpusCall;
    if (c.only !== undefined && c.only !== flavour) return;
    const v2 = await once(resp2, c);
    const v3 = await once(resp3, c);
    const stable = c.stable ?? ((v: unknown) => v);
    expect(stable(v2), 'RESP2 value = RESP3 value').toEqual(stable(v3));
    const schema = schemaOf(c);
    expect(schema, `${c.command} has a reply schema`).toBeDefined();
    let validate = validators.get(schema);
    if (validate === undefined) {
      validate = ajv.compile(schema as object);
      validators.set(schema, validate);
    }
    for (const [protocol, value] of [
      [2, v2],
      [3, v3],
    ] as const) {
      const ok = validate(jsonValue(value));
      const detail = `RESP${protocol}: ${JSON.stringify(value).slice(0, 400)}\n${ajv.errorsText(validate.errors)}`;
      expect(ok ? '' : detail).toBe('');
    }
    values.set(i, [v2, v3]);
  });

  it('gives values assignable to the declared types', async () => {
    const dir = path.join(WORK, flavour);
    await mkdir(dir, { recursive: true });
    const lines = [
      "import type { CORPUS } from '../../../test/generated/reply-corpus.js';",
      "type Reply<I extends number> = Awaited<ReturnType<(typeof CORPUS)[I]['run']>>;",
    ];
    for (const [i, pair] of values) {
      for (const [p, value] of (pair as unknown[]).entries()) {
        lines.push(`export const v${i}_resp${p + 2}: Reply<${i}> = ${literal(value)};`);
      }
    }
    expect(values.size).toBeGreaterThan(100);
    await writeFile(path.join(dir, 'values.ts'), `${lines.join('\n')}\n`);
    await writeFile(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({ extends: '../../../tsconfig.json', include: ['values.ts'], compilerOptions: { noEmit: true } }),
    );
    const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await run(process.execPath, [tsc, '-p', dir], { maxBuffer: 16 << 20 }).then(
      () => '',
      (err: { stdout?: string }) => err.stdout ?? String(err),
    );
    expect(result).toBe('');
    await rm(dir, { recursive: true, force: true });
  }, 180_000);
});
