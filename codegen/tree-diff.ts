// Compares a generated tree on disk with what the generator produces, as a readable unified-style
// diff (one hunk per changed file: common prefix and suffix trimmed, 3 lines of context). Pure.
import type { EmittedFile } from './emit.js';

const CONTEXT = 3;

function fileDiff(path: string, before: string | undefined, after: string | undefined): string {
  const a = before === undefined ? [] : before.split('\n');
  const b = after === undefined ? [] : after.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const from = Math.max(0, start - CONTEXT);
  const toA = Math.min(a.length, endA + CONTEXT);
  const toB = Math.min(b.length, endB + CONTEXT);
  const lines = [
    `--- ${before === undefined ? '/dev/null' : `a/${path}`}`,
    `+++ ${after === undefined ? '/dev/null' : `b/${path}`}`,
    `@@ -${from + 1},${toA - from} +${from + 1},${toB - from} @@`,
    ...a.slice(from, start).map((l) => ` ${l}`),
    ...a.slice(start, endA).map((l) => `-${l}`),
    ...b.slice(start, endB).map((l) => `+${l}`),
    ...b.slice(endB, toB).map((l) => ` ${l}`),
  ];
  return lines.join('\n');
}

/** Empty when `actual` (path → text, as on disk) holds exactly `expected`; else a diff from actual to expected. */
export function diffTree(actual: ReadonlyMap<string, string>, expected: readonly EmittedFile[]): string {
  const wanted = new Map(expected.map((f) => [f.path, f.text]));
  const paths = [...new Set([...actual.keys(), ...wanted.keys()])].sort((x, y) =>
    x < y ? -1 : x > y ? 1 : 0,
  );
  const parts: string[] = [];
  for (const path of paths) {
    const before = actual.get(path);
    const after = wanted.get(path);
    if (before !== after) parts.push(fileDiff(path, before, after));
  }
  return parts.length === 0 ? '' : `${parts.join('\n')}\n`;
}
