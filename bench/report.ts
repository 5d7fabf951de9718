// What `npm run bench` says about where it ran (machine, versions, date) and the SVG bar chart of
// each client's ratio to the best peer that the README shows.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function version(pkg: string): string {
  return (JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')) as { version: string })
    .version;
}

export interface Machine {
  date: string;
  machine: string;
  versions: Record<string, string>;
  caption: string;
}

export function machine(): Machine {
  const cpu = cpus();
  const server = execFileSync('redis-server', ['--version'], { encoding: 'utf8' }).match(/v=(\S+)/)?.[1];
  const versions = {
    node: process.version,
    'redis-server': server ?? 'unknown',
    ioredis: version('ioredis'),
    redis: version('redis'),
    'redis-parser': version('redis-parser'),
  };
  const date = new Date().toISOString().slice(0, 10);
  const where = `${cpu.length} × ${cpu[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Linux ${release()}`;
  const caption =
    `${date}; ${where}; Node ${versions.node}, redis-server ${versions['redis-server']} on loopback; ` +
    `ioredis ${versions.ioredis}, node-redis ${versions.redis}`;
  return { date, machine: where, versions, caption };
}

interface ChartInput extends Machine {
  rounds: number;
  workloads: { workload: string; ratioToBestPeer: Record<string, number> }[];
}

const COLOURS = ['#d6336c', '#1c7ed6', '#74c0fc', '#37b24d'];
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** Horizontal bars, one group per workload, one bar per client: its ratio to the best peer. */
export function writeChart(path: string, input: ChartInput): void {
  const names = Object.keys(input.workloads[0]?.ratioToBestPeer ?? {});
  const bar = 12;
  const group = names.length * bar + 14;
  // Room for the longest workload name at about 6.2 px a character (11 px sans-serif).
  const longest = Math.max(0, ...input.workloads.map((w) => w.workload.length));
  const left = Math.max(250, Math.ceil(longest * 6.2) + 16);
  const width = left + 510;
  // The caption, wrapped at its '; ' separators to the chart's width.
  const captionLines: string[] = [];
  for (const part of `${input.caption}; median of ${input.rounds} interleaved rounds`.split('; ')) {
    const last = captionLines.length - 1;
    if (last >= 0 && (captionLines[last]!.length + part.length + 2) * 6.2 < width - 20) {
      captionLines[last] += `; ${part}`;
    } else {
      captionLines.push(part);
    }
  }
  const top = 32 + captionLines.length * 14;
  const max = Math.max(2, ...input.workloads.flatMap((w) => Object.values(w.ratioToBestPeer)));
  const scale = (width - left - 60) / max;
  const height = top + input.workloads.length * group + 40;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="16" font-size="13" font-weight="bold">Throughput relative to the best peer (1.0 = best of ioredis / node-redis)</text>`,
    ...captionLines.map((line, i) => `<text x="10" y="${32 + i * 14}" fill="#555">${esc(line)}</text>`),
  ];
  names.forEach((n, i) => {
    out.push(
      `<rect x="${10 + i * 170}" y="${height - 22}" width="10" height="10" fill="${COLOURS[i % COLOURS.length]}"/>`,
      `<text x="${10 + i * 170 + 14}" y="${height - 13}">${esc(n)}</text>`,
    );
  });
  input.workloads.forEach((w, g) => {
    const y0 = top + g * group;
    out.push(`<text x="${left - 8}" y="${y0 + group / 2}" text-anchor="end">${esc(w.workload)}</text>`);
    names.forEach((n, i) => {
      const r = w.ratioToBestPeer[n] ?? 0;
      const y = y0 + i * bar;
      out.push(
        `<rect x="${left}" y="${y}" width="${(r * scale).toFixed(1)}" height="${bar - 2}" fill="${COLOURS[i % COLOURS.length]}"/>`,
        `<text x="${left + r * scale + 4}" y="${y + bar - 3}" font-size="9">${r.toFixed(2)}×</text>`,
      );
    });
  });
  const one = left + scale;
  out.push(
    `<line x1="${one}" y1="${top - 4}" x2="${one}" y2="${top + input.workloads.length * group}" stroke="#333" stroke-dasharray="3,3"/>`,
    '</svg>',
  );
  writeFileSync(path, out.join('\n') + '\n');
}
