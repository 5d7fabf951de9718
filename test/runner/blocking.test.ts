import { describe, expect, it } from 'vitest';
import { COMMAND_TABLE } from '../../generated/command-table.js';
import { blockingDeadline, blockingWaitMs } from '../../src/runner/blocking.js';

describe('blocking deadlines from the command table', () => {
  it('reads seconds at the end (BLPOP), at the start (BLMPOP) and milliseconds after a token (XREAD BLOCK)', () => {
    expect(blockingWaitMs(COMMAND_TABLE.BLPOP, ['BLPOP', 'a', 'b', '1.5'])).toBe(1500);
    expect(blockingWaitMs(COMMAND_TABLE.BLMPOP, ['BLMPOP', 2, 1, 'k', 'LEFT'])).toBe(2000);
    expect(
      blockingWaitMs(COMMAND_TABLE.XREAD, ['XREAD', 'COUNT', 1, 'block', 250, 'STREAMS', 's', '$']),
    ).toBe(250);
    expect(blockingWaitMs(COMMAND_TABLE.WAIT, ['WAIT', 1, 100])).toBe(100);
  });

  it('gives no client deadline to a call that may block forever', () => {
    expect(blockingWaitMs(COMMAND_TABLE.BLPOP, ['BLPOP', 'a', 0])).toBeUndefined();
    expect(blockingDeadline(COMMAND_TABLE.BLPOP, ['BLPOP', 'a', 0], 500)).toBe(0);
    expect(blockingWaitMs(COMMAND_TABLE.XREAD, ['XREAD', 'STREAMS', 's', '$'])).toBeUndefined();
  });

  it('adds the client budget to how long the server may block', () => {
    expect(blockingDeadline(COMMAND_TABLE.BLPOP, ['BLPOP', 'a', 2], 500)).toBe(2500);
    expect(blockingDeadline(COMMAND_TABLE.BLPOP, ['BLPOP', 'a', 2], 0)).toBe(3000);
  });
});
