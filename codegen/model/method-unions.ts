// Unions of method names that hosts need as types, each a rule over the spec's command facts (a
// command flag or an ACL category), so no handwritten list repeats the spec: e.g. the methods a
// transaction must not offer. Only commands that have a method count; members sorted by code unit.
import { quote } from '../naming.js';
import type { SpecCommand } from '../spec-types.js';
import type { MethodUnion } from './types.js';

interface UnionRule {
  name: string;
  docs: string;
  flag?: string;
  aclCategory?: string;
}

const RULES: readonly UnionRule[] = [
  {
    name: 'NoMultiMethod',
    docs: 'Methods of the commands the server refuses inside MULTI (command flag NO_MULTI).',
    flag: 'NO_MULTI',
  },
  {
    name: 'TransactionControlMethod',
    docs: 'Methods of the commands that control a transaction (ACL category TRANSACTION).',
    aclCategory: 'TRANSACTION',
  },
];

function includes(values: readonly string[] | undefined, wanted: string): boolean {
  return (values ?? []).some((v) => v.toUpperCase() === wanted);
}

function matches(rule: UnionRule, command: SpecCommand): boolean {
  if (rule.flag !== undefined && !includes(command.command_flags, rule.flag)) return false;
  if (rule.aclCategory !== undefined && !includes(command.acl_categories, rule.aclCategory)) return false;
  return true;
}

export function methodUnions(methods: readonly { method: string; command: SpecCommand }[]): MethodUnion[] {
  return RULES.map((rule) => {
    const names = methods
      .filter((m) => matches(rule, m.command))
      .map((m) => m.method)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return {
      name: rule.name,
      docs: rule.docs,
      type: names.length === 0 ? 'never' : names.map(quote).join(' | '),
    };
  });
}
