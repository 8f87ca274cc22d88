// How much of the machine's CPU went to processes other than the bench's own during a run (other users' jobs).
const fs = require('node:fs');
const os = require('node:os');

const TICK_MICROS = 1e6 / 100; // USER_HZ is 100 on Linux
const CPUS = os.availableParallelism();

/** Busy CPU time of the whole machine, µs; undefined where /proc/stat is missing. */
function machineBusyMicros() {
  try {
    const line = /** @type {string} */ (fs.readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]);
    const fields = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal: everything but idle and iowait is busy.
    const [user, nice, system, , , irq, softirq, steal] = /** @type {[number, number, number, number, number, number, number, number]} */ (
      fields
    );
    return (user + nice + system + irq + softirq + steal) * TICK_MICROS;
  } catch {
    return undefined;
  }
}

/** @param {import('ioredis').Redis} redis */
async function redisCpuMicros(redis) {
  const info = await redis.info('cpu');
  const seconds = (/** @type {string} */ name) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0);
  return (seconds('used_cpu_user') + seconds('used_cpu_sys')) * 1e6;
}

/**
 * @typedef {object} HostSnapshot A reading to diff, µs.
 * @property {number | undefined} machine
 * @property {number} runner
 * @property {number} redis
 * @property {number} wall
 */

/**
 * A reading to diff: machine busy time, this process's CPU, Redis's CPU, the wall clock.
 * @param {import('ioredis').Redis} redis
 * @returns {Promise<HostSnapshot>}
 */
async function snapshot(redis) {
  const { user, system } = process.cpuUsage();
  return {
    machine: machineBusyMicros(),
    runner: user + system,
    redis: await redisCpuMicros(redis),
    wall: Number(process.hrtime.bigint() / 1000n),
  };
}

/**
 * Share of all CPUs (0–1) used by others between two snapshots: machine busy time minus the runner
 * (autocannon), the app (`appMicros`) and Redis. Redis's share includes other clients' commands, so
 * this undercounts a noisy neighbour that only uses Redis.
 * @param {HostSnapshot} before
 * @param {HostSnapshot} after
 * @param {number} appMicros
 */
function foreignShare(before, after, appMicros) {
  if (before.machine === undefined) return NaN;
  const ours = after.runner - before.runner + (after.redis - before.redis) + appMicros;
  const busy = /** @type {number} */ (after.machine) - before.machine;
  return Math.max(0, (busy - ours) / (CPUS * (after.wall - before.wall)));
}

module.exports = { snapshot, foreignShare };
