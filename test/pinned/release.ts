// Tests in test/pinned/ assert facts of the committed release (which commands exist, their exact
// types and wire words, which table entries carry a tip). After a spec bump they would fail for
// the wrong reason, so each skips, saying why, unless spec/SOURCE.json names the release below.
// Re-pin by updating PINNED together with the assertions.
import { readFileSync } from 'node:fs';

/** The release these tests were written against: spec/ and each spec its SOURCE.json merges. */
export const PINNED = 'valkey 8.1.1 + redis 8.0.2';

interface Source {
  server: string;
  version: string;
  also?: { server: string; version: string }[];
}

/** What spec/SOURCE.json names, in PINNED's spelling. */
export function specRelease(): string {
  const source = JSON.parse(
    readFileSync(new URL('../../spec/SOURCE.json', import.meta.url), 'utf8'),
  ) as Source;
  return [source, ...(source.also ?? [])].map((s) => `${s.server} ${s.version}`).join(' + ');
}

/** True when the pinned tests apply; otherwise logs why they are skipped. */
export function pinnedApplies(file: string): boolean {
  const release = specRelease();
  if (release === PINNED) return true;
  console.warn(
    `${file}: skipped: these tests pin facts of ${PINNED}, and spec/SOURCE.json names ${release}. ` +
      'Update test/pinned/ (and PINNED in test/pinned/release.ts) for the new release.',
  );
  return false;
}
