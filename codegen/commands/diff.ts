// `redspec spec diff <old spec dir> <new spec dir>`: prints the markdown API-change report between
// two spec directories (each with commands/*.json and optionally SOURCE.json) on stdout. Exit 0 on
// a report, 1 when a spec cannot be read.
import { commandsByName, diffSpecs, renderDiffReport } from '../diff.js';
import { loadSpecDir, type LoadedSpec } from '../load.js';
import { formatErrors } from '../spec-error.js';

export interface DiffOptions {
  old: string;
  new: string;
}

function label(spec: LoadedSpec): string {
  return spec.source ? `${spec.source.server} ${spec.source.version}` : spec.dir;
}

export async function run(options: DiffOptions): Promise<number> {
  const [oldSpec, newSpec] = await Promise.all([loadSpecDir(options.old), loadSpecDir(options.new)]);
  // A half-read spec would show its unreadable files as removed commands: refuse instead.
  const problems = [...oldSpec.problems, ...newSpec.problems];
  if (problems.length) {
    process.stderr.write(`${formatErrors(problems)}\nredspec: invalid spec: ${problems.length} error(s)\n`);
    return 1;
  }
  const old = commandsByName(oldSpec.files);
  const now = commandsByName(newSpec.files);
  const report = renderDiffReport(
    diffSpecs(old, now),
    { old: label(oldSpec), new: label(newSpec) },
    old,
    now,
  );
  process.stdout.write(report);
  return 0;
}
