// One rule for sibling arguments that share a name, used by spec:pull and spec:import alike.
// Redis 7.0 repeats names among siblings (GEORADIUS `key` for STORE, XCLAIM `id` for LASTID, SORT
// `pattern` for GET, ...); 7.2 renamed them after their tokens. A repeated name becomes its token in
// lower case (`store`, `lastid`, `get`), or gets a numeric suffix when it has no token; the first
// occurrence keeps its name, and the server's name stays as `display`.

interface NamedArgument {
  name: string;
  token?: string;
  display?: string;
}

/** Renames repeated sibling names in place; calls `renamed(index, from, to)` for each one. */
export function distinctSiblingNames<A extends NamedArgument>(
  args: A[],
  renamed: (index: number, from: string, to: string) => void = () => undefined,
): A[] {
  const used = new Set<string>();
  args.forEach((arg, i) => {
    if (used.has(arg.name)) {
      let name = typeof arg.token === 'string' ? arg.token.toLowerCase() : undefined;
      for (let n = 2; name === undefined || name === '' || used.has(name); n++) name = `${arg.name}-${n}`;
      arg.display ??= arg.name; // the docs still show the server's name
      renamed(i, arg.name, name);
      arg.name = name;
    }
    used.add(arg.name);
  });
  return args;
}
