// Starts real redis-server / valkey-server processes on free loopback ports for tests, with
// persistence off, and stops them when the test file ends (or the process exits). Never port 6379.
// spawnServer and stopProcess are the shared spawn/stop logic (cluster.ts starts its nodes with
// them); every child they start is SIGKILLed when the test process exits.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serverBinary, type Flavour } from './binaries.js';

export interface TestServer {
  readonly flavour: Flavour;
  readonly host: string;
  readonly port: number;
  readonly url: string;
  readonly dir: string;
  readonly process: ChildProcess;
  /** Stops the server (SIGTERM, then SIGKILL after 2 s) and removes its directory. */
  stop(): Promise<void>;
}

export interface StartOptions {
  flavour?: Flavour;
  /** Extra server arguments, e.g. ['--requirepass', 'x']. */
  args?: string[];
  /** Extra lines for a config file (for directives that cannot be given as arguments). */
  config?: string[];
  /** Start in sentinel mode (monitoring nothing unless config says so). */
  sentinel?: boolean;
  /** Use this port instead of a free one (restart on the same port). */
  port?: number;
  /** Wait for a TCP port to accept; false for servers that listen only on TLS/unix. */
  waitPort?: number | false;
}

export interface SpawnOptions extends StartOptions {
  /** The server's working directory (it must exist); its config file is written there. */
  dir: string;
  /**
   * Config lines chosen anew for every attempt at a port (a port that turned out taken is retried
   * with a fresh one): e.g. a cluster bus port, which can be taken as well.
   */
  perAttempt?: () => Promise<string[]>;
}

export interface SpawnedServer {
  readonly port: number;
  readonly process: ChildProcess;
  /** Everything the server printed so far (stdout and stderr). */
  output(): string;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

// Ports freePort has handed out: servers started side by side (a cluster's nodes and bus ports)
// are not all listening yet when the next port is picked, so the OS may offer one again.
const handedOut = new Set<number>();

/** A port free on 127.0.0.1 now, never 6379, never one this process was given before. */
export async function freePort(): Promise<number> {
  const port = await new Promise<number>((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
  if (port === 6379 || handedOut.has(port)) return freePort();
  handedOut.add(port);
  return port;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = new Socket();
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
    sock.connect(port, '127.0.0.1');
  });
}

async function waitUntil(
  check: () => Promise<boolean>,
  child: ChildProcess,
  what: string,
  log: () => string,
) {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}:\n${log()}`);
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${what} did not start within 10 s:\n${log()}`);
}

/**
 * Starts one server process in `dir` (config file `server.conf` there) and resolves once it
 * accepts connections. Without a fixed port, a port that turns out taken is retried up to 3 times.
 */
export async function spawnServer(options: SpawnOptions): Promise<SpawnedServer> {
  const flavour = options.flavour ?? 'redis';
  const bin = serverBinary(flavour);
  const { dir } = options;
  for (let attempt = 0; ; attempt++) {
    const port = options.port ?? (await freePort());
    const conf = join(dir, 'server.conf');
    const lines = [
      `port ${port}`,
      'bind 127.0.0.1',
      `dir ${dir}`,
      ...(options.sentinel ? [] : ["save ''", 'appendonly no']),
      ...(options.config ?? []),
      ...(options.perAttempt ? await options.perAttempt() : []),
    ];
    writeFileSync(conf, lines.join('\n') + '\n');
    const args = [conf, ...(options.sentinel ? ['--sentinel'] : []), ...(options.args ?? [])];
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    child.once('exit', () => running.delete(child));
    const waitPort = options.waitPort === undefined ? port : options.waitPort;
    try {
      if (waitPort !== false) {
        await waitUntil(
          () => canConnect(waitPort),
          child,
          `${flavour}-server on ${port}`,
          () => output,
        );
      } else {
        await waitUntil(
          async () => output.includes('Ready to accept'),
          child,
          `${flavour}-server`,
          () => output,
        );
      }
    } catch (err) {
      child.kill('SIGKILL');
      if (attempt < 3 && options.port === undefined && /Address already in use/.test(output)) continue;
      throw err;
    }
    return { port, process: child, output: () => output };
  }
}

/** SIGTERM, then SIGKILL after 2 s; resolves once the process has exited (at once if it had). */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
  await exited;
  clearTimeout(timer);
}

export async function startServer(options: StartOptions = {}): Promise<TestServer> {
  const flavour = options.flavour ?? 'redis';
  serverBinary(flavour); // a missing binary fails before a directory is made
  const dir = mkdtempSync(join(tmpdir(), 'redspec-srv-'));
  let spawned: SpawnedServer;
  try {
    spawned = await spawnServer({ ...options, flavour, dir });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const child = spawned.process;
  const stop = async () => {
    await stopProcess(child);
    // Also after a test killed the server itself (kill -9 scenarios): no directory is left.
    rmSync(dir, { recursive: true, force: true });
  };
  const { port } = spawned;
  return { flavour, host: '127.0.0.1', port, url: `redis://127.0.0.1:${port}`, dir, process: child, stop };
}
