// Spec arguments for generator tests, written short: a key, a pure token, an integer, a string.
import type { SpecArgument } from '../../codegen/spec-types.js';

export const key: SpecArgument = { name: 'key', type: 'key', key_spec_index: 0 };

export const tok = (name: string, token: string, extra: Partial<SpecArgument> = {}): SpecArgument => ({
  name,
  type: 'pure-token',
  token,
  ...extra,
});

export const int = (name: string, extra: Partial<SpecArgument> = {}): SpecArgument => ({
  name,
  type: 'integer',
  ...extra,
});

export const str = (name: string, extra: Partial<SpecArgument> = {}): SpecArgument => ({
  name,
  type: 'string',
  ...extra,
});
