// Loading: the spec layout is read in path order with repo-relative paths; unparsable files become
// problems naming line and column (the rest still loads); a missing commands/ directory throws; the
// JSON syntax locator agrees with JSON.parse on what is valid.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findJsonSyntaxError } from '../../codegen/json-syntax.js';
import {
  displayPath,
  loadedSpecFromFiles,
  loadSpecDir,
  readImportInput,
  SpecLoadError,
} from '../../codegen/load.js';

let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'redspec-load-'));
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('loadSpecDir', () => {
  it('loads command files, overrides and SOURCE.json in path order', async () => {
    const spec = await loadSpecDir('test/fixtures/spec/valid');
    expect(spec.problems).toEqual([]);
    expect(spec.files.map((f) => [f.path, f.name, f.command.container])).toEqual([
      ['test/fixtures/spec/valid/commands/client-kill.json', 'KILL', 'CLIENT'],
      ['test/fixtures/spec/valid/commands/client.json', 'CLIENT', undefined],
      ['test/fixtures/spec/valid/commands/get.json', 'GET', undefined],
      ['test/fixtures/spec/valid/commands/set.json', 'SET', undefined],
      ['test/fixtures/spec/valid/commands/xread.json', 'XREAD', undefined],
      ['test/fixtures/spec/valid/commands/zadd.json', 'ZADD', undefined],
    ]);
    expect(spec.overrides.map((o) => [o.path, o.data.overrides.length])).toEqual([
      ['test/fixtures/spec/valid/overrides/replies.json', 3],
    ]);
    expect(spec.source).toMatchObject({ server: 'valkey', version: '8.1.1', obtained: 'import' });
    expect(spec.sourcePath).toBe('test/fixtures/spec/valid/SOURCE.json');
  });

  it('collects unparsable and non-command files as problems and keeps loading the rest', async () => {
    await mkdir(path.join(tmp, 'commands'));
    await mkdir(path.join(tmp, 'overrides'));
    await writeFile(path.join(tmp, 'commands', 'a.json'), '{"A": {"group": "string", "arity": 1}}');
    await writeFile(path.join(tmp, 'commands', 'b.json'), '{\n  "B": {\n    "arity": 1 "group": "x"\n  }\n}');
    await writeFile(path.join(tmp, 'commands', 'c.json'), '[]');
    await writeFile(path.join(tmp, 'commands', 'd.json'), '{"D": 5}');
    await writeFile(path.join(tmp, 'commands', 'notes.txt'), 'not a spec file');
    await writeFile(path.join(tmp, 'overrides', 'o.json'), '{"overrides": [');
    await writeFile(path.join(tmp, 'SOURCE.json'), '');
    const spec = await loadSpecDir(tmp);
    const shown = displayPath(tmp);
    expect(spec.files.map((f) => f.name)).toEqual(['A']);
    expect(spec.problems).toEqual([
      {
        path: `${shown}/commands/b.json`,
        pointer: '',
        message: `invalid JSON at line 3 column 16: expected ',' or '}', unexpected "\\""`,
      },
      {
        path: `${shown}/commands/c.json`,
        pointer: '',
        message: 'must be an object with exactly one property, the command name',
      },
      { path: `${shown}/commands/d.json`, pointer: '/D', message: 'must be object' },
      {
        path: `${shown}/overrides/o.json`,
        pointer: '',
        message: 'invalid JSON at line 1 column 16: unexpected end of input',
      },
      {
        path: `${shown}/SOURCE.json`,
        pointer: '',
        message: 'invalid JSON at line 1 column 1: unexpected end of input',
      },
    ]);
    expect(spec.source).toBeUndefined();
  });

  it('throws a SpecLoadError when there is no commands directory', async () => {
    await expect(loadSpecDir(tmp)).rejects.toThrow(SpecLoadError);
    await expect(loadSpecDir(tmp)).rejects.toThrow(/commands: not a directory/);
  });
});

describe('readImportInput', () => {
  it('reads a directory of command files and a merged file, failing on unparsable input', async () => {
    const dir = await readImportInput('test/fixtures/spec/source-tree/src/commands');
    expect(dir.kind).toBe('files');
    if (dir.kind === 'files')
      expect(dir.documents.map((d) => path.basename(d.path))).toContain('client-kill.json');
    const merged = await readImportInput('test/fixtures/spec/merged/commands-redis.json');
    expect(merged.kind).toBe('merged');
    expect(merged.detected).toBeUndefined();
    await writeFile(path.join(tmp, 'x.json'), '{"GET": tru}');
    const error = await readImportInput(tmp).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SpecLoadError);
    expect((error as SpecLoadError).errors).toEqual([
      {
        path: `${displayPath(tmp)}/x.json`,
        pointer: '',
        message: 'invalid JSON at line 1 column 12: unexpected "}"',
      },
    ]);
    await expect(readImportInput(path.join(tmp, 'missing.json'))).rejects.toThrow(/cannot read \(ENOENT\)/);
  });
});

describe('loadedSpecFromFiles', () => {
  it('places files where writeSpec will write them', () => {
    const spec = loadedSpecFromFiles(
      'spec',
      [
        { GET: { group: 'string', arity: 2 } },
        { KILL: { group: 'connection', arity: -3, container: 'CLIENT' } },
      ],
      undefined,
    );
    expect(spec.files.map((f) => f.path)).toEqual([
      'spec/commands/client-kill.json',
      'spec/commands/get.json',
    ]);
    expect(spec.sourcePath).toBe('spec/SOURCE.json');
  });
});

describe('findJsonSyntaxError', () => {
  it.each([
    ['{"a": 1}', undefined],
    ['\ufeff[1, -2.5e3, "x\\u00e9", true, false, null, {}]', undefined],
    ['{"a": 1,}', { line: 1, column: 9, message: 'expected a double-quoted property name, unexpected "}"' }],
    ['[1 2]', { line: 1, column: 4, message: `expected ',' or ']', unexpected "2"` }],
    ['{"a":\n  01}', { line: 2, column: 4, message: `expected ',' or '}', unexpected "1"` }],
    ['"abc', { line: 1, column: 5, message: 'unterminated string' }],
    ['"a\\x"', { line: 1, column: 4, message: 'bad escape' }],
    ['{} {}', { line: 1, column: 4, message: 'unexpected "{" after the value' }],
    ['', { line: 1, column: 1, message: 'unexpected end of input' }],
  ])('%j', (text, want) => {
    const got = findJsonSyntaxError(text);
    let parses = true;
    try {
      JSON.parse(text.replace(/^\ufeff/, ''));
    } catch {
      parses = false;
    }
    expect(got === undefined).toBe(parses);
    if (want === undefined) expect(got).toBeUndefined();
    else expect(got).toMatchObject(want);
  });
});
