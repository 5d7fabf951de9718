import { describe, expect, it } from 'vitest';
import { COMMAND_TABLE } from '../../generated/command-table.js';
import { build, commandInfoFor, rawCommand } from '../../src/runner/build.js';

describe('commands the client builds itself', () => {
  it('come from the generated methods: wire form and table entry from the spec', () => {
    expect(build.watch('a', 'b')).toMatchObject({ info: COMMAND_TABLE.WATCH, args: ['WATCH', 'a', 'b'] });
    expect(build.multi()).toMatchObject({ info: COMMAND_TABLE.MULTI, args: ['MULTI'] });
    expect(build.exec().info.transactionControl).toBe(true);
    expect(build.scriptLoad('return 1')).toMatchObject({
      info: COMMAND_TABLE['SCRIPT LOAD'],
      args: ['SCRIPT', 'LOAD', 'return 1'],
    });
    expect(build.evalsha('abc', { keys: ['k'], arguments: ['1'] }).args).toEqual([
      'EVALSHA',
      'abc',
      1,
      'k',
      '1',
    ]);
    expect(build.subscribe('c').info.subscriber).toBe(true);
    expect(build.publish('c', 'm').info.subscriber).toBe(false);
  });

  it('find the table entry of a raw argument list, subcommands included; unknown ones are writes', () => {
    expect(commandInfoFor(['client', 'kill', 'ID', 1])).toBe(COMMAND_TABLE['CLIENT KILL']);
    expect(commandInfoFor(['GET', 'k'])).toBe(COMMAND_TABLE.GET);
    const unknown = rawCommand(['NOSUCH.CMD', 'x']);
    expect(unknown.info).toMatchObject({
      name: 'NOSUCH.CMD',
      write: true,
      readonly: false,
      subscriber: false,
    });
    expect(unknown.shape).toEqual({ kind: 'any' });
  });
});
