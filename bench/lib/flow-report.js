// The report's section on what one send and one verify cost the app's CPU, and where a profile says it goes.

/** @param {number} n */
const us = (n) => (Number.isFinite(n) ? n.toFixed(0) : '—');
/** @param {number} share */
const pct = (share) => `${(100 * share).toFixed(1)} %`;

/**
 * @param {import('./types').FlowCost} cost
 * @param {{ label: string, cost: import('./types').FlowFigures & import('./types').ClientFigures } | undefined} before the same figures of an older checkout, when measured
 */
function renderFlowCost(cost, before) {
  const lines = [];
  lines.push('## Send and verify in process: CPU per request');
  lines.push('');
  lines.push(
    `The bench app with sessions (connect-redis) and the store in Redis, requests handed to Express without sockets. ${cost.users} users, each signed in beforehand; for each in turn a bare session write, a send and the verify of its code with an instant provider in Bandwidth's place, then another user's send and verify through the library's Bandwidth client against the emulator answering at once (the code read from the emulator between the two, untimed), request by request, so the machine's noise hits them all alike. Medians; CPU is this process's user + system time: the client's request and its answer count, the emulator's work does not.`,
  );
  lines.push('');
  lines.push('| Request | CPU µs | wall µs | CPU vs the bare session write |' + (before ? ` CPU µs at ${before.label} |` : ''));
  lines.push('|---|---:|---:|---:|' + (before ? '---:|' : ''));
  /** @type {[string, 'bare' | 'send' | 'verify' | 'clientSend' | 'clientVerify'][]} */
  const rows = [
    ['a bare express-session route (one session read, one write)', 'bare'],
    ['POST /2fa/send, instant provider', 'send'],
    ['POST /2fa/verify, instant provider', 'verify'],
    ['POST /2fa/send through the Bandwidth client', 'clientSend'],
    ['POST /2fa/verify through the Bandwidth client', 'clientVerify'],
  ];
  for (const [label, key] of rows) {
    const ratio = (cost[key].cpu / cost.bare.cpu).toFixed(2);
    lines.push(
      `| ${label} | ${us(cost[key].cpu)} | ${us(cost[key].wall)} | ${ratio} × |` + (before ? ` ${us(before.cost[key].cpu)} |` : ''),
    );
  }
  lines.push('');
  lines.push(
    `Where the CPU of ${Math.round(cost.profile.totalMicros / 1000)} ms of sends and verifies went (V8 CPU profile, self time, sampled every 100 µs):`,
  );
  lines.push('');
  lines.push('| Owner | share |');
  lines.push('|---|---:|');
  for (const owner of cost.profile.owners) lines.push(`| ${owner.name} | ${pct(owner.share)} |`);
  lines.push('');
  lines.push('| Function (owner, file:line) | share |');
  lines.push('|---|---:|');
  for (const fn of cost.profile.functions) lines.push(`| \`${fn.name}\` | ${pct(fn.share)} |`);
  lines.push('');
  lines.push(
    '`writeUtf8String` and `writev` are the socket writes themselves (a system call each: here, mostly commands to Redis), so each round trip cut saves one of them.',
  );
  return lines.join('\n');
}

module.exports = { renderFlowCost };
