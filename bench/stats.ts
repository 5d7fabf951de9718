// Summary statistics for the benches: medians, ranges, and ratios to the best peer (the best
// contender other than redspec), so every figure says where a client stands against the field.

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median of the best peer's samples (`higher`: larger is better), or NaN when there is no peer. */
export function bestPeer(samples: Record<string, readonly number[]>, self: string, higher = true): number {
  let best = NaN;
  for (const [name, values] of Object.entries(samples)) {
    if (name === self || values.length === 0) continue;
    const m = median(values);
    if (Number.isNaN(best) || (higher ? m > best : m < best)) best = m;
  }
  return best;
}

/**
 * `median (min..max) ratio×` for one contender; the ratio is to the best peer, oriented so that
 * above 1 is better (throughput / best throughput, or best CPU time / CPU time).
 */
export function ratioCell(
  samples: Record<string, readonly number[]>,
  name: string,
  self: string,
  digits: number,
  higher = true,
): string {
  const values = samples[name];
  if (values === undefined || values.length === 0) return '–';
  const m = median(values);
  const best = bestPeer(samples, self, higher);
  const ratio = higher ? m / best : best / m;
  const f = (x: number) => x.toFixed(digits);
  return `${f(m)} (${f(Math.min(...values))}..${f(Math.max(...values))}) ${ratio.toFixed(2)}×`;
}

/** The ratio to the best peer of each round's figure, for min..max of a ratio. */
export function ratioOf(
  samples: Record<string, readonly number[]>,
  name: string,
  self: string,
  higher = true,
): number {
  const best = bestPeer(samples, self, higher);
  const m = median(samples[name] ?? []);
  return higher ? m / best : best / m;
}
