// Shapes several bench modules share: the child processes and their IPC, the app's control routes, load runs, command counts, storm records.
import type { ChildProcess } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Express } from 'express';
import type { Session, SessionData } from 'express-session';
import type { Redis } from 'ioredis';
// The library from src/, as tsconfig.js.json's paths give it to the bench's JSDoc: this file then checks the same in tsconfig.json, built or not.
import type { MfaUser } from '../../src/index';
import type { EmulatorEndpoint } from '../../src/testing/index';

/** Counts by name: Redis commands, or refusals by error code. */
export type Counts = Record<string, number>;

// ── The bench app's control routes (bench/server.js), read with `getJson` ──

/** `/__bench/memory`: `process.memoryUsage()` after a forced GC; `gc` says whether one could be forced. */
export interface MemoryReading extends NodeJS.MemoryUsage {
  gc: boolean;
}

/** Log lines the library wrote since the last `/__bench/loop` reading: counts by level, the first 20 lines. */
export interface LoggedLines {
  warn: number;
  error: number;
  lines: string[];
}

/** `/__bench/loop`: event-loop delay (ms) and the library's log lines since the last reading. */
export interface LoopReading {
  p50: number;
  p99: number;
  max: number;
  /** The share of the time the event loop was busy, 0 to 1. */
  utilization: number;
  /** Since the last reading. */
  wallMs: number;
  /** What the app's threads ran and waited for a CPU since the last reading; undefined without /proc schedstat. */
  threads: ThreadTimes | undefined;
  /** The collector's pauses since the last reading. */
  gcPauses: Pause[];
  logs: LoggedLines;
}

/** Ms a process's threads ran and waited runnable for a CPU (the kernel's run queue). */
export interface ThreadTimes {
  main: { runMs: number; waitMs: number };
  others: { runMs: number; waitMs: number; threads: number };
}

/** A garbage-collection pause: its start (epoch ms) and duration (ms). */
export type Pause = [startedAt: number, ms: number];

export interface ControlRoutes {
  /** CPU time the app process used so far, µs. */
  '/__bench/cpu': { micros: number };
  /** The local port of the app's Redis connection: how MONITOR tells its commands apart. */
  '/__bench/redis': { port: number };
  '/__bench/memory': MemoryReading;
  '/__bench/loop': LoopReading;
}

// ── Child processes (bench/lib/processes.js) and the operations they run over IPC ──

/** A request from the bench to a child: run operation `op` with `arg`, answer with the same `id`. */
export interface IpcRequest {
  id: number;
  op: string;
  arg?: unknown;
}

/** A child's answer to one request: what the operation returned, or the message of what it threw. */
export interface IpcAnswer {
  id: number;
  result?: unknown;
  error?: string;
}

/** Any message of a child, as the bench reads it: the first says it is ready, the others answer a request. */
export interface IpcMessage {
  ready?: boolean;
  id?: number;
  result?: unknown;
  error?: string;
}

/** A child's first message: it is ready, with what the bench needs to know (a port, URLs). */
export type ReadyMessage = EmulatorReady | ServerReady | ProberReady;

/** Something a child does for the bench; its one argument comes over IPC. */
export type Operation = (arg: never) => unknown;

/** A call the emulator received: its endpoint, the number it was for (null when it had none) and when it arrived (epoch ms). */
export interface Arrival {
  endpoint: EmulatorEndpoint | 'unknown';
  to: string | null;
  at: number;
}

/** The operations of bench/emulator.js. */
export interface EmulatorOperations {
  codes(phoneNumbers: string[]): (string | null)[];
  connections(): number;
  cpu(): number;
  latency(ms: number): void;
  stall(): void;
  mark(): number;
  arrivals(from: number): Arrival[];
}

/** What bench/emulator.js says once it listens: where the app finds it. */
export interface EmulatorReady {
  ready: true;
  baseUrl: string;
  tokenUrl: string;
  accountId: string;
}

/** What the prober is asked to request, and how often. */
export interface ProbeTarget {
  port: number;
  path: string;
  cookie: string;
  intervalMs: number;
}

/** How many answers, and their latency percentiles (ms). */
export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

/**
 * The prober's latencies (ms) since `start`, and the requests that failed; split into the requests that found one
 * of its connections idle and those that had to open one (and wait for the app to accept it).
 */
export interface ProbeSummary extends LatencySummary {
  failed: number;
  onOpen: LatencySummary;
  onNew: LatencySummary;
  /** Every answered probe: when it started (epoch ms) and its latency (ms). */
  samples: ProbeSample[];
}

export type ProbeSample = [startedAt: number, ms: number];

