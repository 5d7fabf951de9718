// The prose of generated/API.md above the signature list: the call-form rules of the wire plan
// (codegen/model/wire-plan.ts) in words, and what they changed from the spec-literal forms, so a
// reader of the report (or of its diff) knows how a signature is meant to be called.
export const CALL_FORMS = `## Call forms

- Required arguments are positional, in spec order; optional ones are keys of one options object
  (the last parameter). A bad value, or an options key the command does not know, rejects the call
  with a TypeError naming the command and the parameter; nothing is sent.
- An optional argument or block member with a word token is keyed by the token in camelCase
  (\`BLOCK milliseconds\` → \`block\`, \`MATCH pattern\` → \`match\`, \`ALPHA\` → \`alpha\`,
  \`INCR\` → \`incr\`), else by its name. Arrays at the top level have plural names (\`keys\`,
  \`elements\`, \`arguments\`); block members keep the spec's names (\`{ key: [...], id: [...] }\`).
- An optional choice of word tokens (alone or with one value) is written as the token itself, at
  most one of them: \`{ NX: true }\`, \`{ EX: 10 }\`, \`{ BYSCORE: true }\`.
- An optional block without a token lends its members to the object around it
  (\`hrandfield(key, { count, withvalues })\`); it is sent when any of them is given.
- A repeated (name, value) block takes an object, a Map or an array of pairs (HSET, MSET, XADD,
  CONFIG SET); a count of keys or items the client can work out is no parameter (\`numkeys\`,
  HEXPIRE's \`numfields\`).
- Values take numbers (finite; sent in decimal) and bigints; variadic values take an array, or
  several arguments each a value or an array; doubles take \`±Infinity\` (sent as \`±inf\`).

### Changed from the spec-literal forms

| before | now |
| --- | --- |
| \`set(k, v, { condition: 'NX', expiration: { EX: 10 } })\` | \`set(k, v, { NX: true, EX: 10 })\` |
| \`zrange(k, a, b, { sortby: 'BYSCORE' })\` | \`zrange(k, a, b, { BYSCORE: true })\` |
| \`xread(streams, { milliseconds: 1000 })\` | \`xread(streams, { block: 1000 })\` |
| \`scan(cursor, { pattern })\` | \`scan(cursor, { match })\` |
| \`eval(script, { key: [...], arg: [...] })\` | \`eval(script, { keys: [...], arguments: [...] })\` |
| \`hrandfield(k, { options: { count, withvalues } })\` | \`hrandfield(k, { count, withvalues })\` |
| \`hexpire(k, s, { numfields: 2, field: ['a', 'b'] })\` | \`hexpire(k, s, ['a', 'b'])\` |
| \`lpos(k, e, { numMatches: 0 })\`, \`zadd(k, d, { increment: true })\` | \`{ count: 0 }\`, \`{ incr: true }\` |
`;
