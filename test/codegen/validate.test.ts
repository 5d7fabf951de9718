// validateSpec on the hand-written fixtures: the valid spec passes, the malformed one yields exactly
// the expected faults (one per error class, each with its file and JSON pointer), and in-memory
// cases cover the classes a directory fixture cannot show side by side.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../codegen/cli.js';
import { loadedSpecFromFiles, loadSpecDir, type LoadedOverrideFile } from '../../codegen/load.js';
import type { OverrideFile, SpecCommand, SpecFile } from '../../codegen/spec-types.js';
import { formatErrors, validateSpec } from '../../codegen/validate.js';
import { vocabularyWarnings } from '../../codegen/vocabulary.js';

const BAD = 'test/fixtures/spec/bad';
const VALID = 'test/fixtures/spec/valid';

/** `redspec spec validate` in-process: the parsing, the verb and the exit code the bin gives. */
const validateCli = (argv: string[]): Promise<number> => main(['spec', 'validate', ...argv]);

function at(file: string, rest: string): string {
  return `${BAD}/${file}#${rest}`;
}

describe('validateSpec on fixtures', () => {
  it('accepts the valid fixture', async () => {
    expect(validateSpec(await loadSpecDir(VALID))).toEqual([]);
  });

  it('reports every fault of the malformed fixture at once, each with its pointer', async () => {
    const lines = formatErrors(validateSpec(await loadSpecDir(BAD))).split('\n');
    expect(lines).toEqual([
      at(
        'commands/broken.json',
        ': invalid JSON at line 5 column 5: expected a double-quoted property name, unexpected "}"',
      ),
      at('commands/two.json', ': must be an object with exactly one property, the command name'),
      at('commands/hashset.json', '/HSET: HSET belongs in a file named hset.json'),
      at(
        'commands/incr.json',
        '/INCR/reply_schema: reply_schema does not compile: strict mode: unknown keyword: "minimun"',
      ),
      at('commands/lpush.json', "/LPUSH: must have required property 'arity'"),
      at(
        'commands/ping.json',
        "/PING/arguments/0/key_spec_index: must NOT have property 'key_spec_index' here",
      ),
      at('commands/ping.json', "/PING/arguments/1: must have required property 'token'"),
      at('commands/ping.json', "/PING/arguments/2: must have required property 'arguments'"),
      at(
        'commands/ping.json',
        '/PING/arguments/0/key_spec_index: key_spec_index 0 is out of range (the command has 0 key_specs)',
      ),
      at(
        'commands/set.json',
        '/SET/arguments/0/key_spec_index: key_spec_index 1 is out of range (the command has 1 key_specs)',
      ),
      at(
        'commands/xread.json',
        "/XREAD/arguments/2/arguments/1/name: duplicate argument name 'key' (also at /XREAD/arguments/2/arguments/0)",
      ),
      at(
        'commands/zadd.json',
        '/ZADD/arguments/3/type: must be equal to one of the allowed values (string, integer, double, key, pattern, unix-time, pure-token, oneof, block)',
      ),
      at(
        'commands/config-get.json',
        '/GET/container: container CONFIG has no spec file (expected config.json)',
      ),
      at('overrides/bad.json', "/overrides/1: must have required property 'reason'"),
      at('overrides/bad.json', '/overrides/0/command: override matches no command: NOPE'),
      at(
        'overrides/bad.json',
        "/overrides/2/blockingTimeout/argument: XREAD has no argument named 'timeout'",
      ),
      at('SOURCE.json', '/counts/commands: says 3 but the spec has 9'),
      at('SOURCE.json', '/counts/withReplySchema: says 4 but the spec has 5'),
      at('SOURCE.json', '/counts/files: says 11 but the spec has 10'),
    ]);
  });

  it('reports unknown values of open vocabularies as warnings, not errors', async () => {
    const lines = formatErrors(vocabularyWarnings(await loadSpecDir(BAD))).split('\n');
    expect(lines).toEqual([
      at('commands/get.json', '/GET/command_flags/2: unknown command flag QUICK (kept as data)'),
      at('commands/get.json', "/GET/sumary: unknown command property 'sumary' (kept as data)"),
    ]);
    expect(vocabularyWarnings(await loadSpecDir(VALID))).toEqual([]);
  });
});

const base: SpecCommand = { summary: 'A command.', group: 'string', since: '1.0.0', arity: -2 };

function check(files: SpecFile[], overrides: OverrideFile[] = []): string[] {
  const loaded: LoadedOverrideFile[] = overrides.map((data, i) => ({ path: `o/overrides/${i}.json`, data }));
  return formatErrors(validateSpec(loadedSpecFromFiles('o', files, undefined, loaded)))
    .split('\n')
    .filter(Boolean);
}

