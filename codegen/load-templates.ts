// Reads the handlebars templates of codegen/templates/ (part of the load stage: render itself never
// touches the disk, it is given the template texts).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEMPLATE_NAMES, type TemplateTexts } from './render.js';

const TEMPLATE_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'templates');

export async function loadTemplates(dir: string = TEMPLATE_DIR): Promise<TemplateTexts> {
  const entries = await Promise.all(
    TEMPLATE_NAMES.map(
      async (name) => [name, await readFile(path.join(dir, `${name}.hbs`), 'utf8')] as const,
    ),
  );
  return Object.fromEntries(entries) as TemplateTexts;
}
