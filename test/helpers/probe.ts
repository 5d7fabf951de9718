// Runs a short ES module in a fresh Node process loaded through tsx, with V8 flags the test process
// does not have (--allow-natives-syntax, --expose-gc), and resolves with what it wrote to stdout.
// For tests that ask V8 itself how the code runs: optimised or not, young or old.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function runProbe(lines: readonly string[], flags: readonly string[]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'redspec-probe-'));
  try {
    const script = join(dir, 'probe.mjs');
    writeFileSync(script, lines.join('\n'));
    const { stdout } = await run(process.execPath, [...flags, '--import', 'tsx', script], {
      cwd: new URL('../..', import.meta.url).pathname,
    });
    return stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Probe lines for whether objects made per call start in V8's young generation. `rounds` bursts,
 * each the calls that `start` (an expression giving their promises) starts at once; right after,
 * each of `picks` (expressions naming an object the burst just made) gets a letter: 'y' when it is
 * young, 'o' when not. A young GC then runs while every call of the burst is in flight, so that all
 * of its objects survive it, which is what makes V8 pretenure an allocation site. Prints each
 * pick's letters, the picks separated by spaces. Needs --allow-natives-syntax and --expose-gc.
 */
export function youngAcrossBursts(start: string, picks: readonly string[], rounds = 30): string[] {
  return [
    "const isYoung = new Function('o', 'return %InYoungGeneration(o)');",
    `const seen = ${JSON.stringify(picks.map(() => ''))};`,
    `for (let round = 0; round < ${rounds}; round++) {`,
    `  const calls = ${start};`,
    ...picks.map((pick, i) => `  seen[${i}] += isYoung(${pick}) ? 'y' : 'o';`),
    "  globalThis.gc({ type: 'minor' });",
    '  await Promise.all(calls);',
    '}',
    "process.stdout.write(seen.join(' '));",
  ];
}

/**
 * Probe lines for whether code stays optimised once nothing it ran on is alive. Runs `burst` (an
 * expression, awaited) until every one of `functions` (expressions) runs TurboFan code, at most
 * `maxBursts` times; then full GCs, the second after a pause, when nothing of the last burst is
 * left on the stack or in a register. Prints a 'y' or 'n' per function before and after, e.g.
 * `yyy yyy` when all stayed optimised. Needs --allow-natives-syntax and --expose-gc.
 */
export function optimisedAcrossFullGc(
  functions: readonly string[],
  burst: string,
  maxBursts = 500,
): string[] {
  const all = 'y'.repeat(functions.length);
  return [
    `const functions = [${functions.join(', ')}];`,
    // Bit 4 (16) of the status: the function runs TurboFan-optimised code.
    "const optimised = () => functions.map((f) => ((%GetOptimizationStatus(f) & 16) !== 0 ? 'y' : 'n')).join('');",
    `for (let round = 0; round < ${maxBursts} && optimised() !== '${all}'; round++) await ${burst};`,
    'const busy = optimised();',
    'globalThis.gc();',
    'await new Promise((resolve) => setTimeout(resolve, 20));',
    'globalThis.gc();',
    'process.stdout.write(`${busy} ${optimised()}`);',
  ];
}
