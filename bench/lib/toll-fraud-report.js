// The toll-fraud section of the bench report: the pumping table, the budgets' cost per send, the full metadata's cost.
/**
 * @param {number[]} values
 * @param {number} p Percent.
 */
const pct = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : /** @type {number} */ (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]);
};
const f1 = (/** @type {number} */ n) => (Number.isFinite(n) ? n.toFixed(1) : '—');
const kb = (/** @type {number} */ bytes) => `${(bytes / 1024).toFixed(0)} KiB`;
const list = (/** @type {import('./types').Counts} */ counts) =>
  Object.entries(counts)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ') || '—';

/** @type {Record<import('./types').AttackKind, string>} */
const LABELS = {
  a: '(a) one address, new accounts, numbers in 8 countries abroad, never verified',
  b: '(b) 200 addresses, 1–2 accounts each, numbers in 20 ranges of one country (LV)',
  b2: '(b′) the same in 20 ranges of a country with real users (GB)',
  c: '(c) many addresses, numbers over 30 countries',
};
/** @type {Record<import('./types').AttackKind, string>} */
const AIMS = { a: '≤ 10 sent', b: '≤ 50 sent', b2: '≤ 50 sent', c: '≤ 30 per country' };

/**
 * @param {object} section
 * @param {import('./types').PumpingResult} section.pumping
 * @param {import('./types').BudgetCost} section.cost
 * @param {import('./types').MetadataCost} section.metadata
 */
function renderTollFraud({ pumping, cost, metadata }) {
  const { attacks, real, settings, seconds, timing } = pumping;
  const lines = [
    '## Toll fraud: a pumping simulation against a background of real users',
    '',
    `One app with the library's default budgets (unverified codes: country max(20, 0.3 × verified), range 5, address 10; known numbers 30 days), windows shortened to ${settings.windowSeconds} s and the ceiling set to ${settings.ceiling} (about three times the background's hour), Redis store, emulator in process; ${settings.realUsers} real users (US 40 %, CA, GB, FR 20 % each; ${Math.round(settings.returningShare * 100)} % returning, their number known from a right code on an earlier sign-in; 90 % enter their code, 5 % ask for a second one) and the attacks at once, ${settings.concurrency} clients at a time, ${f1(seconds)} s in all.`,
    '',
    '| attack | attempts | codes sent before cut-off | codes sent in all | largest per country | time to cut-off | aim | refusals |',
    '|---|---:|---:|---:|---:|---:|---|---|',
  ];
  for (const kind of /** @type {const} */ (['a', 'b', 'b2', 'c'])) {
    const a = attacks[kind];
    lines.push(
      `| ${LABELS[kind]} | ${a.attempts} | ${a.sentBeforeCutOff} | ${a.sent} | ${a.maxPerCountry} (${a.countries} countries) | ${a.cutOffAfterMs === undefined ? 'never' : `${(a.cutOffAfterMs / 1000).toFixed(1)} s`} | ${AIMS[kind]} | ${list(a.refusals)} |`,
    );
  }
  lines.push(
    '',
    `Real users: ${real.users} sends, ${real.sent} sent; refused inside the buckets the attacks filled: **${real.refusedInside}** (of them ${real.refusedInsideNew} new users, whose number no right code vouched for yet, of ${real.newInAttacked} new users there), outside them: **${real.refusedOutside}** (${list(real.refusals)}); verifications that failed: ${real.verifyFailures}.`,
    '',
    '"Before cut-off": sent until the attack\'s first refusal; "in all": what it got out over the whole run (a bucket earns room back only as its codes are verified, or when its window ends). Time to cut-off is wall time at this compressed pace.',
    '',
    "**Cost per send of the budgets.** Under the simulation's load (client-side, store call to answer; 24 clients in one process, so event-loop waits are included):",
    '',
    '| store step | round trips per send | p50 µs | p99 µs | calls |',
    '|---|---:|---:|---:|---:|',
    `| \`claimSend\` (the user's lockout, cooldown, hourly cap: before this work) | 1 | ${f1(pct(timing.claimSend, 50))} | ${f1(pct(timing.claimSend, 99))} | ${timing.claimSend.length} |`,
    `| \`countSend\` (number cap, 3 buckets, ceiling, allow-list: the budgets) | 1 | ${f1(pct(timing.countSend, 50))} | ${f1(pct(timing.countSend, 99))} | ${timing.countSend.length} |`,
    `| \`creditSend\` (on a right code, at verify) | 1 per verify | ${f1(pct(timing.creditSend, 50))} | ${f1(pct(timing.creditSend, 99))} | ${timing.creditSend.length} |`,
    '',
    `Quiet, one call at a time, ${cost.amount} each taking turns (round trips counted at the client): \`claimSend\` ${f1(cost.claimSend.p50)} µs p50 (${cost.claimSend.trips} round trip), \`countSend\` ${f1(cost.countSend.p50)} µs p50 (${cost.countSend.trips} round trip): the budgets add one round trip per send, of ${(cost.countSend.p50 / cost.claimSend.p50).toFixed(2)} × the user's own step (${f1(cost.countSend.p50 - cost.claimSend.p50)} µs more).`,
    '',
    `**Full number metadata** (\`libphonenumber-js/max\`, ${kb(metadata.maxJsonBytes)} of JSON, loaded once with the library for number types): fresh processes, ${metadata.rounds} each taking turns, medians:`,
    '',
    '| what is loaded | require + first parse: wall ms | CPU ms | heap more than before | RSS more than before |',
    '|---|---:|---:|---:|---:|',
  );
  for (const [name, m] of Object.entries(metadata.variants))
    lines.push(`| ${name} | ${f1(m.ms)} | ${f1(m.cpuMs)} | ${kb(m.heap)} | ${kb(m.rss)} |`);
  // The default build alone, then with `/max` (bench/lib/metadata-cost.js measures those two).
  const [base, both] = /** @type {[import('./types').LoadCost, import('./types').LoadCost]} */ (Object.values(metadata.variants));
  lines.push(
    '',
    `The full metadata adds ${f1(both.cpuMs - base.cpuMs)} ms of CPU at start-up (wall ${f1(both.ms - base.ms)} ms, noisier on a shared machine) and ${kb(both.heap - base.heap)} of heap (${kb(both.rss - base.rss)} RSS); nothing per request.`,
  );
  return lines.join('\n');
}

module.exports = { renderTollFraud };
