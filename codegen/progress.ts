// Progress lines of the long steps (pull, generate): one line per finished phase on stderr, with
// the time it took, so a slow run shows where it is and stdout stays the verb's result alone.
// Off unless asked for or stderr is a terminal: tests and CI logs that read output see no noise.
import { performance } from 'node:perf_hooks';

export class Progress {
  /** Prints nothing; the default for library callers and tests. */
  static readonly off = new Progress(undefined, '');

  private last = performance.now();

  private constructor(
    private readonly write: ((line: string) => void) | undefined,
    private readonly label: string,
  ) {}

  /** Lines on stderr prefixed with `label`; `enabled` undefined means "when stderr is a terminal". */
  static stderr(label: string, enabled: boolean | undefined): Progress {
    if (!(enabled ?? process.stderr.isTTY === true)) return Progress.off;
    return new Progress((line) => process.stderr.write(line), label);
  }

  /** Reports a finished phase with the time since the previous report (or since creation). */
  step(message: string): void {
    if (this.write === undefined) return;
    const now = performance.now();
    this.write(`${this.label}: ${message} (${Math.round(now - this.last)} ms)\n`);
    this.last = now;
  }
}
