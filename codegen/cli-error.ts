// The faults the redspec command line reports as one line on stderr, without a stack: a usage
// error (exit 2: the command line itself is wrong) or a failed step the user can act on (exit 1:
// the server cannot be reached, the input is missing). Anything else is a bug and keeps its stack.

export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message);
  }
}

/** A command line that cannot be run as given (exit 2). */
export function usageError(message: string): CliError {
  return new CliError(message, 2);
}
