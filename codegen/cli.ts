// The `redspec` command line (codegen/bin/redspec.js runs it): commander parses the verbs and
// their options, each verb's work lives in codegen/commands/ and is loaded on demand so one verb's
// dependencies (ts-morph for generate) never slow another's start. `main` runs in-process and
// returns the exit code, so tests drive exactly what the bin does:
//   0 ok · 1 a check failed, the spec is invalid, a server cannot be reached · 2 usage error.
import { Command, CommanderError, Option } from 'commander';
import { CliError } from './cli-error.js';
import { ModelError } from './model/model-error.js';
import { SpecLoadError } from './load.js';
import { Progress } from './progress.js';
import { repoPath } from './repo-path.js';
import { formatErrors } from './spec-error.js';

/** What an action hands back to `main`: the verb's exit code, and which verb ran (for usage hints). */
type Result = { code: number; verb?: string };

const EXIT_CODES = `
Exit codes: 0 ok; 1 a check failed, the spec is invalid or a server cannot be reached;
2 usage error (unknown verb or option, missing argument, bad URL).`;

// Commander lists only a command's direct children; the top level shows every verb at once.
const VERBS = `
Verbs (each has --help):
  redspec generate [--check] [--spec <dir>] [--out <dir>]
  redspec spec pull --url <url> [--sentinel <url>] [--out <dir>] [--resp 2|3] [--facts-only]
  redspec spec import <dir|file> [--out <dir>] [--server <name> --version <x.y.z>] [--facts-only]
  redspec spec validate [dir]
  redspec spec diff <old> <new>
  redspec api diff [--base <ref> | <old> <new>]`;

