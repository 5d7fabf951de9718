// `npm run generate [-- --check] [--spec <dir>] [--out <dir>]`: spec/ → generated/ through load,
// validate, model, render, emit and write. With --check nothing is written: exit 1 and a diff when
// the directory differs from what the spec and the generator produce (CI runs this).
import { emitFiles, type EmittedFile } from '../emit.js';
import { loadSpecDir } from '../load.js';
import { mergedFiles } from '../merge.js';
import { loadTemplates } from '../load-templates.js';
import { buildModel } from '../model/index.js';
import type { Model } from '../model/types.js';
import { renderFiles } from '../render.js';
import { diffTree } from '../tree-diff.js';
import { formatErrors, validateSpec } from '../validate.js';
import { readTree, writeTree } from '../write-generated.js';

interface Options {
  check: boolean;
  spec: string;
  out: string;
}

function parseArgs(argv: readonly string[]): Options | string {
  const options: Options = { check: false, spec: 'spec', out: 'generated' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--check') options.check = true;
    else if (arg === '--spec' || arg === '--out') {
      const value = argv[++i];
      if (value === undefined) return `${arg} needs a directory`;
      options[arg === '--spec' ? 'spec' : 'out'] = value;
    } else return `unknown argument ${arg}`;
  }
  return options;
}

/** The pure part of the pipeline after loading: what generated/ must contain for this spec. */
export async function generate(
  specDir: string,
): Promise<{ files: EmittedFile[]; model: Model } | { errors: string }> {
  const spec = await loadSpecDir(specDir);
  const errors = validateSpec(spec);
  if (errors.length > 0) return { errors: formatErrors(errors) };
  if (spec.source === undefined)
    return { errors: `${spec.sourcePath}: missing (server and version go into every header)` };
  const model = buildModel({
    files: mergedFiles(spec),
    overrides: spec.overrides.flatMap((o) => o.data.overrides),
    source: spec.source,
    also: (spec.also ?? []).flatMap((s) => (s.source === undefined ? [] : [s.source])),
  });
  const rendered = renderFiles(model, await loadTemplates());
  return { files: emitFiles(rendered, model), model };
}

export async function run(argv: string[]): Promise<number> {
  const options = parseArgs(argv);
  if (typeof options === 'string') {
    process.stderr.write(`generate: ${options}\nusage: generate [--check] [--spec <dir>] [--out <dir>]\n`);
    return 2;
  }
  const result = await generate(options.spec);
  if ('errors' in result) {
    process.stderr.write(`generate: the spec is not valid:\n${result.errors}\n`);
    return 1;
  }
  const { files, model } = result;
  if (options.check) {
    const diff = diffTree(await readTree(options.out), files);
    if (diff === '') {
      process.stdout.write(`${options.out}/ is up to date (${files.length} files)\n`);
      return 0;
    }
    process.stdout.write(diff);
    process.stderr.write(
      `generate --check: ${options.out}/ differs from what spec/ generates; run npm run generate\n`,
    );
    return 1;
  }
  const { written, removed } = await writeTree(options.out, files);
  const methods = model.groups.reduce((n, g) => n + g.commands.length, 0);
  process.stdout.write(
    `generated ${methods} methods in ${model.groups.length} groups; ${written.length} files written, ${removed.length} removed; ` +
      `${model.untypedReplies.length} commands without a reply type (${model.untypedReplies.join(', ')})\n`,
  );
  return 0;
}
