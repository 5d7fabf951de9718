// Finds the binaries the tests run: redis-server/redis-sentinel (REDIS_SERVER, REDIS_SENTINEL or
// PATH), valkey-server (VALKEY_SERVER or the unpack of .ci/install-valkey.sh), and the CLIs that
// create clusters: redis-cli (REDIS_CLI or PATH), valkey-cli (VALKEY_CLI or next to valkey-server).
// A missing binary is a clear error naming what installs it, never a silently skipped test.
import { accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';

export type Flavour = 'redis' | 'valkey';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

const valkeyBin = join(
  process.env.REDSPEC_CACHE ?? join(homedir(), '.cache', 'redspec'),
  'valkey-8.0.1',
  'usr',
  'bin',
);
const valkeyDefault = join(valkeyBin, 'valkey-server');

export function serverBinary(flavour: Flavour): string {
  if (flavour === 'valkey') {
    const path = process.env.VALKEY_SERVER ?? valkeyDefault;
    if (!isExecutable(path)) {
      throw new Error(
        `valkey-server not found at ${path}: run .ci/install-valkey.sh (Debian bookworm-backports ` +
          `valkey-server + valkey-tools) or set VALKEY_SERVER`,
      );
    }
    return path;
  }
  const path = process.env.REDIS_SERVER ?? onPath('redis-server');
  if (!path || !isExecutable(path)) {
    throw new Error('redis-server not found: apt-get install -y redis-server (or set REDIS_SERVER)');
  }
  return path;
}

/** Sentinel mode is the server binary started with --sentinel, so it is always of the same build. */
export function sentinelBinary(flavour: Flavour): string {
  return serverBinary(flavour);
}

/** redis-cli / valkey-cli, for `--cluster create` (the cluster helper). */
export function cliBinary(flavour: Flavour): string {
  if (flavour === 'valkey') {
    const path =
      process.env.VALKEY_CLI ?? join(dirname(process.env.VALKEY_SERVER ?? valkeyDefault), 'valkey-cli');
    if (!isExecutable(path)) {
      throw new Error(
        `valkey-cli not found at ${path}: run .ci/install-valkey.sh (Debian bookworm-backports ` +
          `valkey-tools) or set VALKEY_CLI`,
      );
    }
    return path;
  }
  const path = process.env.REDIS_CLI ?? onPath('redis-cli');
  if (!path || !isExecutable(path)) {
    throw new Error('redis-cli not found: apt-get install -y redis-tools (or set REDIS_CLI)');
  }
  return path;
}