/** Every command reports errors the same way and never exits the process itself. */
function configure(command: Command): Command {
  const name = ['redspec', commandPath(command)].filter(Boolean).join(' ');
  return command
    .exitOverride()
    .showSuggestionAfterError()
    .showHelpAfterError(`(run '${name} --help' for usage)`)
    .configureOutput({ outputError: (text, write) => write(text.replace(/^error: /, 'redspec: ')) });
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** A verb under `parent`, configured like every other. */
function verb(parent: Command, name: string, description: string): Command {
  const command = new Command(name).description(description);
  parent.addCommand(command);
  return configure(command);
}

/** --progress / --no-progress for the long verbs; neither given means "when stderr is a terminal". */
function progressOptions(command: Command): Command {
  return command
    .option('--progress', 'print a line per finished phase on stderr (default: when stderr is a terminal)')
    .option('--no-progress', 'print no progress lines');
}

function program(result: Result): Command {
  const root = configure(new Command('redspec'))
    .description(
      'The redspec generator and spec tools: spec/ (the server command spec) → generated/ (the typed command layer).',
    )
    .addHelpText('after', `${VERBS}\n${EXIT_CODES}`)
    .hook('preAction', (_root, action) => {
      result.verb = commandPath(action);
    });

  progressOptions(
    verb(root, 'generate', 'generate the command layer from the spec (writes generated/)')
      .option('--check', 'write nothing; exit 1 and print a diff when the output directory is stale')
      .option('--spec <dir>', 'spec directory to read', repoPath('spec'))
      .option('--out <dir>', 'output directory', repoPath('generated')),
  ).action(async (o: { check?: true; spec: string; out: string; progress?: boolean }) => {
    const { run } = await import('./commands/generate.js');
    result.code = await run({
      check: o.check === true,
      spec: o.spec,
      out: o.out,
      progress: Progress.stderr('generate', o.progress),
    });
  });

  const spec = configure(root.command('spec'))
    .description('refresh, validate and compare spec directories')
    .addHelpText('after', EXIT_CODES);

  progressOptions(
    verb(spec, 'pull', 'ask a running server (COMMAND DOCS, COMMAND INFO) and write one file per command')
      .requiredOption(
        '--url <url>',
        'the server, e.g. redis://127.0.0.1:6379 (user and password are never printed)',
      )
      .option('--sentinel <url>', 'a sentinel of the same build, for the SENTINEL commands')
      .option('--out <dir>', 'spec directory to write', repoPath('spec'))
      .addOption(new Option('--resp <version>', 'protocol to speak').choices(['2', '3']).default('3'))
      .option(
        '--facts-only',
        "keep facts only, no prose (for a server whose licence is not the repository's)",
      ),
  ).action(
    async (o: {
      url: string;
      sentinel?: string;
      out: string;
      resp: '2' | '3';
      factsOnly?: true;
      progress?: boolean;
    }) => {
      const { run } = await import('./commands/pull.js');
      result.code = await run({
        url: o.url,
        ...(o.sentinel !== undefined ? { sentinel: o.sentinel } : {}),
        out: o.out,
        protocol: o.resp === '2' ? 2 : 3,
        factsOnly: o.factsOnly === true,
        progress: Progress.stderr('spec pull', o.progress),
      });
    },
  );

  verb(spec, 'import', "import a source tree's src/commands/ directory or a merged commands.json")
    .argument('<dir|file>', 'src/commands directory or merged commands.json')
    .option('--out <dir>', 'spec directory to write', repoPath('spec'))
    .option('--server <name>', 'server name when the input does not tell (redis, valkey)')
    .option('--version <x.y.z>', 'server version when the input does not tell')
    .option('--facts-only', "keep facts only, no prose (for a server whose licence is not the repository's)")
    .action(
      async (target: string, o: { out: string; server?: string; version?: string; factsOnly?: true }) => {
        const { run } = await import('./commands/import.js');
        result.code = await run({
          target,
          out: o.out,
          ...(o.server !== undefined ? { server: o.server } : {}),
          ...(o.version !== undefined ? { version: o.version } : {}),
          factsOnly: o.factsOnly === true,
        });
      },
    );

  verb(spec, 'validate', 'validate a spec directory: JSON Schema plus cross-file checks, every fault at once')
    .argument('[dir]', 'spec directory', repoPath('spec'))
    .action(async (dir: string) => {
      const { run } = await import('./commands/validate.js');
      result.code = await run({ dir });
    });

  verb(spec, 'diff', 'print the spec-level change report (markdown) between two spec directories')
    .argument('<old>', 'old spec directory')
    .argument('<new>', 'new spec directory')
    .action(async (old: string, now: string) => {
      const { run } = await import('./commands/diff.js');
      result.code = await run({ old, new: now });
    });

  const api = configure(root.command('api'))
    .description('the generated API as callers see it')
    .addHelpText('after', EXIT_CODES);

  verb(api, 'diff', 'print the API change (markdown, for a pull request) between two specs')
    .argument('[old]', 'old spec directory')
    .argument('[new]', 'new spec directory')
    .option(
      '--base <ref>',
      "compare spec/ at this git ref with the working tree's (default when no directories: HEAD)",
    )
    .action(async (old: string | undefined, now: string | undefined, o: { base?: string }) => {
      const { run } = await import('./commands/api-diff.js');
      const dirs = [old, now].filter((d) => d !== undefined);
      result.code = await run({ dirs, ...(o.base !== undefined ? { base: o.base } : {}) });
    });

  return root;
}

/** Runs the command line on `argv` (without node and the script) and returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const result: Result = { code: 0 };
  try {
    await program(result).parseAsync(argv, { from: 'user' });
    return result.code;
  } catch (err) {
    // Commander has printed its message (or the help); a help the user asked for is success.
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof CliError) {
      const help = ['redspec', result.verb, '--help'].filter(Boolean).join(' ');
      const hint = err.exitCode === 2 ? `\n(run '${help}' for usage)` : '';
      process.stderr.write(`redspec: ${err.message}${hint}\n`);
      return err.exitCode;
    }
    if (err instanceof ModelError) {
      process.stderr.write(`redspec: cannot generate from this spec: ${err.message}\n`);
      return 1;
    }
    if (err instanceof SpecLoadError) {
      process.stderr.write(
        `redspec: ${[err.message, formatErrors(err.errors)].filter(Boolean).join('\n')}\n`,
      );
      return 1;
    }
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  }
}
