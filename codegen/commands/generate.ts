// `redspec generate [--check] [--spec <dir>] [--out <dir>]`: spec/ → generated/ through load,
// validate, model, render, emit and write. With --check nothing is written: exit 1 and a diff when
// the directory differs from what the spec and the generator produce (CI runs this).
import { emitFiles, type EmittedFile } from '../emit.js';
import { loadSpecDir } from '../load.js';
import { mergedFiles } from '../merge.js';
import { loadTemplates } from '../load-templates.js';
import { buildModel } from '../model/index.js';
import type { Model } from '../model/types.js';
import { Progress } from '../progress.js';
import { renderFiles } from '../render.js';
import { diffTree } from '../tree-diff.js';
import { formatErrors, validateSpec } from '../validate.js';
import { readTree, writeTree } from '../write-generated.js';

export interface GenerateOptions {
  check: boolean;
  spec: string;
  out: string;
  progress?: Progress;
}

/** The pure part of the pipeline after loading: what generated/ must contain for this spec. */
export async function generate(
  specDir: string,
  progress: Progress = Progress.off,
): Promise<{ files: EmittedFile[]; model: Model } | { errors: string }> {
  const spec = await loadSpecDir(specDir);
  const also = (spec.also ?? []).map((s) => `, ${s.dir}: ${s.files.length}`).join('');
  progress.step(
    `loaded ${spec.files.length} command files (${spec.dir}${also}), ${spec.overrides.length} override files`,
  );
  const errors = validateSpec(spec);
  if (errors.length > 0) return { errors: formatErrors(errors) };
  if (spec.source === undefined)
    return { errors: `${spec.sourcePath}: missing (server and version go into every header)` };
  progress.step('validated');
  const model = buildModel({
    files: mergedFiles(spec),
    overrides: spec.overrides.flatMap((o) => o.data.overrides),
    source: spec.source,
    also: (spec.also ?? []).flatMap((s) => (s.source === undefined ? [] : [s.source])),
  });
  progress.step(`modelled ${methodCount(model)} methods in ${model.groups.length} groups`);
  const rendered = renderFiles(model, await loadTemplates());
  progress.step(`rendered ${rendered.length} files`);
  const files = emitFiles(rendered, model);
  progress.step(`emitted and formatted ${files.length} files`);
  return { files, model };
}

function methodCount(model: Model): number {
  return model.groups.reduce((n, g) => n + g.commands.length, 0);
}

export async function run(options: GenerateOptions): Promise<number> {
  const progress = options.progress ?? Progress.off;
  const result = await generate(options.spec, progress);
  if ('errors' in result) {
    process.stderr.write(`redspec: invalid spec:\n${result.errors}\n`);
    return 1;
  }
  const { files, model } = result;
  if (options.check) {
    const diff = diffTree(await readTree(options.out), files);
    progress.step(`compared with ${options.out}/`);
    if (diff === '') {
      process.stdout.write(`${options.out}/ is up to date (${files.length} files)\n`);
      return 0;
    }
    process.stdout.write(diff);
    process.stderr.write(
      `redspec: generate --check: ${options.out}/ differs from what ${options.spec}/ generates; run npm run generate\n`,
    );
    return 1;
  }
  const { written, removed } = await writeTree(options.out, files);
  progress.step(`wrote ${options.out}/`);
  process.stdout.write(
    `generated ${methodCount(model)} methods in ${model.groups.length} groups; ${written.length} files written, ${removed.length} removed; ` +
      `${model.untypedReplies.length} commands without a reply type (${model.untypedReplies.join(', ')})\n`,
  );
  return 0;
}
