// Fails the run when its tests left keys in Redis: each test must delete what it wrote. Deletes them (this run's only).
const { DEFAULT_TEST_REDIS_URL, databaseOf, databasesToCheck, sweepRun } = require('./run-keys');

module.exports = async function globalTeardown() {
  const run = process.env.MFA_TEST_RUN;
  if (!run) return;
  const leaks = [];
  for (const url of databasesToCheck(process.env.REDIS_URL || DEFAULT_TEST_REDIS_URL)) {
    let swept;
    try {
      swept = await sweepRun(url, run);
    } catch (error) {
      // Not a verdict on the tests: say it loudly and let their own results stand.
      console.error(
        `\nglobal-teardown: could not check Redis db ${databaseOf(url)} at ${new URL(url).host} for keys left by this run: ${error.message}`,
      );
      continue;
    }
    if (swept.count > 0)
      leaks.push(
        `${swept.count} in db ${databaseOf(url)} (${Object.entries(swept.byLabel)
          .map(([label, n]) => `${label}: ${n}`)
          .join(', ')})`,
      );
  }
  if (leaks.length > 0) {
    throw new Error(
      `This run left keys in Redis, by test prefix label: ${leaks.join('; ')}. They are deleted now; make the test that wrote them clean up after itself.`,
    );
  }
};
