// Given/want cases for the cluster helper's parsing: CLUSTER NODES lines (flags, transfers, bus port
// and hostname suffixes) and the canonical CLUSTER SLOTS / CLUSTER NODES forms that views compare by.
import { describe, expect, it } from 'vitest';
import {
  describeMismatch,
  nodesSignature,
  ownerOf,
  parseClusterNodes,
  slotMapSignature,
} from './cluster-topology.js';

const a = 'a'.repeat(40);
const b = 'b'.repeat(40);
const c = 'c'.repeat(40);
const nodes = [
  `${a} 127.0.0.1:7000@17000,host-a myself,master - 0 0 1 connected 0-8000 [8001->-${b}]`,
  `${b} 127.0.0.1:7001@17001 master - 0 1 2 connected 8001-16383 [8001-<-${a}]`,
  `${c} 127.0.0.1:7002@17002 slave,fail ${a} 0 1 1 disconnected`,
  '',
].join('\n');

describe('parseClusterNodes', () => {
  it('reads ids, addresses, roles, failure flags, slots and transfers', () => {
    const lines = parseClusterNodes(nodes);
    expect(lines.map((l) => l.address)).toEqual(['127.0.0.1:7000', '127.0.0.1:7001', '127.0.0.1:7002']);
    expect(lines[0]).toMatchObject({ id: a, primaryId: undefined, failed: false, slots: [[0, 8000]] });
    expect(lines[0]?.transfers).toEqual([`[8001->-${b}]`]);
    expect(lines[2]).toMatchObject({ primaryId: a, failed: true, slots: [] });
    expect(ownerOf(lines, 8000)).toBe(a);
    expect(ownerOf(lines, 8001)).toBe(b);
    expect(() => ownerOf(parseClusterNodes(''), 0)).toThrow(/slot 0 has no owner/);
  });
});

describe('nodesSignature', () => {
  it('reports slots in transfer, live nodes seen failing and dead ones not yet failed', () => {
    const lines = parseClusterNodes(nodes);
    expect(nodesSignature(lines, () => false)).toEqual({ problem: expect.stringMatching(/7000 as failed/) });
    expect(nodesSignature(lines, (id) => id !== c)).toEqual({
      problem: expect.stringMatching(/in transfer/),
    });
    const settled = parseClusterNodes(nodes.replace(/ \[[^\]]*\]/g, ''));
    expect(nodesSignature(settled, () => true)).toEqual({
      problem: expect.stringMatching(/7002 as slave,fail/),
    });
    expect(nodesSignature(settled, (id) => id !== c)).toEqual({
      signature: [`${a} primary 0-8000 up`, `${b} primary 8001-16383 up`, `${c} replica-of ${a}  down`].join(
        '\n',
      ),
    });
  });
});

describe('slotMapSignature', () => {
  it('orders ranges and replicas, and counts uncovered slots', () => {
    const reply = [
      [8001, 16383, ['127.0.0.1', 7001, b]],
      [0, 8000, ['127.0.0.1', 7000, a], ['127.0.0.1', 7003, 'z'], ['127.0.0.1', 7002, c]],
    ];
    expect(slotMapSignature(reply)).toBe(`0-8000 ${a} ${c} z\n8001-16383 ${b}`);
    expect(slotMapSignature([[0, 99, ['127.0.0.1', 7000, a]]])).toBe(`0-99 ${a}\n16284 slots uncovered`);
    expect(describeMismatch('x\ny', 'x\nz')).toBe('"y" vs "z"');
  });
});
