// The wire plan, one rule at a time: how a caller writes each argument construct (plan-types.ts
// gives the type text) and what the printed body sends (print-wire.ts). Bodies are run here too:
// each printed body is compiled into a function over a recording host, so the tests assert the
// wire words, not the statement text.
import { describe, expect, it } from 'vitest';
import * as checks from '../../generated/args.js';
import { widenArguments, type ModelArgument } from '../../codegen/model/arguments.js';
import { nodeType, optionsDeclaration, paramsText } from '../../codegen/model/plan-types.js';
import { optionKeys, printWire } from '../../codegen/model/print-wire.js';
import { planArguments, plural } from '../../codegen/model/wire-plan.js';
import type { SpecArgument } from '../../codegen/spec-types.js';

import { int, key, str, tok } from '../helpers/spec-arguments.js';

/** The method's public parameters and its options type text. */
function form(command: string, args: readonly ModelArgument[]) {
  const plan = planArguments(command, args);
  return {
    plan,
    params: paramsText(plan, plan.steps.some((s) => s.kind === 'option') ? 'Opts' : undefined),
    options:
      optionsDeclaration(plan, 'Opts')
        ?.lines.join('\n')
        .replace(/\/\*\*[\s\S]*?\*\/\s*/g, '') ?? '',
  };
}

type Call = (...args: unknown[]) => { sent?: unknown[]; error?: TypeError };

/** Compiles the printed body into a function: it returns the wire words, or the rejection. */
function compile(command: string, args: readonly ModelArgument[]): Call {
  const plan = planArguments(command, args);
  const keys = optionKeys(plan);
  const body = printWire(plan, 'INFO', keys.length > 0 ? 'KNOWN' : undefined)
    .map((l) => l.replace(/^const args_: RedisArgument\[\]/, 'const args_'))
    .join('\n');
  const params = plan.steps.flatMap((s) => (s.kind === 'param' ? [s.rest ? `...${s.name}` : s.name] : []));
  if (plan.steps.some((s) => s.kind === 'option')) params.push('options');
  const make = new Function(
    'checks',
    'KNOWN',
    'INFO',
    `const { ${Object.keys(checks).join(', ')} } = checks;
     return function (${params.join(', ')}) {
       ${body}
       return { sent: args_ };
     };`,
  ) as (
    c: typeof checks,
    known: ReadonlySet<string>,
    info: unknown,
  ) => (this: unknown, ...a: unknown[]) => unknown;
  const fn = make(checks, new Set(keys), { name: command });
  const host = { rejectCommand: (_info: unknown, error: TypeError) => ({ error }) };
  return (...a) => fn.apply(host, a) as { sent?: unknown[]; error?: TypeError };
}

