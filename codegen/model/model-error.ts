// The fault of a spec that validates but cannot become methods: two keys or parameters of one
// name, a reply variant naming an argument the command lacks, an unknown policy tip. It names the
// command and what is wrong; the redspec command prints it as one line (exit 1), not as a crash.
export class ModelError extends Error {
  override name = 'ModelError';
}
