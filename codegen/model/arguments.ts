// The spec's argument tree as the model reads it: widened by overrides (spec/overrides
// `widenArguments`: an integer that also takes a string, such as a SCAN cursor), single-argument
// blocks flattened, and the documentation of each argument (summary, wire form, servers, since,
// deprecation). How each argument is written and sent is the wire plan's (wire-plan.ts).
import { ModelError } from './model-error.js';
import { availabilityText } from './docs.js';
import type { ArgumentWidening, SpecArgument } from '../spec-types.js';

/**
 * An argument as the model reads it: the spec's, plus what overrides add. `accepts: 'string'` lets
 * an integer or unix-time argument take a string too, sent as given (a cursor the server replied).
 */
export interface ModelArgument extends Omit<SpecArgument, 'arguments'> {
  accepts?: ArgumentWidening['accepts'];
  arguments?: ModelArgument[];
}

/** JSDoc lines of an argument: summary, the wire form, servers, since, deprecation. */
export function docsOf(arg: ModelArgument): string[] {
  const docs: string[] = [];
  if (arg.summary !== undefined) docs.push(arg.summary);
  docs.push(`Wire: ${displayOf(arg)}`);
  // Set by the merge only where not every server takes the argument.
  if (arg.availability !== undefined) docs.push(`Servers: ${availabilityText(arg.availability, Infinity)}`);
  for (const choice of arg.type === 'oneof' ? (arg.arguments ?? []) : []) {
    if (choice.availability !== undefined)
      docs.push(`${displayOf(choice)}: ${availabilityText(choice.availability, Infinity)}`);
  }
  if (arg.since !== undefined) docs.push(`@since ${arg.since}`);
  if (arg.deprecated_since !== undefined) docs.push(`@deprecated since ${arg.deprecated_since}`);
  return docs;
}

/** The argument as the command syntax shows it, e.g. `[EX seconds | PX milliseconds | KEEPTTL]`. */
export function displayOf(arg: ModelArgument): string {
  let inner: string;
  if (arg.type === 'pure-token') inner = arg.token ?? arg.name;
  else if (arg.type === 'oneof') inner = (arg.arguments ?? []).map(displayOf).join(' | ');
  else if (arg.type === 'block') inner = (arg.arguments ?? []).map(displayOf).join(' ');
  else inner = arg.display ?? arg.name;
  if (arg.token !== undefined && arg.type !== 'pure-token') inner = `${arg.token} ${inner}`;
  if (arg.type === 'oneof' && !arg.optional) inner = `<${inner}>`;
  if (arg.multiple)
    inner = `${inner} [${arg.multiple_token && arg.token !== undefined ? `${arg.token} ` : ''}${inner} ...]`;
  return arg.optional ? `[${inner}]` : inner;
}

function widenAt(
  command: string,
  args: readonly ModelArgument[],
  path: readonly string[],
  widening: ArgumentWidening,
): ModelArgument[] {
  const [name, ...rest] = path;
  const at = args.findIndex((a) => a.name === name);
  const target = args[at];
  if (target === undefined)
    throw new ModelError(`${command}: widened argument '${widening.argument}' not found`);
  const copy: ModelArgument =
    rest.length === 0
      ? { ...target, accepts: widening.accepts }
      : { ...target, arguments: widenAt(command, target.arguments ?? [], rest, widening) };
  return args.map((a, i) => (i === at ? copy : a));
}

/**
 * The spec's argument tree with an override's widenings marked on it (copied, never mutated).
 * validate.ts has checked that each names an integer or unix-time argument.
 */
export function widenArguments(
  command: string,
  args: readonly SpecArgument[],
  widenings: readonly ArgumentWidening[],
): ModelArgument[] {
  return widenings.reduce<ModelArgument[]>(
    (tree, w) => widenAt(command, tree, w.argument.split('.'), w),
    [...args],
  );
}

/**
 * A block without a token around one plain argument (Redis 7.0's PSUBSCRIBE `pattern`, CONFIG GET
 * `parameter`: later releases write the argument alone) sends exactly what that argument sends, so
 * it is that argument, under the block's name, optional and multiple. One spelling, one signature,
 * whichever release the spec comes from.
 */
export function flattenSingleBlocks(args: readonly SpecArgument[]): SpecArgument[] {
  return args.map((arg) => {
    const nested = arg.arguments === undefined ? undefined : flattenSingleBlocks(arg.arguments);
    const only = nested?.length === 1 ? nested[0] : undefined;
    if (
      arg.type === 'block' &&
      arg.token === undefined &&
      only !== undefined &&
      only.token === undefined &&
      only.optional !== true &&
      only.multiple !== true &&
      only.arguments === undefined
    ) {
      const { arguments: _, ...block } = arg;
      return { ...only, ...block, type: only.type };
    }
    return nested === undefined ? arg : { ...arg, arguments: nested };
  });
}
