// Starts a real local Redis Cluster / Valkey cluster for tests: N primaries and their replicas, each
// a server process in its own directory on free loopback ports (client and bus port both chosen),
// joined by `redis-cli --cluster create`. Also moves slots, fails over, kills and restarts nodes.
// Invariants: migrateSlots, failover and restart return only once waitStable holds (or throw);
// stop() leaves no process and no directory; processes die with the test process (server.ts).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { Connection } from '../../src/connection/index.js';
import { cliBinary, serverBinary, type Flavour } from './binaries.js';
import { freePort, spawnServer, stopProcess } from './server.js';
import {
  describeMismatch,
  nodesSignature,
  ownerOf,
  parseClusterNodes,
  slotMapSignature,
  type NodeLine,
} from './cluster-topology.js';

export interface ClusterNodeHandle {
  readonly host: string;
  readonly port: number;
  /** The node's cluster id (CLUSTER MYID); kept across restart(). */
  readonly id: string;
  readonly dir: string;
  /** The current process; a new one after restart(). */
  readonly process: ChildProcess;
}

export interface MigrateOptions {
  /** Keys per MIGRATE ... KEYS batch (default 10, as redis-cli's --cluster-pipeline). */
  keysPerBatch?: number;
  /** Sleep this long after every batch, while the slot is still MIGRATING/IMPORTING. */
  pauseMs?: number;
  /**
   * Runs after every batch (and once for a slot that held no keys), while the slot is still
   * MIGRATING on the source and IMPORTING on the target: a test's load here meets ASK redirects.
   */
  betweenBatches?: () => Promise<void>;
}

export interface TestCluster {
  readonly flavour: Flavour;
  /** All nodes, as at start: primaries first in slot order, then replicas in their primaries' order. */
  readonly nodes: readonly ClusterNodeHandle[];
  /** Current primaries (per CLUSTER NODES of the first live node), in slot order; failed ones left out. */
  primaries(): Promise<ClusterNodeHandle[]>;
  /** Current replicas, in their primaries' order; failed ones left out. */
  replicas(): Promise<ClusterNodeHandle[]>;
  /** Host:port strings of every node, e.g. for rootNodes. */
  readonly addresses: readonly string[];
  /** Runs a command on one node over a plain Connection; an error reply rejects with its ReplyError. */
  command(node: ClusterNodeHandle, args: (string | number | Buffer)[]): Promise<unknown>;
  /**
   * Waits until every live node says cluster_state:ok, all agree on CLUSTER SLOTS and CLUSTER NODES
   * (roles, slots; no live node seen failing, every killed node seen failed, no slot in transfer)
   * and every replica's link to its primary is up; throws after `timeoutMs` (default 20 s) naming
   * a node and its state. Killed nodes are not asked.
   */
  waitStable(timeoutMs?: number): Promise<void>;
  /** Moves `slots` to primary `to` as `redis-cli --cluster reshard` does, then waits until stable. */
  migrateSlots(slots: number[], to: ClusterNodeHandle, options?: MigrateOptions): Promise<void>;
  /**
   * CLUSTER FAILOVER on `replica` (default: a replica of the primary owning slot 0; FORCE when its
   * primary's process was killed); resolves with it once it is primary and the cluster is stable.
   */
  failover(replica?: ClusterNodeHandle): Promise<ClusterNodeHandle>;
  /** SIGKILL of the node's process (no shutdown, no nodes.conf rewrite). */
  kill(node: ClusterNodeHandle): void;
  /** Starts the node again on the same ports and directory (its nodes.conf), then waits until stable. */
  restart(node: ClusterNodeHandle): Promise<void>;
  /** Every process stopped, every directory removed; safe to call twice. */
  stop(): Promise<void>;
}

export interface ClusterOptions {
  flavour?: Flavour;
  /** Primaries (default 3; redis-cli needs at least 3). */
  primaries?: number;
  /** Replicas of each primary (default 1). */
  replicasPerPrimary?: number;
  /** Extra server arguments for every node. */
  args?: string[];
  /** requirepass and masterauth on every node; the CLI and command() authenticate with it. */
  password?: string;
  /** cluster-node-timeout in ms (default 1000, so that failure detection is fast). */
  nodeTimeout?: number;
}

const HOST = '127.0.0.1';

