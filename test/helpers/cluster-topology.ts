// Pure parsing for the cluster helper: CLUSTER NODES lines, slot owners, and a canonical form of a
// CLUSTER SLOTS reply so that two nodes' views compare as strings. No I/O here.

export interface NodeLine {
  readonly id: string;
  /** host:port (the `@busport` and `,hostname` parts dropped). */
  readonly address: string;
  readonly flags: readonly string[];
  /** The primary's id when this node is a replica. */
  readonly primaryId: string | undefined;
  /** Flagged fail, fail? (PFAIL), handshake or noaddr: not a node to use. */
  readonly failed: boolean;
  /** Owned slot ranges, inclusive; importing/migrating markers left out. */
  readonly slots: readonly (readonly [number, number])[];
  /** The `[slot->-id]` / `[slot-<-id]` markers: slots this node is migrating or importing. */
  readonly transfers: readonly string[];
}

export function parseClusterNodes(text: string): NodeLine[] {
  const lines: NodeLine[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(' ');
    const [id, addr, flagField, primary] = fields;
    if (!id || !addr || !flagField || !primary) continue;
    const flags = flagField.split(',');
    const slots: [number, number][] = [];
    const transfers: string[] = [];
    for (const entry of fields.slice(8)) {
      if (entry.startsWith('[')) {
        transfers.push(entry);
        continue;
      }
      const [from, to] = entry.split('-');
      slots.push([Number(from), Number(to ?? from)]);
    }
    lines.push({
      id,
      address: addr.split(/[@,]/)[0] ?? addr,
      flags,
      primaryId: flags.includes('slave') && primary !== '-' ? primary : undefined,
      failed: flags.some((f) => f === 'fail' || f === 'fail?' || f === 'handshake' || f === 'noaddr'),
      slots,
      transfers,
    });
  }
  return lines;
}

/**
 * One node's CLUSTER NODES as a canonical string (`id role primary slots state` per node, sorted)
 * so views compare as strings, or the reason the view is not settled: a live node flagged failing,
 * a dead node not yet flagged fail, a slot still migrating or importing.
 */
export function nodesSignature(
  lines: readonly NodeLine[],
  alive: (id: string) => boolean,
): { signature: string } | { problem: string } {
  const out: string[] = [];
  for (const line of lines) {
    const live = alive(line.id);
    if (live && line.failed) return { problem: `sees ${line.address} as ${line.flags.join(',')}` };
    if (!live && !line.flags.includes('fail')) {
      return { problem: `does not see the stopped ${line.address} as failed yet (${line.flags.join(',')})` };
    }
    if (line.transfers.length > 0) return { problem: `has slots in transfer: ${line.transfers.join(' ')}` };
    const role = line.flags.includes('slave') ? `replica-of ${line.primaryId ?? '?'}` : 'primary';
    const slots = line.slots.map(([from, to]) => `${from}-${to}`).join(',');
    out.push(`${line.id} ${role} ${slots} ${live ? 'up' : 'down'}`);
  }
  return { signature: out.sort().join('\n') };
}

/** Id of the node that owns `slot` in this view; throws when nobody does. */
export function ownerOf(lines: readonly NodeLine[], slot: number): string {
  const owner = lines.find((l) => l.slots.some(([from, to]) => from <= slot && slot <= to));
  if (!owner) throw new Error(`slot ${slot} has no owner`);
  return owner.id;
}

/**
 * CLUSTER SLOTS as one line per range, `from-to primary-id replica-ids...` (replicas sorted),
 * ranges in slot order, or a line saying how many slots are uncovered: equal strings, equal maps.
 */
export function slotMapSignature(reply: unknown): string {
  if (!Array.isArray(reply)) throw new Error(`CLUSTER SLOTS answered ${typeof reply}`);
  let covered = 0;
  const ranges = reply.map((entry: unknown) => {
    if (!Array.isArray(entry)) throw new Error('CLUSTER SLOTS: a range is not an array');
    const [from, to, ...nodes] = entry as [number, number, ...unknown[][]];
    covered += to - from + 1;
    const ids = nodes.map((n) => String(n[2]));
    const [primary = '?', ...replicas] = ids;
    return { from, line: `${from}-${to} ${[primary, ...replicas.sort()].join(' ')}` };
  });
  ranges.sort((a, b) => a.from - b.from);
  const lines = ranges.map((r) => r.line);
  if (covered !== 16384) lines.push(`${16384 - covered} slots uncovered`);
  return lines.join('\n');
}

/** The first line in which two signatures differ, for an error message. */
export function describeMismatch(a: string, b: string): string {
  const left = a.split('\n');
  const right = b.split('\n');
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    if (left[i] !== right[i]) return `"${left[i] ?? '(none)'}" vs "${right[i] ?? '(none)'}"`;
  }
  return 'identical';
}