describe('validateSpec cases', () => {
  it('checks each reply_schema against the draft 2019-09 meta-schema', () => {
    const errors = check([{ X: { ...base, reply_schema: { type: 'integr' } } }]);
    expect(errors).toEqual([
      'o/commands/x.json#/X/reply_schema/type: must be equal to one of the allowed values (array, boolean, integer, null, number, object, string)',
      'o/commands/x.json#/X/reply_schema/type: must be array',
    ]);
  });

  it('closes groups for server commands; flags, categories and tips are open (warnings), for modules silent', () => {
    const loose = { command_flags: ['CUSTOM'], acl_categories: ['SEARCH'], command_tips: ['OWN_TIP'] };
    const module = [{ 'FT.X': { ...base, group: 'search', module: 'search', ...loose } }];
    expect(check(module)).toEqual([]);
    expect(vocabularyWarnings(loadedSpecFromFiles('o', module, undefined))).toEqual([]);
    const server = [{ X: { ...base, group: 'search', ...loose } }];
    expect(check(server)).toEqual([
      'o/commands/x.json#/X/group: must be equal to one of the allowed values (bitmap, cluster, connection, generic, geo, hash, hyperloglog, list, module, pubsub, scripting, sentinel, server, set, sorted-set, stream, string, transactions)',
    ]);
    expect(formatErrors(vocabularyWarnings(loadedSpecFromFiles('o', server, undefined))).split('\n')).toEqual(
      [
        'o/commands/x.json#/X/command_flags/0: unknown command flag CUSTOM (kept as data)',
        'o/commands/x.json#/X/acl_categories/0: unknown acl category SEARCH (kept as data)',
        'o/commands/x.json#/X/command_tips/0: unknown command tip OWN_TIP (kept as data)',
      ],
    );
  });

  it('rejects lowercase spellings the upstream files never use', () => {
    expect(check([{ X: { ...base, command_flags: ['readonly'] } }])[0]).toMatch(
      /^o\/commands\/x\.json#\/X\/command_flags\/0: /,
    );
    expect(check([{ get: { ...base } }])).toEqual([
      'o/commands/get.json#/get: name must match pattern "^[A-Z0-9_][A-Z0-9_.:-]*$"',
    ]);
  });

  it('checks key spec shapes', () => {
    const keySpec = {
      flags: ['RO', 'BOGUS'],
      begin_search: { index: { pos: 0 } },
      find_keys: { range: { lastkey: 0, step: 1 } },
    };
    const files = [{ X: { ...base, key_specs: [keySpec as never] } }];
    expect(formatErrors(vocabularyWarnings(loadedSpecFromFiles('o', files, undefined)))).toBe(
      'o/commands/x.json#/X/key_specs/0/flags/1: unknown key-spec flag BOGUS (kept as data)',
    );
    expect(check(files)).toEqual([
      'o/commands/x.json#/X/key_specs/0/begin_search/index/pos: must be >= 1',
      "o/commands/x.json#/X/key_specs/0/find_keys/range: must have required property 'limit'",
    ]);
  });

  it('reports a command defined twice and a container that is itself a subcommand', () => {
    const a: SpecFile = { A: base };
    const b: SpecFile = { B: { ...base, container: 'A' } };
    const c: SpecFile = { C: { ...base, container: 'A B' } };
    expect(check([a, b, { A: { ...base, summary: 'Again.' } }])).toEqual([
      'o/commands/a.json#/A: A is also defined in o/commands/a.json',
    ]);
    expect(check([a, b, { B: { ...base, container: 'X' } }])).toContain(
      'o/commands/x-b.json#/B/container: container X has no spec file (expected x.json)',
    );
    expect(check([a, b, c])).toEqual([
      'o/commands/a-b-c.json#/C/container: must match pattern "^[A-Z0-9_][A-Z0-9_.:-]*$"',
      'o/commands/a-b-c.json#/C/container: container A B is itself a subcommand; subcommands nest one level only',
    ]);
  });

  it('checks what overrides refer to', () => {
    const set: SpecFile = {
      SET: {
        ...base,
        arguments: [
          { name: 'value', type: 'string' },
          {
            name: 'condition',
            type: 'oneof',
            optional: true,
            arguments: [
              { name: 'nx', type: 'pure-token', token: 'NX' },
              { name: 'xx', type: 'pure-token', token: 'XX' },
            ],
          },
        ],
      },
    };
    const overrides: OverrideFile[] = [
      {
        overrides: [
          {
            command: 'SET',
            reason: 'Variants.',
            replyVariants: [
              { when: 'condition', equals: 'nx', reply_schema: true },
              { when: 'condition', equals: 'GT', reply_schema: true },
              { when: 'condition.zz', reply_schema: true },
              { when: 'value', reply_schema: { type: 'strin' } },
            ],
          },
          { command: 'CLIENT KILL', reason: 'No such command in this spec.', exclude: true },
          { command: 'SET', reason: ' ', method: 'Set' },
        ],
      },
    ];
    expect(check([set], overrides)).toEqual([
      'o/overrides/0.json#/overrides/2/reason: must match pattern "\\S"',
      'o/overrides/0.json#/overrides/2/method: must match pattern "^[a-z][A-Za-z0-9]*$"',
      "o/overrides/0.json#/overrides/0/replyVariants/1/equals: 'GT' is not a token of SET argument 'condition'",
      "o/overrides/0.json#/overrides/0/replyVariants/2/when: SET has no argument at 'condition.zz'",
      'o/overrides/0.json#/overrides/0/replyVariants/3/reply_schema/type: must be equal to one of the allowed values (array, boolean, integer, null, number, object, string)',
      'o/overrides/0.json#/overrides/0/replyVariants/3/reply_schema/type: must be array',
      'o/overrides/0.json#/overrides/1/command: override matches no command: CLIENT KILL',
    ]);
  });

  it('checks the arguments a widenArguments override names', () => {
    const scan: SpecFile = {
      SCAN: {
        ...base,
        arguments: [
          { name: 'cursor', type: 'integer' },
          { name: 'pattern', type: 'pattern', token: 'MATCH', optional: true },
          {
            name: 'limit',
            type: 'block',
            optional: true,
            arguments: [{ name: 'count', type: 'integer', token: 'COUNT' }],
          },
        ],
      },
    };
    const widen = (...argument: string[]) =>
      argument.map((a) => ({ argument: a, accepts: 'string' as const }));
    const overrides: OverrideFile[] = [
      {
        overrides: [
          { command: 'SCAN', reason: 'Cursor.', widenArguments: widen('cursor', 'limit.count') },
          {
            command: 'SCAN',
            reason: 'Faults.',
            widenArguments: widen('count', 'pattern', 'limit', 'cursor', 'cursor'),
          },
          { command: 'SSCAN', reason: 'No such command in this spec.', widenArguments: widen('cursor') },
          {
            command: 'SCAN',
            reason: 'Bad shape.',
            widenArguments: [{ argument: 'cursor', accepts: 'bigint' as never }],
          },
          { command: 'SCAN', reason: 'Empty.', widenArguments: [] },
        ],
      },
    ];
    const at = (i: number, rest: string) => `o/overrides/0.json#/overrides/${i}/widenArguments${rest}`;
    expect(check([scan], overrides)).toEqual([
      `${at(3, '/0/accepts')}: must be equal to one of the allowed values (string)`,
      `${at(4, '')}: must NOT have fewer than 1 items`,
      `${at(1, '/0/argument')}: SCAN has no argument at 'count'`,
      `${at(1, '/1/argument')}: SCAN argument 'pattern' is of type pattern: only integer and unix-time arguments can be widened to accept a string`,
      `${at(1, '/2/argument')}: SCAN argument 'limit' is of type block: only integer and unix-time arguments can be widened to accept a string`,
      `${at(1, '/4/argument')}: SCAN argument 'cursor' is widened twice`,
      'o/overrides/0.json#/overrides/2/command: override matches no command: SSCAN',
    ]);
  });

  it('takes a special response rule from a known list (ignored where a release has no SPECIAL tip)', () => {
    const info = {
      INFO: { ...base, command_tips: ['REQUEST_POLICY:ALL_SHARDS', 'RESPONSE_POLICY:SPECIAL'] },
    };
    const get = { GET: { ...base } };
    const overrides: OverrideFile[] = [
      {
        overrides: [
          { command: 'INFO', reason: 'Per node.', specialResponse: 'by-node' },
          { command: 'GET', reason: 'Not special.', specialResponse: 'first-non-null' },
          { command: 'INFO', reason: 'Unknown rule.', specialResponse: 'sum' as never },
        ],
      },
    ];
    expect(check([info, get], overrides)).toEqual([
      'o/overrides/0.json#/overrides/2/specialResponse: must be equal to one of the allowed values (by-node, first-non-null)',
    ]);
  });

  it('accepts reply schemas that refer to their own root', () => {
    const tree = { type: 'object', properties: { children: { type: 'array', items: { $ref: '#' } } } };
    expect(check([{ X: { ...base, reply_schema: tree } }, { Y: { ...base, reply_schema: tree } }])).toEqual(
      [],
    );
  });
});

describe('spec:validate', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('exits 0 on a valid spec and 1 with every error on a malformed one', async () => {
    const err: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      err.push(String(chunk));
      return true;
    });
    expect(await validateCli([VALID])).toBe(0);
    expect(err).toEqual([]);
    expect(await validateCli([BAD])).toBe(1);
    expect(err.join('')).toContain('19 error(s), 2 warning(s) in test/fixtures/spec/bad');
    expect(err.join('')).toContain(
      'warning: test/fixtures/spec/bad/commands/get.json#/GET/command_flags/2: unknown command flag QUICK',
    );
    expect(await validateCli(['test/fixtures/spec/nowhere'])).toBe(1);
    expect(err.join('')).toContain('test/fixtures/spec/nowhere/commands: not a directory');
  });
});
