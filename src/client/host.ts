// What every client-side host (the client, a view made by withOptions, a pipeline's or scope's
// owner) is to the layers it uses: a runner to hand Commands to, and the per-call options of the
// view, which every Command it builds carries.
import type { CallOptions } from '../runner/command.js';
import type { Runner } from '../runner/runner.js';

export interface RunnerHost {
  readonly runner: Runner;
  readonly callOptions: CallOptions | undefined;
}