// Directories of clusters not stopped yet, removed when the test process exits (its children are
// SIGKILLed by server.ts's exit handler, registered before this one).
const roots = new Set<string>();
process.once('exit', () => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

class Node implements ClusterNodeHandle {
  readonly host = HOST;
  id = '';
  constructor(
    readonly port: number,
    readonly busPort: number,
    readonly dir: string,
    public process: ChildProcess,
  ) {}

  /** Set by kill() at once: the exit event of a SIGKILLed child comes a tick or more later. */
  killed = false;

  get alive(): boolean {
    return !this.killed && this.process.exitCode === null && this.process.signalCode === null;
  }

  get address(): string {
    return `${this.host}:${this.port}`;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function infoField(info: unknown, field: string): string | undefined {
  return new RegExp(`^${field}:(.*?)\\r?$`, 'm').exec(String(info))?.[1];
}

function runCli(bin: string, args: string[], password: string | undefined): Promise<void> {
  // The password goes by environment, never on a command line that `ps` shows.
  const env = { ...process.env, ...(password === undefined ? {} : { REDISCLI_AUTH: password }) };
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0 && !/\[ERR\]/.test(output)) resolve();
      else reject(new Error(`${bin} ${args.join(' ')} failed (${code ?? signal}):\n${output}`));
    });
  });
}

class Cluster implements TestCluster {
  readonly nodes: readonly Node[];
  private readonly connections = new Map<Node, Promise<Connection>>();
  private stopped: Promise<void> | undefined;

  constructor(
    readonly flavour: Flavour,
    nodes: Node[],
    private readonly root: string,
    private readonly config: string[],
    private readonly options: ClusterOptions,
  ) {
    this.nodes = nodes;
  }

  get addresses(): string[] {
    return this.nodes.map((n) => n.address);
  }

  async command(node: ClusterNodeHandle, args: (string | number | Buffer)[]): Promise<unknown> {
    const connection = await this.connection(this.own(node));
    const name = typeof args[0] === 'string' ? args[0].toUpperCase() : 'command';
    return connection.send(name, args);
  }

  async primaries(): Promise<Node[]> {
    return (await this.topology()).primaries;
  }

  async replicas(): Promise<Node[]> {
    return (await this.topology()).replicas;
  }

  async waitStable(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let problem = 'no live node';
    while (Date.now() < deadline) {
      problem = (await this.instability()) ?? '';
      if (problem === '') return;
      await sleep(50);
    }
    throw new Error(`cluster not stable after ${timeoutMs} ms: ${problem}`);
  }

  async migrateSlots(slots: number[], to: ClusterNodeHandle, options: MigrateOptions = {}): Promise<void> {
    const target = this.own(to);
    const batch = options.keysPerBatch ?? 10;
    const auth = this.options.password === undefined ? [] : ['AUTH', this.options.password];
    for (const slot of slots) {
      const lines = parseClusterNodes(String(await this.command(target, ['CLUSTER', 'NODES'])));
      const source = this.byId(ownerOf(lines, slot));
      if (source === target) continue;
      await this.command(target, ['CLUSTER', 'SETSLOT', slot, 'IMPORTING', source.id]);
      await this.command(source, ['CLUSTER', 'SETSLOT', slot, 'MIGRATING', target.id]);
      for (let paused = false; ; paused = true) {
        const keys = (await this.command(source, ['CLUSTER', 'GETKEYSINSLOT', slot, batch])) as string[];
        if (keys.length === 0 && paused) break;
        if (keys.length > 0) {
          await this.command(source, [
            'MIGRATE',
            target.host,
            target.port,
            '',
            0,
            5000,
            ...auth,
            'KEYS',
            ...keys,
          ]);
        }
        if (options.pauseMs) await sleep(options.pauseMs);
        await options.betweenBatches?.();
      }
      // As redis-cli: the target first (so it owns the slot before the source lets go), then the
      // source, then every other primary, so no primary keeps redirecting to the old owner.
      const others = (await this.primaries()).filter((n) => n !== target && n !== source);
      for (const node of [target, source, ...others]) {
        await this.command(node, ['CLUSTER', 'SETSLOT', slot, 'NODE', target.id]);
      }
    }
    await this.waitStable();
  }

