// What libphonenumber-js's full metadata (`/max`, for number types) costs a process on top of the default build: load time and memory.
const { execFileSync } = require('node:child_process');

const PROBE = `
const builds = JSON.parse(process.argv[1]);
global.gc();
const before = process.memoryUsage();
const started = process.hrtime.bigint();
const cpu = process.cpuUsage();
// One parse with each, so whatever is loaded lazily is loaded too.
for (const build of builds) require(build).parsePhoneNumberFromString('+12015550123').isValid();
const ms = Number(process.hrtime.bigint() - started) / 1e6;
const used = process.cpuUsage(cpu);
const cpuMs = (used.user + used.system) / 1000;
global.gc();
const after = process.memoryUsage();
process.stdout.write(JSON.stringify({ ms, cpuMs, heap: after.heapUsed - before.heapUsed, rss: after.rss - before.rss }));
`;

/** @type {Record<string, string[]>} */
const VARIANTS = {
  'default build only (before this work)': ['libphonenumber-js'],
  'default + `/max` (what the library loads now)': ['libphonenumber-js', 'libphonenumber-js/max'],
};

const median = (/** @type {number[]} */ values) => /** @type {number} */ ([...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]);

/** @typedef {import('./types').LoadCost} LoadCost */

/**
 * Fresh processes, the variants taking turns, `rounds` each; medians.
 * @param {number} [rounds]
 * @returns {import('./types').MetadataCost}
 */
function metadataCost(rounds = 15) {
  /** @type {Record<string, LoadCost[]>} */
  const runs = Object.fromEntries(Object.keys(VARIANTS).map((name) => [name, []]));
  for (let i = 0; i < rounds; i += 1) {
    for (const [name, builds] of Object.entries(VARIANTS)) {
      /** @type {LoadCost[]} */ (runs[name]).push(
        JSON.parse(
          execFileSync(process.execPath, ['--expose-gc', '-e', PROBE, JSON.stringify(builds)], { cwd: __dirname, encoding: 'utf8' }),
        ),
      );
    }
  }
  /** @type {Record<string, LoadCost>} */
  const result = {};
  for (const [name, list] of Object.entries(runs)) {
    result[name] = {
      ms: median(list.map((r) => r.ms)),
      cpuMs: median(list.map((r) => r.cpuMs)),
      heap: median(list.map((r) => r.heap)),
      rss: median(list.map((r) => r.rss)),
    };
  }
  return {
    rounds,
    variants: result,
    maxJsonBytes: require('node:fs').statSync(require.resolve('libphonenumber-js/metadata.max.json')).size,
  };
}

module.exports = { metadataCost };
