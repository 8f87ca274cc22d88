// Starts the bench's child processes (the app, the emulator) and talks to them over IPC.
const { fork } = require('node:child_process');
const path = require('node:path');

/** @typedef {import('./types').IpcMessage} IpcMessage */

const BENCH_DIR = path.join(__dirname, '..');

/**
 * Forks a bench script and resolves with its first message once it says it is ready.
 * @template {{ [K in keyof Ops]: import('./types').Operation }} Ops The operations the child runs (see its script).
 * @template Info Its ready message.
 * @param {string} script
 * @param {{ env?: NodeJS.ProcessEnv, execArgv?: string[] }} [options]
 * @returns {Promise<import('./types').BenchChild<Ops, Info>>}
 */
function start(script, { env = {}, execArgv = [] } = {}) {
  const child = fork(path.isAbsolute(script) ? script : path.join(BENCH_DIR, script), [], {
    env: { ...process.env, ...env },
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let nextId = 0;
  /** @type {Map<number | undefined, { resolve: (result: unknown) => void, reject: (error: Error) => void }>} */
  const waiting = new Map();
  child.on('message', (/** @type {IpcMessage} */ message) => {
    const pending = waiting.get(message.id);
    if (!pending) return;
    waiting.delete(message.id);
    if (message.error) pending.reject(new Error(message.error));
    else pending.resolve(message.result);
  });
  /** @type {Promise<Info>} */
  const ready = new Promise((resolve, reject) => {
    child.once('message', (/** @type {IpcMessage} */ message) =>
      message.ready ? resolve(/** @type {Info} */ (message)) : reject(new Error(`${script} did not start`)),
    );
    child.once('exit', (code) => reject(new Error(`${script} exited with code ${code} before it was ready`)));
  });
  return ready.then((info) => ({
    info,
    child,
    /**
     * One IPC request to the child; see the operations of bench/emulator.js.
     * @template {keyof Ops & string} K
     * @param {K} op
     * @param {Parameters<Ops[K]>[0]} [arg]
     * @returns {Promise<Awaited<ReturnType<Ops[K]>>>}
     */
    call(op, arg) {
      nextId += 1;
      const id = nextId;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve: /** @type {(result: unknown) => void} */ (resolve), reject });
        child.send({ id, op, arg });
      });
    },
    /** @returns {Promise<void>} */
    stop() {
      return new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.disconnect();
        setTimeout(() => child.kill(), 3000).unref();
      });
    },
  }));
}

/** @returns {Promise<import('./types').EmulatorChild>} */
function startEmulator() {
  return start('emulator.js');
}

/**
 * The app under test, with `--expose-gc` so the memory figures are taken after a full collection. `env` adds
 * the storm's settings (BENCH_STORM, BENCH_MAX_SOCKETS, BENCH_PROVIDER_CONCURRENCY); `dir` runs another
 * checkout's bench app (a built older commit, to count its round trips); `execArgv` adds flags of Node's.
 * @param {{ prefix: string, emulator: import('./types').EmulatorChild, env?: NodeJS.ProcessEnv, dir?: string, execArgv?: string[] }} options
 * @returns {Promise<import('./types').ServerChild>}
 */
function startServer({ prefix, emulator, env = {}, dir, execArgv = [] }) {
  return start(dir ? path.join(dir, 'bench', 'server.js') : 'server.js', {
    execArgv: ['--expose-gc', ...execArgv],
    env: {
      BENCH_PREFIX: prefix,
      BW_BASE_URL: emulator.info.baseUrl,
      BW_TOKEN_URL: emulator.info.tokenUrl,
      BW_ACCOUNT_ID: emulator.info.accountId,
      ...env,
    },
  });
}

/**
 * A process that requests the protected route at a steady rate, so its latency is measured apart from the storm's load.
 * @returns {Promise<import('./types').ProberChild>}
 */
function startProber() {
  return start('prober.js');
}

module.exports = { startEmulator, startServer, startProber };
