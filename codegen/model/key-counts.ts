// Key counts the client derives so callers cannot get them wrong. A key spec found by `keynum`
// (begin_search index pos P, find_keys keynumidx I) says wire word P+I holds how many keys its key
// argument (the one whose key_spec_index is that spec) carries. When that word is a required integer
// argument at a fixed wire position and the key argument is `multiple`, the method drops the count
// parameter and sends the array's length; any other structure keeps the count a parameter.
import type { SpecArgument, SpecCommand } from '../spec-types.js';
import { fixedStart } from './table.js';

/** Top-level argument indexes: count argument → the key argument it counts. */
export type KeyCounts = ReadonlyMap<number, number>;

/** Index of the top-level argument whose value is wire word `wire`, if its position is fixed. */
function argumentAtWire(fullName: string, args: readonly SpecArgument[], wire: number): number | undefined {
  for (let at = 0; at < args.length; at++) {
    const start = fixedStart(fullName, args, at);
    if (start === undefined) return undefined;
    const arg = args[at] as SpecArgument;
    const value = start + (arg.token === undefined ? 0 : 1);
    if (value === wire) return at;
    if (start > wire) return undefined;
  }
  return undefined;
}

export function derivedKeyCounts(fullName: string, command: SpecCommand): KeyCounts {
  const args = command.arguments ?? [];
  const out = new Map<number, number>();
  (command.key_specs ?? []).forEach((spec, specIndex) => {
    const begin = spec.begin_search;
    const find = spec.find_keys;
    if (!('index' in begin) || !('keynum' in find)) return;
    const at = argumentAtWire(fullName, args, begin.index.pos + find.keynum.keynumidx);
    if (at === undefined) return;
    const count = args[at] as SpecArgument;
    if (count.type !== 'integer' || count.optional || count.multiple) return;
    const keys = args.flatMap((a, i) => (a.key_spec_index === specIndex ? [i] : []));
    const key = keys[0];
    if (keys.length !== 1 || key === undefined || key === at || !(args[key] as SpecArgument).multiple) return;
    out.set(at, key);
  });
  return out;
}
