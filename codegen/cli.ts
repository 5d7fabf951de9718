// The codegen command line: `tsx codegen/cli.ts <verb> ...`. Each verb lives in codegen/commands/
// and is loaded on demand so one verb's dependencies never slow another's start.
const verbs: Record<string, () => Promise<{ run(argv: string[]): Promise<number> }>> = {
  generate: () => import('./commands/generate.js'),
  pull: () => import('./commands/pull.js'),
  import: () => import('./commands/import.js'),
  validate: () => import('./commands/validate.js'),
  diff: () => import('./commands/diff.js'),
  'api-diff': () => import('./commands/api-diff.js'),
};

const [verb, ...rest] = process.argv.slice(2);
const load = verb === undefined ? undefined : verbs[verb];
if (!load) {
  process.stderr.write(`usage: codegen <${Object.keys(verbs).join('|')}> [options]\n`);
  process.exit(2);
}
try {
  process.exitCode = await (await load()).run(rest);
} catch (err) {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
}