describe('call forms', () => {
  it('required arguments are positional in spec order, optional ones option keys; wire order is the spec', () => {
    const args = [key, int('count', { optional: true }), str('value')];
    expect(form('X', args).params).toBe('key: RedisKey, value: RedisValue, options?: Opts');
    expect(compile('X', args)('k', 'v', { count: 3 }).sent).toEqual(['X', 'k', 3, 'v']);
  });

  it('names an option by its word token, else by its name; arrays at the top level are plural', () => {
    const args = [
      { name: 'milliseconds', type: 'integer', token: 'BLOCK', optional: true },
      { name: 'pattern', type: 'pattern', token: 'MATCH', optional: true },
      tok('sorting', 'ALPHA', { optional: true }),
      { ...key, optional: true, multiple: true },
      str('arg', { optional: true, multiple: true }),
      { name: 'operator', type: 'oneof', optional: true, arguments: [tok('eq', '='), tok('approx', '~')] },
    ] satisfies SpecArgument[];
    expect(optionKeys(planArguments('X', args))).toEqual([
      'block',
      'match',
      'alpha',
      'keys',
      'arguments',
      'operator',
    ]);
    expect(compile('X', args)({ block: 5, alpha: true, keys: 'k', arguments: ['a', 1] }).sent).toEqual([
      'X',
      'BLOCK',
      5,
      'ALPHA',
      'k',
      'a',
      1,
    ]);
    expect(plural('capability')).toBe('capabilities');
    expect(plural('index')).toBe('indexes');
  });

  it('writes a choice of tokens as the token itself, exclusive by type and at run time', () => {
    const args = [
      key,
      {
        name: 'expiration',
        type: 'oneof',
        optional: true,
        arguments: [int('seconds', { token: 'EX' }), tok('keepttl', 'KEEPTTL')],
      },
    ] satisfies SpecArgument[];
    const { options } = form('SET', args);
    expect(options).toBe(
      'export type Opts = {\n} & ({ EX: number | bigint; KEEPTTL?: never } | { EX?: never; KEEPTTL: boolean } | { EX?: never; KEEPTTL?: never });',
    );
    const set = compile('SET', args);
    expect(set('k', { EX: 10 }).sent).toEqual(['SET', 'k', 'EX', 10]);
    expect(set('k', { KEEPTTL: true }).sent).toEqual(['SET', 'k', 'KEEPTTL']);
    expect(set('k', { KEEPTTL: false }).sent).toEqual(['SET', 'k']);
    expect(set('k', { EX: 1, KEEPTTL: true }).error?.message).toBe(
      'SET EX|KEEPTTL: expected at most one of EX, KEEPTTL; got an object',
    );
    expect(set('k', { ex: 1 }).error?.message).toBe("SET options: unknown key 'ex' (known: EX, KEEPTTL)");
  });

  it('keeps a tokened oneof a keyed value, and a oneof with a bare value as it was', () => {
    const args = [
      {
        name: 'aggregate',
        type: 'oneof',
        token: 'AGGREGATE',
        optional: true,
        arguments: [tok('sum', 'SUM'), tok('max', 'MAX')],
      },
      { name: 'id', type: 'oneof', arguments: [tok('auto', '*'), str('id')] },
    ] satisfies SpecArgument[];
    expect(form('Z', args).params).toBe("id: '*' | RedisValue, options?: Opts");
    const z = compile('Z', args);
    expect(z('5-1', { aggregate: 'max' }).sent).toEqual(['Z', 'AGGREGATE', 'MAX', '5-1']);
    expect(z('*').sent).toEqual(['Z', '*']);
    expect(z(Symbol('s')).error?.message).toBe(
      "Z id: expected one of '*', a string, Buffer or number; got a symbol",
    );
  });

  it('takes (name, value) pairs as an object, a Map or an array, and counts what it sends', () => {
    const data: SpecArgument = {
      name: 'data',
      type: 'block',
      multiple: true,
      arguments: [str('field'), str('value')],
    };
    expect(form('HSET', [key, data]).params).toBe(
      'key: RedisKey, data: Readonly<Record<string, RedisValue>> | ReadonlyMap<RedisValue, RedisValue> | readonly { field: RedisValue; value: RedisValue }[]',
    );
    const hset = compile('HSET', [key, data]);
    expect(hset('h', { a: '1', b: 2 }).sent).toEqual(['HSET', 'h', 'a', '1', 'b', 2]);
    expect(hset('h', new Map([['a', Buffer.from('x')]])).sent).toEqual(['HSET', 'h', 'a', Buffer.from('x')]);
    expect(hset('h', [{ field: 'f', value: 'v' }]).sent).toEqual(['HSET', 'h', 'f', 'v']);
    expect(hset('h', undefined).error?.message).toBe(
      'HSET data: expected an object, a Map or an array of { field, value }; got undefined',
    );
    // FIELDS numfields field value ...: the count is the number of pairs given.
    const fields: SpecArgument = {
      name: 'fields',
      type: 'block',
      token: 'FIELDS',
      arguments: [int('numfields'), data],
    };
    const hsetex = compile('HSETEX', [key, fields]);
    expect(hsetex('h', { a: '1', b: '2' }).sent).toEqual(['HSETEX', 'h', 'FIELDS', 2, 'a', '1', 'b', '2']);
    const hexpire = compile('HEXPIRE', [
      key,
      { ...fields, arguments: [int('numfields'), str('field', { multiple: true })] },
    ]);
    expect(hexpire('h', ['a', 'b']).sent).toEqual(['HEXPIRE', 'h', 'FIELDS', 2, 'a', 'b']);
    expect(hexpire('h', 'a').sent).toEqual(['HEXPIRE', 'h', 'FIELDS', 1, 'a']);
  });

  it('takes arrays for variadic values: a rest parameter of values or arrays, an array or one value elsewhere', () => {
    const rpush = compile('RPUSH', [key, str('element', { multiple: true })]);
    expect(form('RPUSH', [key, str('element', { multiple: true })]).params).toBe(
      'key: RedisKey, ...elements: (RedisValue | readonly RedisValue[])[]',
    );
    expect(rpush('l', 'a', ['b', 'c'], 4).sent).toEqual(['RPUSH', 'l', 'a', 'b', 'c', 4]);
    const blpop = compile('BLPOP', [
      { ...key, multiple: true },
      { name: 'timeout', type: 'double' },
    ]);
    expect(blpop('q', 0.5).sent).toEqual(['BLPOP', 'q', 0.5]);
    expect(blpop(['a', 'b'], Infinity).sent).toEqual(['BLPOP', 'a', 'b', '+inf']);
  });

  it('lends an optional untokened block its members, sent when any is given, required ones checked', () => {
    const args = [
      key,
      {
        name: 'options',
        type: 'block',
        optional: true,
        arguments: [int('count'), tok('withvalues', 'WITHVALUES', { optional: true })],
      },
    ] satisfies SpecArgument[];
    expect(form('HRANDFIELD', args).options).toBe(
      'export interface Opts {\ncount?: number | bigint;\nwithvalues?: boolean;\n}',
    );
    const h = compile('HRANDFIELD', args);
    expect(h('h').sent).toEqual(['HRANDFIELD', 'h']);
    expect(h('h', { count: 2, withvalues: true }).sent).toEqual(['HRANDFIELD', 'h', 2, 'WITHVALUES']);
    expect(h('h', { withvalues: true }).error?.message).toBe(
      'HRANDFIELD count: expected an integer; got undefined',
    );
    // A required token inside such a block is a flag the caller sets (XINFO STREAM FULL [COUNT n]).
    const full = compile('XINFO STREAM', [
      key,
      {
        name: 'full-block',
        type: 'block',
        optional: true,
        arguments: [tok('full', 'FULL'), int('count', { token: 'COUNT', optional: true })],
      },
    ]);
    expect(full('s', { full: true, count: 5 }).sent).toEqual(['XINFO', 'STREAM', 's', 'FULL', 'COUNT', 5]);
    expect(full('s', { count: 5 }).error?.message).toBe('XINFO STREAM full: expected true; got undefined');
  });

  it('widens an integer an override names to take a string too (a SCAN cursor), sent as given', () => {
    const specArgs: SpecArgument[] = [
      int('cursor'),
      { name: 'pattern', type: 'pattern', token: 'MATCH', optional: true },
    ];
    const widened = widenArguments('SCAN', specArgs, [{ argument: 'cursor', accepts: 'string' }]);
    expect(form('SCAN', widened).params).toBe('cursor: number | bigint | string, options?: Opts');
    expect(compile('SCAN', widened)('1844674407370955161', { match: 'a*' }).sent).toEqual([
      'SCAN',
      '1844674407370955161',
      'MATCH',
      'a*',
    ]);
    expect(compile('SCAN', specArgs)('12').error?.message).toBe(
      'SCAN cursor: expected an integer; got a string',
    );
  });

  it('types blocks, choices and repeats as the caller writes them', () => {
    const plan = planArguments('X', [
      {
        name: 'limit',
        type: 'block',
        token: 'LIMIT',
        optional: true,
        arguments: [int('offset'), int('count', { optional: true })],
      },
    ]);
    const step = plan.steps[0];
    expect(step?.kind === 'option' && step.member.kind === 'field' ? nodeType(step.member.node) : '').toBe(
      '{ offset: number | bigint; count?: number | bigint }',
    );
  });
});