/** The storm's probes split by whether one of the app's garbage-collection pauses fell while they were answered. */
export interface PauseSplit {
  /** The pauses within the probes' span, and their sum (ms). */
  pauses: LatencySummary & { totalMs: number };
  overlapping: LatencySummary;
  clear: LatencySummary;
}

/** The storm's probes split by when they started: in the first `windowMs` of a phase, or later. */
export interface OnsetSplit {
  windowMs: number;
  onset: LatencySummary;
  rest: LatencySummary;
}

export interface ProberReady {
  ready: true;
}

/** The operations of bench/prober.js. */
export interface ProberOperations {
  start(target: ProbeTarget): void;
  stop(): Promise<ProbeSummary>;
}

/** What bench/server.js says once it listens. */
export interface ServerReady {
  ready: true;
  port: number;
}

/** A running child process of the bench: its ready message, and calls to its operations. */
export interface BenchChild<Ops extends { [K in keyof Ops]: Operation }, Info> {
  info: Info;
  child: ChildProcess;
  /** One IPC request to the child. */
  call<K extends keyof Ops & string>(op: K, ...arg: Parameters<Ops[K]>): Promise<Awaited<ReturnType<Ops[K]>>>;
  stop(): Promise<void>;
}

export type EmulatorChild = BenchChild<EmulatorOperations, EmulatorReady>;
export type ProberChild = BenchChild<ProberOperations, ProberReady>;
export type ServerChild = BenchChild<Record<never, Operation>, ServerReady>;

// ── Measurements ──

/** One autocannon run (bench/lib/load.js), reduced: answers by kind, 2xx per second, exact latency percentiles (ms). */
export interface LoadRun {
  ok: number;
  non2xx: number;
  errors: number;
  statusCodes: Record<string, { count: number }>;
  rps: number;
  p50: number;
  p99: number;
  /** Entries of `rotate` handed out, sent or not. */
  taken: number;
}

/** What Redis executed during one piece of work (bench/lib/redis-count.js). */
export interface CommandCount {
  requests: number;
  /** `INFO commandstats` delta: every client of the server. */
  info: Counts;
  /** MONITOR, the app's own connection. */
  roundTrips: Counts;
  /** MONITOR, commands inside scripts on the bench's keys. */
  inScripts: Counts;
  /** The app's round trips by whose keys they touched: `session`, `store`, `other`. */
  owners: Counts;
}

/** Which app connection and keys are the bench's. */
export interface CountTarget {
  appRedisPort: number;
  prefix: string;
}

/** One request of a storm (bench/lib/storm.js): bench user `n` POSTs `body` to `path`. */
export interface StormJob {
  n: number;
  path: string;
  body: unknown;
  cookie: string | undefined;
}

/** How one storm request ended: when (epoch ms), how long it took (ms), its status (0: no answer) and error code. */
export interface StormRecord {
  n: number;
  path: string;
  status: number;
  error: string | undefined;
  startedAt: number;
  endedAt: number;
  ms: number;
}

/** The requests of a storm that ended one way (`<status> <error>`), and their latencies (ms). */
export interface StormOutcome {
  count: number;
  maxMs: number;
  p50: number;
  p99: number;
}

/** A storm's answers: successes per second and their latencies (ms), the refusals' latencies, how many ended how. */
export interface StormSummary {
  requests: number;
  ok: number;
  okPerSecond: number;
  seconds: number;
  p50: number;
  p99: number;
  failedP50: number;
  failedP99: number;
  outcomes: Record<string, StormOutcome>;
}

/** How many of a storm's calls reached Bandwidth, and how many of those after their user had been answered. */
export interface Reached {
  reached: number;
  afterAnswer: number;
}

/** The session of a bench app: the signed-in user is the one `getUser` returns. */
export type UserSession = Session & Partial<SessionData> & { user?: MfaUser };

// ── The in-process cost (bench/lib/in-process.js) ──

