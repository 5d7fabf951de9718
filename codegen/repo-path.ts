// Default directories of the command line (spec/, generated/) belong to this repository wherever
// `npx redspec` is started; they are given relative to the working directory because error
// messages print paths as given (`spec/commands/get.json`, not an absolute path).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: codegen/ is one level below it. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** `name` inside the repository, relative to the working directory ("spec" from the root). */
export function repoPath(name: string): string {
  return path.relative(process.cwd(), path.join(REPO_ROOT, name)) || '.';
}