  async failover(replica?: ClusterNodeHandle): Promise<Node> {
    const lines = parseClusterNodes(String(await this.command(this.firstLive(), ['CLUSTER', 'NODES'])));
    let node: Node;
    if (replica) node = this.own(replica);
    else {
      const owner = ownerOf(lines, 0);
      const candidate = lines.find((l) => l.primaryId === owner && !l.failed && this.byId(l.id).alive);
      if (!candidate) throw new Error('failover: the primary of slot 0 has no live replica');
      node = this.byId(candidate.id);
    }
    const line = lines.find((l) => l.id === node.id);
    if (!line?.primaryId) throw new Error(`failover: ${node.address} is not a replica`);
    const force = !this.byId(line.primaryId).alive;
    // A manual failover ends within the server's 5 s limit (CLUSTER_MF_TIMEOUT) or is abandoned
    // without a word: one more request after that, then give up.
    const promoted = async () => ((await this.command(node, ['ROLE'])) as unknown[])[0] === 'master';
    for (let attempt = 1; ; attempt++) {
      await this.command(node, ['CLUSTER', 'FAILOVER', ...(force ? ['FORCE'] : [])]);
      const deadline = Date.now() + 6000;
      while (!(await promoted()) && Date.now() < deadline) await sleep(20);
      if (await promoted()) break;
      if (attempt === 2) throw new Error(`failover: ${node.address} is still a replica after 2 attempts`);
    }
    await this.waitStable();
    return node;
  }

  kill(node: ClusterNodeHandle): void {
    const own = this.own(node);
    this.dropConnection(own);
    own.killed = true;
    own.process.kill('SIGKILL');
  }

  async restart(node: ClusterNodeHandle): Promise<void> {
    const own = this.own(node);
    this.dropConnection(own);
    await stopProcess(own.process);
    const spawned = await spawnServer({
      flavour: this.flavour,
      dir: own.dir,
      port: own.port,
      config: [...this.config, `cluster-port ${own.busPort}`],
      args: this.options.args ?? [],
      waitPort: false,
    });
    own.process = spawned.process;
    own.killed = false;
    await this.waitStable();
  }

  stop(): Promise<void> {
    this.stopped ??= (async () => {
      for (const node of this.nodes) this.dropConnection(node);
      await Promise.all(this.nodes.map((n) => stopProcess(n.process)));
      rmSync(this.root, { recursive: true, force: true });
      roots.delete(this.root);
    })();
    return this.stopped;
  }

  /** The nodes as the first live node's CLUSTER NODES has them, ordered as `nodes` is at start. */
  async topology(): Promise<{ primaries: Node[]; replicas: Node[] }> {
    const lines = parseClusterNodes(String(await this.command(this.firstLive(), ['CLUSTER', 'NODES'])));
    const usable = lines.filter((l) => !l.failed && this.byId(l.id).alive);
    const primaries = usable
      .filter((l) => l.primaryId === undefined && l.slots.length > 0)
      .sort((a, b) => (a.slots[0]?.[0] ?? 0) - (b.slots[0]?.[0] ?? 0));
    const rank = (l: NodeLine) => primaries.findIndex((p) => p.id === l.primaryId);
    const replicas = usable
      .filter((l) => l.primaryId !== undefined)
      .sort((a, b) => rank(a) - rank(b) || this.byId(a.id).port - this.byId(b.id).port);
    return {
      primaries: primaries.map((l) => this.byId(l.id)),
      replicas: replicas.map((l) => this.byId(l.id)),
    };
  }

  /** Why the cluster is not stable yet, or undefined when it is. */
  private async instability(): Promise<string | undefined> {
    const live = this.nodes.filter((n) => n.alive);
    if (live.length === 0) return 'no live node';
    const alive = (id: string) => this.nodes.some((n) => n.id === id && n.alive);
    let reference: { node: Node; slots: string; nodes: string } | undefined;
    for (const node of live) {
      const who = `${node.address} (${node.id})`;
      try {
        const state = infoField(await this.command(node, ['CLUSTER', 'INFO']), 'cluster_state');
        if (state !== 'ok') return `${who} reports cluster_state:${state}`;
        const view = nodesSignature(
          parseClusterNodes(String(await this.command(node, ['CLUSTER', 'NODES']))),
          alive,
        );
        if ('problem' in view) return `${who} ${view.problem}`;
        const slots = slotMapSignature(await this.command(node, ['CLUSTER', 'SLOTS']));
        if (!reference) reference = { node, slots, nodes: view.signature };
        else if (slots !== reference.slots || view.signature !== reference.nodes) {
          const [mine, theirs] =
            slots !== reference.slots ? [slots, reference.slots] : [view.signature, reference.nodes];
          return `${who} and ${reference.node.address} disagree: ${describeMismatch(mine, theirs)}`;
        }
        const role = (await this.command(node, ['ROLE'])) as unknown[];
        if (role[0] === 'slave' && role[3] !== 'connected') {
          return `${who} is a replica whose link to its primary is ${String(role[3])}`;
        }
      } catch (err) {
        return `${who}: ${err instanceof Error ? err.message : String(err)}`;
      }
    }
    return undefined;
  }