/** An Express app as the in-process bench drives it: `handle` is Express's entry (what `app(req, res, next)` runs), absent from its types. */
export type HandledApp = Express & {
  handle(req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void;
};

/** An answer of the in-process app; `body` is set when it was asked to be kept. */
export type CapturedResponse = ServerResponse & { body?: string };

/** The protected-route variants of the in-process cost: the report's labels (a), (b), (c), (n), (p), (r). */
export type InProcessVariant = 'a' | 'b' | 'c' | 'n' | 'p' | 'r';

/** µs per request of a variant (median), and how many more than (a). */
export interface VariantCost {
  micros: number;
  extra: number;
}

/** The in-process figures: per variant, the guard alone ((c) − (n)), and the passkey and phishing-resistant ratios to (c). */
export type InProcessCost = Record<InProcessVariant, VariantCost> & {
  requests: number;
  guard: number;
  passkeyRatio: number;
  strictRatio: number;
};

// ── The software passkey (bench/lib/passkey.js) ──

/** What its CBOR encoder takes: integers, text and byte strings, maps (a Map keeps integer keys); written here, as JSDoc cannot write a recursive type. */
export type CborValue = number | string | Buffer | Map<number, CborValue> | { [key: string]: CborValue };

// ── The toll-fraud section (bench/toll-fraud.js) ──

/** One store step measured quietly: µs (median) and round trips per call. */
export interface StepCost {
  p50: number;
  trips: number;
}

/** The budgets' store step beside the user's own (bench/lib/budget-cost.js), `amount` calls each. */
export interface BudgetCost {
  amount: number;
  claimSend: StepCost;
  countSend: StepCost;
}

/** What loading a build of libphonenumber-js costs a fresh process: wall and CPU ms of require and first parse; heap and RSS bytes more than before. */
export interface LoadCost {
  ms: number;
  cpuMs: number;
  heap: number;
  rss: number;
}

/** The full number metadata's cost (bench/lib/metadata-cost.js): medians by what is loaded, and the size of its JSON. */
export interface MetadataCost {
  rounds: number;
  variants: Record<string, LoadCost>;
  maxJsonBytes: number;
}

/** The pumping simulation's sizes (bench/toll-fraud.js). */
export interface PumpingSettings {
  realUsers: number;
  /** Share of real users whose number took a right code before the run. */
  returningShare: number;
  attackA: number;
  attackC: number;
  windowSeconds: number;
  ceiling: number;
  concurrency: number;
}

/** The store steps of a send the simulation times, µs per call, client-side. */
export interface StepTimes {
  claimSend: number[];
  countSend: number[];
  creditSend: number[];
}

/** The attacks of the simulation: (a), (b), (b′) and (c). */
export type AttackKind = 'a' | 'b' | 'b2' | 'c';

/** What one attack got out, and when it was cut off. */
export interface AttackOutcome {
  attempts: number;
  sent: number;
  sentBeforeCutOff: number;
  /** From its first send to its first refusal; undefined when it was never refused. */
  cutOffAfterMs: number | undefined;
  refusals: Counts;
  maxPerCountry: number;
  countries: number;
}

/** What the real users got: sent, refused inside or outside the buckets the attacks filled. */
export interface RealOutcome {
  users: number;
  sent: number;
  refusedInside: number;
  refusedInsideNew: number;
  newInAttacked: number;
  refusedOutside: number;
  refusals: Counts;
  verifyFailures: number;
}

/** The simulation's result (bench/lib/pumping.js). */
export interface PumpingResult {
  attacks: Record<AttackKind, AttackOutcome>;
  real: RealOutcome;
  settings: PumpingSettings;
  seconds: number;
  timing: StepTimes;
}

// ── The HTTP measurements (bench/lib/phases.js) and their report (bench/lib/report.js) ──

/** The protected-route variants measured over HTTP: (a), (b), (c). */
export type HttpVariant = 'a' | 'b' | 'c';

/** A load run with the app's CPU µs per 2xx answer and the share of the CPUs other processes took meanwhile. */
export interface TimedRun extends LoadRun {
  cpuMicros: number;
  foreign: number;
}

/** One variant over the rounds used: medians, and its ratios to (a) with their interquartile ranges. */
export interface VariantRoute {
  rps: number;
  p50: number;
  p99: number;
  cpuMicros: number;
  ratio: number;
  ratioIqr: [number, number];
  cpuRatio: number;
  cpuRatioIqr: [number, number];
}

/** The protected route over HTTP: how many rounds ran, how many were quiet, and each variant. */
export type ProtectedRoute = Record<HttpVariant, VariantRoute> & {
  rounds: number;
  quiet: number;
  reliable: boolean;
  quietShare: number;
  foreign: number;
};

/** A send or verify run with the share of the CPUs other processes took meanwhile. */
export interface HostedRun extends LoadRun {
  foreign: number;
}

/** Send and verify: the timed runs, the counted ones, the TCP connections the timed ones opened to Bandwidth. */
export interface Flows {
  send: { run: HostedRun; commands: CommandCount };
  verify: { run: HostedRun; commands: CommandCount };
  concurrentConnections: number;
  amount: number;
}

/** TCP connections opened to Bandwidth over `calls` sequential calls. */
export interface SequentialConnections {
  calls: number;
  opened: number;
}

/** A fresh app process's memory after `requests` requests. */
export interface MemoryPoint extends MemoryReading {
  requests: number;
}

/** The machine and the tools, for the report's head. */
export interface BenchEnvironment {
  date: string;
  node: string;
  cpus: string;
  cpuModel: string;
  redis: string;
  autocannon: string;
  connections: number;
  seconds: number;
  command: string;
}

/** Everything bench/lib/report.js renders. */
export interface Measurements {
  env: BenchEnvironment;
  inProcess: InProcessCost;
  protectedRoute: ProtectedRoute;
  commands: Record<HttpVariant, CommandCount>;
  flows: Flows;
  sequential: SequentialConnections;
  memory: MemoryPoint[];
  memoryControl: MemoryPoint[];
}

/** A bench user signed in over HTTP: their number `n` and session cookie. */
export interface SignedInUser {
  n: number;
  cookie: string;
}

// ── The login storm (bench/lib/storm-phases.js) and its report (bench/lib/storm-report.js) ──

/** The stall: sends and verifies arriving at `perSecond`, after a quiet window of `quietSeconds`. */
export interface StallSettings {
  sends: number;
  verifies: number;
  perSecond: number;
  quietSeconds: number;
}

/** The storm's sizes and the library defaults it reports (bench/run.js). */
export interface StormSettings {
  users: number;
  concurrency: number;
  latencyMs: number;
  quietSeconds: number;
  stall: StallSettings;
  tripsAmount: number;
  defaultSockets: number;
  /** The library's default `workConcurrency`. */
  defaultTurns: number;
  timeoutMs: number;
  /** A built checkout of an older commit whose round trips are counted too. */
  beforeDir: string | undefined;
  beforeLabel: string;
}

/** What every storm run uses: the emulator, the prober, Redis, the bench's prefix and a verified cookie. */
export interface StormContext {
  emulator: EmulatorChild;
  prober: ProberChild;
  redis: Redis;
  prefix: string;
  cookie: string;
  quietSeconds: number;
}

/** How the app process of a run is configured: the report's label, and the environment for bench/server.js. */
export interface StormConfig {
  label: string;
  env: Record<string, string>;
  /** Node's flags for the app process, after `--expose-gc`. */
  execArgv?: string[];
}

/** The storm of one run, its records by path, and the latency Bandwidth answers with afterwards. */
export interface StormResult {
  send: { records: StormRecord[] };
  verify: { records: StormRecord[] };
  latencyAfter: number;
}

/** One run of the storm, as the report shows it. */
export interface StormRun {
  label: string;
  summary: Record<'send' | 'verify', StormSummary>;
  reached: Record<'send' | 'verify', Reached>;
  /** The protected route before the storm, then during it. */
  quiet: ProbeSummary;
  during: ProbeSummary;
  /** `during`, split into each phase's first second and the rest. */
  phases: OnsetSplit;
  /** `during`, split by whether a collector's pause fell while they were answered. */
  gc: PauseSplit;
  loop: LoopReading;
  /** TCP connections the app's Bandwidth client opened during the storm. */
  opened: number;
  foreign: number;
}

/** Redis round trips of the sends and of the verifies. */
export interface RoundTrips {
  send: CommandCount;
  verify: CommandCount;
}

/** The whole storm section. */
export interface StormSection extends StormSettings {
  unbounded: number;
  settleSeconds: number;
  slow: StormRun[];
  stalled: StormRun[];
  trips: { amount: number; after: RoundTrips; before: RoundTrips | undefined; beforeLabel: string };
}

// ── Send and verify in process (bench/lib/flow-cost.js) and their report (bench/lib/flow-report.js) ──

/** One request's cost: this process's CPU (user + system) and the wall time, µs. */
export interface Sample {
  cpu: number;
  wall: number;
}

/** One user's bare session write, send and verify (or the medians of many). */
export interface FlowFigures {
  bare: Sample;
  send: Sample;
  verify: Sample;
}

/** A CPU profile summed by self time (bench/lib/profile.js): the costliest functions, and each owner's share. */
export interface ProfileSummary {
  totalMicros: number;
  functions: { name: string; share: number }[];
  owners: { name: string; share: number }[];
}

/** Another user's send and verify with the Bandwidth client as the provider, against the emulator answering at once. */
export interface ClientFigures {
  clientSend: Sample;
  clientVerify: Sample;
}

/** The in-process cost of send and verify: medians over `users`, a profile, and an older checkout's medians when measured. */
export interface FlowCost extends FlowFigures, ClientFigures {
  users: number;
  profile: ProfileSummary;
  before?: FlowFigures & ClientFigures;
}
