// `node bench/toll-fraud.js` (after `npm run build`): the toll-fraud piece of `npm run bench` alone; prints and writes bench/toll-fraud-results.md.
const fs = require('node:fs');
const path = require('node:path');
const { randomBytes } = require('node:crypto');
const { connect, deleteKeys } = require('./lib/redis-count');
const { runPumping } = require('./lib/pumping');
const { metadataCost } = require('./lib/metadata-cost');
const { budgetCost } = require('./lib/budget-cost');
const { renderTollFraud } = require('./lib/toll-fraud-report');

// Sized to keep this piece well under a minute on a small machine.
/** @type {import('./lib/types').PumpingSettings} */
const SETTINGS = {
  realUsers: Number(process.env.BENCH_PUMP_USERS || 2000),
  // Share of real users whose number took a right code before the run (an earlier sign-in).
  returningShare: 0.8,
  attackA: 200,
  attackC: 600,
  windowSeconds: 300,
  ceiling: 6000,
  concurrency: 24,
};

/**
 * @param {{ redis: import('ioredis').Redis, prefix: string }} context
 * @param {(message: string) => void} [step] Told what runs next.
 */
async function tollFraudSection({ redis, prefix }, step = () => undefined) {
  step(`toll fraud: ${SETTINGS.realUsers} real users and attacks (a), (b), (c) at once`);
  const pumping = await runPumping({ redis, prefix: `${prefix}pump:`, settings: SETTINGS });
  step("toll fraud: the budgets' store step, one call at a time, beside the user's own");
  const cost = await budgetCost(redis, `${prefix}cost:`);
  step('toll fraud: the full number metadata, fresh processes');
  const metadata = metadataCost();
  return renderTollFraud({ pumping, cost, metadata });
}

async function main() {
  const prefix = `mfa-bench:${randomBytes(6).toString('hex')}:`;
  const redis = connect();
  try {
    const report = await tollFraudSection({ redis, prefix }, (m) =>
      console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}`),
    );
    console.log(report);
    fs.writeFileSync(
      path.join(__dirname, 'toll-fraud-results.md'),
      `# express-bandwidth-mfa benchmark: toll fraud\n\n- Date: ${new Date().toISOString()}, Node ${process.version}\n- Command: \`npm run build && node bench/toll-fraud.js\` (also part of \`npm run bench\`)\n\n${report}\n`,
    );
  } finally {
    await deleteKeys(redis, prefix);
    redis.disconnect();
  }
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}

module.exports = { tollFraudSection };
