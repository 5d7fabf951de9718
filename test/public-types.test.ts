// The published declarations (src/ and generated/ as `npm run build` emits them) must not say
// `any` anywhere: every public type says what it is.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';

const out = mkdtempSync(join(tmpdir(), 'redspec-dts-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function declarationFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return declarationFiles(path);
    return path.endsWith('.d.ts') ? [path] : [];
  });
}

/** Drops comments so JSDoc prose ("any number of keys") is not mistaken for the type. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
}

it('emits declarations without `any`', () => {
  execFileSync(
    process.execPath,
    [
      'node_modules/typescript/bin/tsc',
      '-p',
      'tsconfig.build.json',
      '--outDir',
      out,
      '--declaration',
      '--emitDeclarationOnly',
    ],
    { stdio: 'pipe' },
  );
  const files = declarationFiles(out);
  expect(files.length).toBeGreaterThan(40);
  const offenders: string[] = [];
  for (const file of files) {
    code(readFileSync(file, 'utf8'))
      .split('\n')
      .forEach((line, i) => {
        // `any?: boolean` is GEOSEARCH's ANY option, a property name, not the type.
        if (/(?<![\w'"-])any(?![\w'"?-])/.test(line))
          offenders.push(`${file.slice(out.length + 1)}:${i + 1}: ${line.trim()}`);
      });
  }
  expect(offenders).toEqual([]);
}, 120_000);
