import { describe, expect, it } from 'vitest';
import { COMMAND_TABLE } from '../../generated/command-table.js';
import { AbortError, ConnectionError, ReplyError, TimeoutError } from '../../src/errors.js';
import { blocksNow } from '../../src/runner/blocking.js';
import { finalError, mayResend, onlyReads } from '../../src/runner/policy.js';

const written = () =>
  new ConnectionError('GET: connection closed', { command: 'GET', mayHaveExecuted: true });
const unsent = () => new ConnectionError('GET: not sent', { command: 'GET', mayHaveExecuted: false });

describe('the at-most-once rule', () => {
  it('re-sends what was never written, whatever the command', () => {
    expect(mayResend(unsent(), false, undefined)).toBe(true);
  });

  it('re-sends a written call only when it only reads or the caller says it is idempotent', () => {
    expect(mayResend(written(), false, undefined)).toBe(false);
    expect(mayResend(written(), true, undefined)).toBe(true);
    expect(mayResend(written(), false, { idempotent: true })).toBe(true);
  });

  it('never re-sends after a timeout, an abort or a server error', () => {
    const timeout = new TimeoutError('t', { mayHaveExecuted: false });
    const abort = new AbortError('a', { mayHaveExecuted: false });
    expect(mayResend(timeout, true, { idempotent: true })).toBe(false);
    expect(mayResend(abort, true, { idempotent: true })).toBe(false);
    expect(mayResend(new ReplyError('ERR x'), true, undefined)).toBe(false);
  });

  it('reads the table: GET only reads; INCR writes; BLPOP blocks; XREAD reads unless BLOCK is given', () => {
    expect(onlyReads(COMMAND_TABLE.GET, ['GET', 'k'])).toBe(true);
    expect(onlyReads(COMMAND_TABLE.INCR, ['INCR', 'k'])).toBe(false);
    expect(onlyReads(COMMAND_TABLE.BLPOP, ['BLPOP', 'k', 1])).toBe(false);
    expect(onlyReads(COMMAND_TABLE.XREAD, ['XREAD', 'STREAMS', 's', '0'])).toBe(true);
    expect(onlyReads(COMMAND_TABLE.XREAD, ['XREAD', 'BLOCK', 10, 'STREAMS', 's', '0'])).toBe(false);
    expect(blocksNow(COMMAND_TABLE.XREAD, ['XREAD', 'block', 0, 'STREAMS', 's', '$'])).toBe(true);
    expect(blocksNow(COMMAND_TABLE.XREADGROUP, ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '>'])).toBe(
      false,
    );
  });
});

describe('the final error', () => {
  const outcome = { command: 'GET', earlierMayHaveExecuted: false, timeout: 300, deadlinePassed: false };

  it('is the attempt error when nothing more is known', () => {
    const error = written();
    expect(finalError(error, outcome)).toBe(error);
  });

  it('is a new TimeoutError, with the attempt error as cause, when the deadline passed', () => {
    const error = written();
    const final = finalError(error, { ...outcome, deadlinePassed: true }) as TimeoutError;
    expect(final).toBeInstanceOf(TimeoutError);
    expect(final).toMatchObject({ command: 'GET', mayHaveExecuted: true, cause: error });
    expect(final.message).toBe('GET timed out after 300 ms; it may have executed');
    expect(final.stack?.split('\n')[0]).toBe(`TimeoutError: ${final.message}`);
  });

  it('keeps a TimeoutError or AbortError as it is', () => {
    const timeout = new TimeoutError('GET timed out', { mayHaveExecuted: true });
    const abort = new AbortError('GET aborted', { mayHaveExecuted: false });
    expect(finalError(timeout, { ...outcome, deadlinePassed: true })).toBe(timeout);
    expect(finalError(abort, { ...outcome, deadlinePassed: true, earlierMayHaveExecuted: true })).toBe(abort);
  });

  it('says an unsent attempt after a written one may have executed, in message and stack alike', () => {
    const error = unsent();
    const final = finalError(error, { ...outcome, earlierMayHaveExecuted: true }) as ConnectionError;
    expect(final).not.toBe(error);
    expect(final).toBeInstanceOf(ConnectionError);
    expect(final.mayHaveExecuted).toBe(true);
    expect(final.message).toBe('GET: not sent; an earlier attempt was written and may have executed');
    expect(final.stack?.split('\n')[0]).toBe(`ConnectionError: ${final.message}`);
    expect(error.mayHaveExecuted).toBe(false);
  });
});
