// Type-checks test/pinned/ (its own tsconfig: the main one leaves it out, so a bump's changed types
// fail here, named, instead of failing `npm run typecheck`). The type tests in types/ are
// expectTypeOf assertions, which fail as compile errors.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { pinnedApplies } from './release.js';

const pinned = pinnedApplies('test/pinned/types.test.ts');
const root = path.resolve(import.meta.dirname, '../..');

describe.runIf(pinned)('pinned types', () => {
  it('type-check against the committed release', async () => {
    const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await promisify(execFile)(process.execPath, [tsc, '-p', 'test/pinned/tsconfig.json'], {
      cwd: root,
      maxBuffer: 16 << 20,
    }).then(
      () => '',
      (err: { stdout?: string }) => err.stdout ?? String(err),
    );
    expect(result).toBe('');
  }, 120_000);
});
