// Turns the bench's measurements into the markdown report printed and written to bench/results.md.
const { total, perRequest, round } = require('./redis-count');

const LABELS = {
  a: '(a) express-session only',
  b: '(b) + `middleware()`',
  c: '(c) + `requireSecondFactor()`, verified session',
};

const fixed = (n, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const mb = (bytes) => `${(bytes / 1048576).toFixed(1)} MB`;
const signedMb = (bytes) => `${bytes >= 0 ? '+' : '−'}${(Math.abs(bytes) / 1048576).toFixed(1)} MB`;

function commandsCell(count) {
  const n = count.requests;
  const scripts = total(count.inScripts);
  const cross = `MONITOR: ${round(total(count.roundTrips) / n)} round trips${scripts ? ` + ${round(scripts / n)} inside scripts` : ''}`;
  return `${round(total(count.info) / n)} (${perRequest(count.info, n)}; ${cross})`;
}

function render(m) {
  const { env, micro, protectedRoute: p, commands, flows: f, sequential, memory, memoryControl } = m;
  const lines = [];
  lines.push('# express-bandwidth-mfa benchmark', '');
  lines.push(`- Date: ${env.date}`);
  lines.push(`- Node ${env.node}, ${env.cpus} CPUs (nproc) — ${env.cpuModel}; Redis ${env.redis}; autocannon ${env.autocannon}, ${env.connections} connections`);
  lines.push(`- Command: \`${env.command}\``);
  lines.push('- The load generator, the app, Redis and the emulator share the machine: read the ratios, not the absolute figures.', '');

  lines.push(`## Protected route: GET, session in Redis (connect-redis), ${env.rounds} interleaved rounds × ${env.seconds} s per variant, medians`, '');
  lines.push('| Variant | req/s | p50 ms | p99 ms | app CPU µs / request | req/s vs (a) | CPU vs (a) | Redis commands / request |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---|');
  for (const v of ['a', 'b', 'c']) {
    const s = p[v];
    lines.push(`| ${LABELS[v]} | ${fixed(s.rps, 0)} | ${fixed(s.p50)} | ${fixed(s.p99)} | ${fixed(s.cpuMicros, 0)} | ${fixed(s.ratio)} | ${fixed(s.cpuRatio)} | ${commandsCell(commands[v])} |`);
  }
  lines.push('');
  const iqr = ([low, high]) => `${fixed(low)}–${fixed(high)}`;
  lines.push(`Ratios are medians of the per-round ratios (interquartile range over the ${env.rounds} rounds: req/s b/a ${iqr(p.b.ratioIqr)}, c/a ${iqr(p.c.ratioIqr)}; app CPU b/a ${iqr(p.b.cpuRatioIqr)}, c/a ${iqr(p.c.cpuRatioIqr)}).`);
  lines.push(`Targets: c/a ≥ 0.97 → median ${fixed(p.c.ratio)}; (c) no more Redis commands than (a) → ${round(total(commands.c.info) / commands.c.requests)} vs ${round(total(commands.a.info) / commands.a.requests)}.`);
  lines.push(`In process, without HTTP or Redis, \`middleware()\` + \`requireSecondFactor()\` on a verified session take ${fixed(micro.nanos / 1000)} µs per request (median of ${micro.passes} passes of ${micro.iterations.toLocaleString('en')}), against ${fixed(p.a.cpuMicros, 0)} µs of app CPU for a whole request of (a).`);
  lines.push(`Redis commands counted from \`INFO commandstats\` deltas over ${commands.a.requests} requests per variant (commands run inside Lua scripts count too); the MONITOR figures count only the app's own connection and scripts on the bench's keys, so they stay exact when other clients share the server.`, '');

  lines.push('## Send and verify, Bandwidth emulator answering instantly', '');
  lines.push(`Each request is a different user, signed in once (the default limits — 30 s cooldown, 5 sends an hour, 5 attempts — stay on and are never reached). Verify uses the right code on a fresh challenge. ${f.amount} requests per path for req/s and latency; Redis commands counted over a separate ${f.send.commands.requests}.`, '');
  lines.push('| Path | req/s | p50 ms | p99 ms | Redis commands / request |');
  lines.push('|---|---:|---:|---:|---|');
  lines.push(`| POST /2fa/send | ${fixed(f.send.run.rps, 0)} | ${fixed(f.send.run.p50)} | ${fixed(f.send.run.p99)} | ${commandsCell(f.send.commands)} |`);
  lines.push(`| POST /2fa/verify | ${fixed(f.verify.run.rps, 0)} | ${fixed(f.verify.run.p50)} | ${fixed(f.verify.run.p99)} | ${commandsCell(f.verify.commands)} |`);
  lines.push('');
  lines.push(`TCP connections the app's Bandwidth client opened to the emulator (${env.connectionSource}): ${sequential.opened} over ${sequential.calls} sequential sends; ${f.concurrentConnections} over the ${f.amount} + ${f.amount} concurrent sends and verifies above.`, '');

  lines.push('## Memory of a fresh app process, after a forced GC', '');
  lines.push(`(c) and, as a control, (a), each in a fresh process, loaded at the same time with ${env.connections} connections.`, '');
  lines.push(`| | after ${memory.first.toLocaleString('en')} requests | after ${memory.total.toLocaleString('en')} requests | difference |`);
  lines.push('|---|---:|---:|---:|');
  for (const [variant, run] of [['c', memory], ['a', memoryControl]]) {
    for (const [label, key] of [['RSS', 'rss'], ['heap total', 'heapTotal'], ['heap used', 'heapUsed'], ['external', 'external']]) {
      lines.push(`| (${variant}) ${label} | ${mb(run.early[key])} | ${mb(run.late[key])} | ${signedMb(run.late[key] - run.early[key])} |`);
    }
  }
  lines.push('');
  return lines.join('\n');
}

module.exports = { render };
