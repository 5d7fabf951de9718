// Type tests for the replies whose type an argument or the caller chooses (the corpus checks that
// real values fit these types; here the types themselves are pinned): XPENDING's two forms, GEO
// WITH*, XINFO STREAM FULL, COMMAND DOCS's nested arguments, HELLO's proto, the float rule, LCS,
// and the EVAL family's and scripts' type parameter.
import { describe, expectTypeOf, it } from 'vitest';
import type { RedisClient } from '../../src/client/client.js';
import type { CommandDocsArgument, XinfoStreamFullReply } from '../../generated/index.js';

declare const r: RedisClient;
const FROM = { FROMMEMBER: 'm' } as const;
const BY = { circle: { byradius: 1, unit: 'km' } } as const;

describe('replies chosen by arguments', () => {
  it('types XPENDING summary and extended forms by `filters`', () => {
    expectTypeOf(r.xpending('s', 'g')).resolves.toEqualTypeOf<
      [number, string | null, string | null, [string, string][] | null]
    >();
    expectTypeOf(
      r.xpending('s', 'g', { start: '-', end: '+', count: 10 }),
    ).resolves.toEqualTypeOf<[string, string, number, number][]>();
  });

  it('types GEO replies with WITH* as [name, ...numbers and coordinates], numbers throughout', () => {
    type With = [string, ...(number | [number, number])[]][];
    expectTypeOf(r.geosearch('k', FROM, BY)).resolves.toEqualTypeOf<string[]>();
    expectTypeOf(r.geosearch('k', FROM, BY, { withdist: true })).resolves.toEqualTypeOf<With>();
    expectTypeOf(r.geosearch('k', FROM, BY, { withcoord: true, withhash: true })).resolves.toEqualTypeOf<With>();
    expectTypeOf(r.georadius('k', 1, 2, 3, 'km', { withcoord: true })).resolves.toEqualTypeOf<With>();
    expectTypeOf(r.georadius('k', 1, 2, 3, 'km', { STORE: 'd' })).resolves.toEqualTypeOf<number>();
    expectTypeOf(r.georadiusbymember('k', 'm', 3, 'km', { withdist: true })).resolves.toEqualTypeOf<With>();
    expectTypeOf(r.georadiusRo('k', 1, 2, 3, 'km', { withhash: true })).resolves.toEqualTypeOf<With>();
    expectTypeOf(r.georadiusbymemberRo('k', 'm', 3, 'km')).resolves.toEqualTypeOf<string[]>();
    expectTypeOf(r.geodist('k', 'a', 'b')).resolves.toEqualTypeOf<number | null>();
  });

  it('types XINFO STREAM FULL with groups and consumers as objects', () => {
    expectTypeOf(r.xinfoStream('s', { full: true })).resolves.toEqualTypeOf<XinfoStreamFullReply>();
    type Group = NonNullable<XinfoStreamFullReply['groups']>[number];
    type Consumer = NonNullable<Group['consumers']>[number];
    expectTypeOf<Group['name']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Consumer['pel-count']>().toEqualTypeOf<number | undefined>();
    expectTypeOf(r.xinfoStream('s')).resolves.toHaveProperty('groups').toEqualTypeOf<number | undefined>();
  });

  it('types COMMAND DOCS arguments as argument objects to any depth', () => {
    type Docs = Awaited<ReturnType<typeof r.commandDocs>>[string];
    expectTypeOf<Docs['arguments']>().toEqualTypeOf<CommandDocsArgument[] | undefined>();
    expectTypeOf<CommandDocsArgument['arguments']>().toEqualTypeOf<CommandDocsArgument[] | undefined>();
    expectTypeOf<CommandDocsArgument['token']>().toEqualTypeOf<string | undefined>();
  });

  it('types HELLO proto as 2 or 3', () => {
    expectTypeOf(r.hello()).resolves.toHaveProperty('proto').toEqualTypeOf<2 | 3 | undefined>();
  });

  it('types every float reply as a number', () => {
    expectTypeOf(r.incrbyfloat('k', 1.5)).resolves.toEqualTypeOf<number>();
    expectTypeOf(r.hincrbyfloat('k', 'f', 1.5)).resolves.toEqualTypeOf<number>();
    expectTypeOf(r.zincrby('k', 1, 'm')).resolves.toEqualTypeOf<number>();
    expectTypeOf(r.zscore('k', 'm')).resolves.toEqualTypeOf<number | null>();
  });

  it('types LCS by LEN and IDX', () => {
    expectTypeOf(r.lcs('a', 'b')).resolves.toEqualTypeOf<string>();
    expectTypeOf(r.lcs('a', 'b', { len: true })).resolves.toEqualTypeOf<number>();
    expectTypeOf(r.lcs('a', 'b', { idx: true, withmatchlen: true })).resolves.toEqualTypeOf<{
      len?: number;
      matches?: [[number, number], [number, number], number?][];
    }>();
  });

  it('lets the caller type script and function replies', () => {
    expectTypeOf(r.eval('return 1')).resolves.toEqualTypeOf<unknown>();
    expectTypeOf(r.eval<number>('return 1')).resolves.toEqualTypeOf<number>();
    expectTypeOf(r.evalsha<string[]>('sha')).resolves.toEqualTypeOf<string[]>();
    expectTypeOf(r.evalRo<null>('return nil')).resolves.toEqualTypeOf<null>();
    expectTypeOf(r.evalshaRo<boolean>('sha')).resolves.toEqualTypeOf<boolean>();
    expectTypeOf(r.fcall<[number, string]>('f')).resolves.toEqualTypeOf<[number, string]>();
    expectTypeOf(r.fcallRo<string>('f')).resolves.toEqualTypeOf<string>();
    expectTypeOf(r.script<number>('return 1').run()).resolves.toEqualTypeOf<number>();
    expectTypeOf(r.pipeline().eval<number>('return 1').get('k').execOrThrow()).resolves.toEqualTypeOf<
      [number, string | null]
    >();
  });
});
