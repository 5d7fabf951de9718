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
