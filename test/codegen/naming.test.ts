// The one naming rule: spec names → method, parameter, property, type, group and file names.
import { describe, expect, it } from 'vitest';
import {
  camelCase,
  docsUrl,
  groupFileName,
  groupInterfaceName,
  groupMixinName,
  methodName,
  optionsTypeName,
  parameterName,
  propertyKey,
  propertyName,
  quote,
  replyTypeName,
} from '../../codegen/naming.js';

describe('naming', () => {
  it.each([
    ['GET', 'get'],
    ['HGETALL', 'hgetall'],
    ['CLIENT KILL', 'clientKill'],
    ['FT.SEARCH', 'ftSearch'],
    ['CLIENT NO-EVICT', 'clientNoEvict'],
    ['BITFIELD_RO', 'bitfieldRo'],
    ['CLUSTER COUNT-FAILURE-REPORTS', 'clusterCountFailureReports'],
    ['SENTINEL IS-MASTER-DOWN-BY-ADDR', 'sentinelIsMasterDownByAddr'],
    ['CLIENT|LIST', 'clientList'],
  ])('method of %s is %s', (name, want) => {
    expect(methodName(name)).toBe(want);
  });

  it.each([
    ['key', 'key'],
    ['unix-time-seconds', 'unixTimeSeconds'],
    ['num-matches', 'numMatches'],
    ['get-block', 'getBlock'],
    ['function', 'functionArg'],
    ['delete', 'deleteArg'],
    ['default', 'defaultArg'],
  ])('parameter of %s is %s', (name, want) => {
    expect(parameterName(name)).toBe(want);
  });

  it('keeps reserved words as property names (they are valid keys)', () => {
    expect(propertyName('function')).toBe('function');
    expect(propertyName('delete')).toBe('delete');
  });

  it('names types after the method, keeping its inner capitals', () => {
    expect(optionsTypeName('clientKill')).toBe('ClientKillOptions');
    expect(replyTypeName('zrange')).toBe('ZrangeReply');
    expect(replyTypeName('set', 'get')).toBe('SetGetReply');
    expect(replyTypeName('zrandmember', 'with-scores')).toBe('ZrandmemberWithScoresReply');
  });

  it('names groups, their interfaces, mixins and files', () => {
    expect(groupFileName('sorted_set')).toBe('sorted-set');
    expect(groupFileName('sorted-set')).toBe('sorted-set');
    expect(groupInterfaceName('sorted_set')).toBe('SortedSetCommands');
    expect(groupMixinName('sorted-set')).toBe('sortedSetCommandMethods');
    expect(groupInterfaceName('hyperloglog')).toBe('HyperloglogCommands');
  });

  it('quotes property keys that are not identifiers', () => {
    expect(propertyKey('len')).toBe('len');
    expect(propertyKey('radix-tree-keys')).toBe("'radix-tree-keys'");
    expect(propertyKey('LIB-NAME')).toBe("'LIB-NAME'");
    expect(quote("it's\\")).toBe("'it\\'s\\\\'");
  });

  it('links to the command page', () => {
    expect(docsUrl('CLIENT KILL')).toBe('https://valkey.io/commands/client-kill/');
    expect(docsUrl('GET')).toBe('https://valkey.io/commands/get/');
    expect(docsUrl('CLIENT KILL', 'redis')).toBe('https://redis.io/docs/latest/commands/client-kill/');
  });

  it('refuses names that cannot become identifiers', () => {
    expect(() => camelCase('1st')).toThrow(/identifier/);
    expect(() => camelCase('a+b')).toThrow(/identifier/);
  });
});
