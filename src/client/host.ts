// What every client-side host (the client, a view made by withOptions, a pipeline's or scope's
// owner) is to the layers it uses: a runner to hand Commands to, and the per-call options of the
// view, which every Command it builds carries; and how a host class gets the generated methods.
import { allCommandMethods } from '../../generated/index.js';
import type { CallOptions } from '../runner/command.js';
import type { Runner } from '../runner/runner.js';

export interface RunnerHost {
  readonly runner: Runner;
  readonly callOptions: CallOptions | undefined;
}

/**
 * Mixes the generated command methods into a host class, except the names the class defines
 * itself (a batch's exec() is not the EXEC command).
 */
export function mixCommands(prototype: object): void {
  for (const [name, method] of Object.entries(allCommandMethods)) {
    if (!Object.hasOwn(prototype, name)) {
      Object.defineProperty(prototype, name, { value: method, writable: true, configurable: true });
    }
  }
}
