// Prints vitest's JSON report as one closing line, "N passed, N failed, N skipped", so the run's
// outcome is readable without vitest's own formatting. Exits 1 when the report is missing.
import { readFileSync } from 'node:fs';

const path = process.argv[2] ?? '.tmp/vitest.json';
let report;
try {
  report = JSON.parse(readFileSync(path, 'utf8'));
} catch {
  console.error(`no test report at ${path}`);
  process.exit(1);
}
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(`${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`);
