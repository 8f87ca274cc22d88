// Turns the bench's measurements into the markdown report printed and written to bench/results.md.
const { total, perRequest, round } = require('./redis-count');

/** @type {Record<import('./types').InProcessVariant, string>} */
const LABELS = {
  a: '(a) express-session only',
  b: '(b) + `middleware()`',
  c: '(c) + `requireSecondFactor()`, verified session',
  n: "(n) reference: (b) + a no-op `(req, res, next) => next()` in the guard's place",
  p: '(p) the guard of (c), passkey-verified session',
  r: '(r) `requireSecondFactor({ phishingResistant: true })`, passkey-verified session',
};

const fixed = (/** @type {number} */ n, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const mb = (/** @type {number} */ bytes) => `${(bytes / 1048576).toFixed(1)} MB`;
const signed = (/** @type {number} */ n) => `${n >= 0 ? '+' : '−'}${Math.abs(n).toFixed(2)}`;
const signedMb = (/** @type {number} */ bytes) => `${bytes >= 0 ? '+' : '−'}${(Math.abs(bytes) / 1048576).toFixed(1)} MB`;

/** @param {import('./types').CommandCount | undefined} count */
function commandsCell(count) {
  if (!count) return 'not counted (as (c))';
  const n = count.requests;
  const scripts = total(count.inScripts);
  const cross = `MONITOR: ${round(total(count.roundTrips) / n)} round trips${scripts ? ` + ${round(scripts / n)} inside scripts` : ''}`;
  // INFO counts every client of the server; a mismatch means someone else used Redis during the count.
  const shared = total(count.info) !== total(count.roundTrips) + scripts ? ', other clients were active: trust MONITOR' : '';
  return `${round(total(count.info) / n)} (${perRequest(count.info, n)}; ${cross}${shared})`;
}

/** @param {import('./types').Measurements} m */
function render(m) {
  const { env, inProcess: ip, protectedRoute: p, commands, flows: f, sequential, memory, memoryControl } = m;
  const lines = [];
  lines.push('# express-bandwidth-mfa benchmark', '');
  lines.push(`- Date: ${env.date}`);
  lines.push(
    `- Node ${env.node}, ${env.cpus} CPUs (nproc) — ${env.cpuModel}; Redis ${env.redis}; autocannon ${env.autocannon}, ${env.connections} connections`,
  );
  lines.push(`- Command: \`${env.command}\``);
  lines.push('- The load generator, the app, Redis and the emulator share the machine: read the ratios, not the absolute figures.', '');

  const pct = (/** @type {number} */ share) => `${Math.round(100 * share)} %`;
  lines.push(`## Protected route: GET, session in Redis (connect-redis), interleaved rounds of ${env.seconds} s per variant, medians`, '');
  lines.push(
    p.reliable
      ? `Medians over the ${p.quiet < p.rounds ? `${p.quiet} quiet rounds of ${p.rounds}` : `${p.rounds} rounds, all quiet`} (a quiet round: other processes took ≤ ${pct(p.quietShare)} of the CPUs in each of its runs).`
      : `**The machine was busy** (other processes took a median ${pct(p.foreign)} of the CPUs; only ${p.quiet} of ${p.rounds} rounds were quiet): medians over every round, **ratios unreliable, run again on a quiet machine**.`,
    '',
  );
  lines.push('| Variant | req/s | p50 ms | p99 ms | app CPU µs / request | req/s vs (a) | CPU vs (a) | Redis commands / request |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---|');
  for (const v of /** @type {const} */ (['a', 'b', 'c'])) {
    const s = p[v];
    lines.push(
      `| ${LABELS[v]} | ${fixed(s.rps, 0)} | ${fixed(s.p50)} | ${fixed(s.p99)} | ${fixed(s.cpuMicros, 0)} | ${fixed(s.ratio)} | ${fixed(s.cpuRatio)} | ${commandsCell(commands[v])} |`,
    );
  }
  lines.push('');
  const iqr = (/** @type {[number, number]} */ [low, high]) => `${fixed(low)}–${fixed(high)}`;
  const meets = (/** @type {boolean} */ ok) => (ok ? 'met' : '**missed**');
  // Judged on the app's own commands (MONITOR), which other clients of a shared Redis cannot inflate.
  const own = (/** @type {import('./types').CommandCount} */ count) => (total(count.roundTrips) + total(count.inScripts)) / count.requests;
  const commandsA = own(commands.a);
  const commandsC = own(commands.c);
  lines.push(
    `**Targets:** req/s c/a ≥ 0.97 → **${fixed(p.c.ratio, 3)}** (${meets(p.c.ratio >= 0.97)}; b/a ${fixed(p.b.ratio, 3)}); Redis commands (c) ≤ (a) → ${round(commandsC)} vs ${round(commandsA)} (${meets(commandsC <= commandsA)}).`,
    '',
  );
  lines.push(
    `Ratios are medians of the per-round ratios (interquartile range over those rounds: req/s b/a ${iqr(p.b.ratioIqr)}, c/a ${iqr(p.c.ratioIqr)}; app CPU b/a ${iqr(p.b.cpuRatioIqr)}, c/a ${iqr(p.c.cpuRatioIqr)}).`,
  );
  lines.push(
    `Redis commands counted from \`INFO commandstats\` deltas over ${commands.a.requests} requests per variant (commands run inside Lua scripts count too); the MONITOR figures count only the app's own connection and scripts on the bench's keys, so they stay exact when other clients share the server.`,
    '',
  );

  lines.push('## Protected route in process: what each step costs', '');
  lines.push(
    `The same app, requests handed to Express without sockets, sessions in express-session's MemoryStore; the variants take turns request by request (${ip.requests.toLocaleString('en')} each, medians), so noise from the machine hits them alike.`,
    '',
  );
  lines.push('| Variant | µs / request | µs more than (a) |');
  lines.push('|---|---:|---:|');
  for (const v of /** @type {const} */ (['a', 'b', 'c', 'n', 'p', 'r']))
    lines.push(`| ${LABELS[v]} | ${fixed(ip[v].micros)} | ${v === 'a' ? '—' : signed(ip[v].extra)} |`);
  lines.push('');
  lines.push(
    `\`requireSecondFactor()\` itself: (c) − (n) = ${signed(ip.guard)} µs; the rest of (c) − (a) is Express running the \`middleware()\` layer and one more route handler, which any middleware in that place costs.`,
    '',
  );
  lines.push(
    `A passkey-verified session against an SMS-verified one on the same guard: **(p)/(c) = ${fixed(ip.passkeyRatio, 3)}**; the phishing-resistant guard on it: (r)/(c) = ${fixed(ip.strictRatio, 3)}.`,
    '',
  );

  lines.push('## Send and verify, Bandwidth emulator answering instantly', '');
  lines.push(
    `Each request is a different user, signed in once (the default limits — 30 s cooldown, 5 sends an hour, 5 attempts — stay on and are never reached). Verify uses the right code on a fresh challenge. ${f.amount} requests per path for req/s and latency; Redis commands counted over a separate ${f.send.commands.requests}.`,
    '',
  );
  lines.push('| Path | req/s | p50 ms | p99 ms | Redis commands / request |');
  lines.push('|---|---:|---:|---:|---|');
  lines.push(
    `| POST /2fa/send | ${fixed(f.send.run.rps, 0)} | ${fixed(f.send.run.p50)} | ${fixed(f.send.run.p99)} | ${commandsCell(f.send.commands)} |`,
  );
  lines.push(
    `| POST /2fa/verify | ${fixed(f.verify.run.rps, 0)} | ${fixed(f.verify.run.p50)} | ${fixed(f.verify.run.p99)} | ${commandsCell(f.verify.commands)} |`,
  );
  lines.push('');
  lines.push(
    `Other processes took ${pct(f.send.run.foreign)} of the CPUs during the send run and ${pct(f.verify.run.foreign)} during the verify run.`,
    '',
  );
  lines.push(
    `TCP connections the app's Bandwidth client opened to the emulator (counted by the emulator's server): **${sequential.opened}** over ${sequential.calls.toLocaleString('en')} sequential calls (${sequential.calls / 2} sends, then ${sequential.calls / 2} verifies, OAuth token fetch included) from a fresh app process; ${f.concurrentConnections} over the ${f.amount} + ${f.amount} concurrent sends and verifies above (${env.connections} at a time).`,
    '',
  );

  lines.push('## Memory of a fresh app process, after a forced GC', '');
  lines.push(
    `(c) and, as a control, (a), each in a fresh process, loaded at the same time with ${env.connections} connections; RSS wanders by several MB between readings in both, a leak would climb steadily.`,
    '',
  );
  lines.push(`| | ${memory.map((r) => `after ${r.requests.toLocaleString('en')}`).join(' | ')} | last − first |`);
  lines.push(`|---|${memory.map(() => '---:|').join('')}---:|`);
  for (const [variant, run] of /** @type {const} */ ([
    ['c', memory],
    ['a', memoryControl],
  ])) {
    for (const [label, key] of /** @type {const} */ ([
      ['RSS', 'rss'],
      ['heap used', 'heapUsed'],
    ])) {
      const last = /** @type {import('./types').MemoryPoint} */ (run[run.length - 1]);
      lines.push(
        `| (${variant}) ${label} | ${run.map((r) => mb(r[key])).join(' | ')} | ${signedMb(last[key] - /** @type {import('./types').MemoryPoint} */ (run[0])[key])} |`,
      );
    }
  }
  lines.push('');
  return lines.join('\n');
}

module.exports = { render };
