// api:diff on the diff fixtures: the markdown report (golden file; UPDATE_GOLDEN=1 rewrites it)
// shows methods added and removed, option, parameter and expanded reply-type changes, deprecations,
// and collapses what changed only in the spec.
import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it, vi } from 'vitest';
import { renderApiDiff } from '../../codegen/api-diff.js';
import { main } from '../../codegen/cli.js';
import { apiSide } from '../../codegen/commands/api-diff.js';

const GOLDEN = 'test/fixtures/diff/api-expected.md';

describe('api:diff', () => {
  it('renders the golden report for the fixture specs', async () => {
    const [old, now] = await Promise.all([
      apiSide('test/fixtures/diff/old'),
      apiSide('test/fixtures/diff/new'),
    ]);
    if (typeof old === 'string' || typeof now === 'string') throw new Error(`${old}\n${now}`);
    const report = renderApiDiff(old, now);
    if (process.env.UPDATE_GOLDEN === '1') await writeFile(GOLDEN, report);
    expect(report).toBe(await readFile(GOLDEN, 'utf8'));
    expect(report).toMatch(/^## Added/m);
    expect(report).toContain('<details>');
  });

  it('rejects a usage it does not know', async () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await main(['api', 'diff', '--base'])).toBe(2);
    expect(await main(['api', 'diff', 'only-one'])).toBe(2);
    expect(await main(['api', 'diff', '--base', 'HEAD', 'a', 'b'])).toBe(2);
    expect(err).toHaveBeenCalled();
    err.mockRestore();
  });
});
