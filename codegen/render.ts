// Render stage: model → file texts through logic-less handlebars templates (an isolated instance,
// strict, no HTML escaping). Pure: the template texts come in as data, nothing is read or written.
import Handlebars from 'handlebars';
import type { Model } from './model/types.js';

export const TEMPLATE_NAMES = ['executor.ts', 'args.ts', 'command-table.ts', 'group.ts'] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];
export type TemplateTexts = Record<TemplateName, string>;

/** A rendered file, path relative to generated/ with `/`. */
export interface RenderedFile {
  path: string;
  text: string;
}

export function renderFiles(model: Model, templates: TemplateTexts): RenderedFile[] {
  const hbs = Handlebars.create();
  const compile = (name: TemplateName): Handlebars.TemplateDelegate =>
    hbs.compile(templates[name], { strict: true, noEscape: true });
  const group = compile('group.ts');
  const header = model.header;
  const files: RenderedFile[] = [
    { path: 'executor.ts', text: compile('executor.ts')({ header, policyTypes: model.policyTypes }) },
    { path: 'args.ts', text: compile('args.ts')({ header }) },
    {
      path: 'command-table.ts',
      text: compile('command-table.ts')({ header, table: model.table, methodUnions: model.methodUnions }),
    },
    ...model.groups.map((g) => ({ path: `commands/${g.file}.ts`, text: group({ header, ...g }) })),
  ];
  return files;
}
