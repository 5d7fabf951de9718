// Emit stage: ts-morph parses every rendered file (a syntax error fails naming file:line), organises
// imports, formats, builds generated/index.ts (re-exports, AllCommands, allCommandMethods) and the
// API report (one line per method signature, sorted). Pure: in-memory project, nothing on disk.
import { IndentationText, NewLineKind, Project, QuoteKind, ts, type SourceFile } from 'ts-morph';
import { CALL_FORMS } from './api-notes.js';
import type { Model } from './model/types.js';
import { replyTexts } from './model/surface.js';
import type { RenderedFile } from './render.js';

export interface EmittedFile {
  /** Path relative to generated/, with `/`. */
  path: string;
  text: string;
}

export class EmitError extends Error {
  override name = 'EmitError';
}

const ROOT = '/generated';

/** Files kept byte for byte as rendered (the host contract is reviewed as written). */
const VERBATIM = new Set(['executor.ts']);

const FORMAT: ts.FormatCodeSettings = {
  indentSize: 2,
  tabSize: 2,
  convertTabsToSpaces: true,
  newLineCharacter: '\n',
  insertSpaceAfterOpeningAndBeforeClosingNonemptyBraces: true,
  semicolons: ts.SemicolonPreference.Insert,
};

function createProject(): Project {
  return new Project({
    useInMemoryFileSystem: true,
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      strict: true,
      noUncheckedIndexedAccess: true,
      noImplicitOverride: true,
      verbatimModuleSyntax: true,
      isolatedModules: true,
      skipLibCheck: true,
      types: [],
      lib: ['lib.es2023.d.ts'],
    },
    manipulationSettings: {
      indentationText: IndentationText.TwoSpaces,
      newLineKind: NewLineKind.LineFeed,
      quoteKind: QuoteKind.Single,
    },
  });
}

/** Fails with `generated/<file>:<line>:<col>: <message>` for the first syntax errors of a file. */
function checkSyntax(project: Project, file: SourceFile): void {
  const diagnostics = project.getProgram().compilerObject.getSyntacticDiagnostics(file.compilerNode);
  if (diagnostics.length === 0) return;
  const lines = diagnostics.slice(0, 5).map((d) => {
    const pos =
      d.start === undefined
        ? { line: 0, character: 0 }
        : file.compilerNode.getLineAndCharacterOfPosition(d.start);
    const where = `generated${file.getFilePath().slice(ROOT.length)}:${pos.line + 1}:${pos.character + 1}`;
    return `${where}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
  throw new EmitError(`rendered code does not parse:\n${lines.join('\n')}`);
}

function indexFile(project: Project, model: Model): SourceFile {
  const file = project.createSourceFile(`${ROOT}/index.ts`, '', { overwrite: true });
  file.addExportDeclarations([
    { moduleSpecifier: './executor.js' },
    { moduleSpecifier: './command-table.js' },
    ...model.groups.map((g) => ({ moduleSpecifier: `./commands/${g.file}.js` })),
  ]);
  file.addImportDeclaration({
    moduleSpecifier: './executor.js',
    isTypeOnly: true,
    namedImports: ['ResultKind'],
  });
  for (const g of model.groups) {
    file.addImportDeclaration({
      moduleSpecifier: `./commands/${g.file}.js`,
      namedImports: [{ name: g.interfaceName, isTypeOnly: true }, g.mixinName],
    });
  }
  file.addInterface({
    name: 'AllCommands',
    isExported: true,
    docs: ['Every command of the spec, as one flat interface: hosts extend it with their ResultKind.'],
    typeParameters: [
      { name: 'K', constraint: 'ResultKind', default: "'promise'" },
      { name: 'Acc', constraint: 'unknown[]', default: '[]' },
    ],
    extends: model.groups.map((g) => `${g.interfaceName}<K, Acc>`),
  });
  file.addVariableStatement({
    isExported: true,
    declarationKind: 'const' as never,
    docs: ['Every command method, to be assigned onto a host prototype that implements CommandExecutor.'],
    declarations: [
      {
        name: 'allCommandMethods',
        initializer: `{ ${model.groups.map((g) => `...${g.mixinName}`).join(', ')} }`,
      },
    ],
  });
  return file;
}

/** `<T = EvalReply>` of a generic reply (EVAL), written out like a reply: `<T = unknown>`. */
function typeParams(params: readonly { getText(): string }[]): string {
  return params.length === 0 ? '' : `<${params.map((p) => p.getText()).join(', ')}>`;
}

/** One line per method signature of every group interface, sorted: `get(key: RedisKey): GetReply`. */
function apiReport(files: SourceFile[], model: Model): string {
  const lines: string[] = [];
  const replies = replyTexts(model);
  for (const file of files) {
    for (const iface of file.getInterfaces()) {
      for (const method of iface.getMethods()) {
        const params = method.getParameters().map((p) => p.getText().replace(/\s+/g, ' '));
        const reply = method
          .getReturnTypeNodeOrThrow()
          .getText()
          .replace(/^ResultKinds<(.*), Acc>\[K\]$/s, '$1');
        // The reply type expanded too, so a reply change shows in a diff of this file alone.
        const expanded = reply
          .split(' | ')
          .map((name) => replies.get(name) ?? name)
          .join(' | ');
        const shown = expanded === reply ? '' : ` = \`${expanded}\``;
        lines.push(
          `- \`${method.getName()}${typeParams(method.getTypeParameters())}(${params.join(', ')}): ${reply}\`${shown}`
            .replace(/\s+/g, ' ')
            .replace(/; }/g, ' }'),
        );
      }
    }
  }
  lines.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const header = model.header.replace(/^\/\/ /, '');
  return `<!-- ${header} -->\n\n# Command API\n\n${CALL_FORMS}\n## Signatures\n\nOne line per method signature (reply types as the promise resolves them, each also written out).\n\n${lines.join('\n')}\n`;
}

/** Lines that open the index, put above it after building (ts-morph inserts imports above comments). */
function indexHead(model: Model): string {
  return [
    model.header,
    '// Entry point of the generated command layer: every group interface and mixin, the AllCommands',
    '// interface a host extends, allCommandMethods to mix into its prototype, the command table.',
    '',
    '',
  ].join('\n');
}

function finish(file: SourceFile, header: string, head = ''): string {
  if (head === '') file.organizeImports(FORMAT);
  file.formatText(FORMAT);
  const text =
    head +
    file
      .getFullText()
      .replace(/\r\n/g, '\n')
      .replace(/[ \t]+$/gm, '');
  if (!text.startsWith(`${header}\n`))
    throw new EmitError(
      `generated${file.getFilePath().slice(ROOT.length)}: the header is not the first line`,
    );
  return text.endsWith('\n') ? text : `${text}\n`;
}

export function emitFiles(rendered: readonly RenderedFile[], model: Model): EmittedFile[] {
  const project = createProject();
  const sources = rendered.map((r) => ({ r, file: project.createSourceFile(`${ROOT}/${r.path}`, r.text) }));
  for (const { file } of sources) checkSyntax(project, file);
  const index = indexFile(project, model);
  const out: EmittedFile[] = sources.map(({ r, file }) => ({
    path: r.path,
    text: VERBATIM.has(r.path) ? r.text : finish(file, model.header),
  }));
  // The index is built in order (groups sorted by file), so it is formatted but not organised.
  out.push({ path: 'index.ts', text: finish(index, model.header, indexHead(model)) });
  const groupFiles = sources.filter(({ r }) => r.path.startsWith('commands/')).map(({ file }) => file);
  out.push({ path: 'API.md', text: apiReport(groupFiles, model) });
  out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return out;
}