  private async connection(node: Node): Promise<Connection> {
    const cached = this.connections.get(node);
    if (cached) {
      const connection = await cached.catch(() => undefined);
      if (connection && connection.status === 'open') return connection;
      if (this.connections.get(node) === cached) this.connections.delete(node);
      return this.connection(node);
    }
    const opening = Connection.connect({
      host: node.host,
      port: node.port,
      password: this.options.password,
      connectTimeout: 2000,
      commandTimeout: 10_000,
    });
    this.connections.set(node, opening);
    return opening;
  }

  private dropConnection(node: Node): void {
    const cached = this.connections.get(node);
    this.connections.delete(node);
    void cached?.then((c) => c.destroy()).catch(() => undefined);
  }

  private own(node: ClusterNodeHandle): Node {
    const own = this.nodes.find((n) => n === node || (n.port === node.port && n.host === node.host));
    if (!own) throw new Error(`${node.host}:${node.port} is not a node of this cluster`);
    return own;
  }

  private byId(id: string | undefined): Node {
    const node = this.nodes.find((n) => n.id === id);
    if (!node) throw new Error(`no node of this cluster has id ${id}`);
    return node;
  }

  private firstLive(): Node {
    const node = this.nodes.find((n) => n.alive);
    if (!node) throw new Error('every node of the cluster is down');
    return node;
  }
}

export async function startCluster(options: ClusterOptions = {}): Promise<TestCluster> {
  const flavour = options.flavour ?? 'redis';
  const primaries = options.primaries ?? 3;
  const replicas = options.replicasPerPrimary ?? 1;
  if (primaries < 3) throw new Error(`startCluster: redis-cli needs at least 3 primaries, not ${primaries}`);
  serverBinary(flavour);
  const cli = cliBinary(flavour);
  const root = mkdtempSync(join(tmpdir(), 'redspec-cluster-'));
  roots.add(root);
  const config = [
    'cluster-enabled yes',
    'cluster-config-file nodes.conf',
    `cluster-node-timeout ${options.nodeTimeout ?? 1000}`,
    // Any replica may be promoted however long its link was down (so the failover after a kill
    // cannot be refused), and no replica moves to another primary on its own: roles change only
    // by a failover.
    'cluster-replica-validity-factor 0',
    'cluster-allow-replica-migration no',
    // A replica's first sync starts at once instead of after the default 5 s of waiting for others.
    'repl-diskless-sync-delay 0',
    ...(options.password === undefined
      ? []
      : [`requirepass ${options.password}`, `masterauth ${options.password}`]),
  ];
  const nodes: Node[] = [];
  const cluster = new Cluster(flavour, nodes, root, config, options);
  try {
    const count = primaries * (1 + replicas);
    const started = await Promise.allSettled(
      Array.from({ length: count }, async (_, i) => {
        const dir = join(root, `node-${i}`);
        mkdirSync(dir);
        let busPort = 0;
        const spawned = await spawnServer({
          flavour,
          dir,
          config,
          args: options.args ?? [],
          // Ready only once the bus port is bound too: a node whose bus port was taken accepts on
          // its client port for a moment before it exits (and is then retried on other ports).
          waitPort: false,
          perAttempt: async () => [`cluster-port ${(busPort = await freePort())}`],
        });
        return new Node(spawned.port, busPort, dir, spawned.process);
      }),
    );
    // Every node that did start is pushed before a failure is thrown, so that stop() ends it.
    for (const result of started) if (result.status === 'fulfilled') nodes.push(result.value);
    const failure = started.find((r) => r.status === 'rejected');
    if (failure) throw failure.reason;
    for (const node of nodes) node.id = String(await cluster.command(node, ['CLUSTER', 'MYID']));
    await runCli(
      cli,
      [
        '--cluster',
        'create',
        ...nodes.map((n) => n.address),
        '--cluster-replicas',
        String(replicas),
        '--cluster-yes',
      ],
      options.password,
    );
    await cluster.waitStable();
    // Primaries first in slot order, then replicas in their primaries' order.
    const { primaries: p, replicas: r } = await cluster.topology();
    if (p.length + r.length !== nodes.length)
      throw new Error('startCluster: a node is missing from CLUSTER NODES');
    nodes.splice(0, nodes.length, ...p, ...r);
    return cluster;
  } catch (err) {
    await cluster.stop();
    throw err;
  }
}
