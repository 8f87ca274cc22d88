// In-process cost of `middleware()` + `requireSecondFactor()` on a verified session, without HTTP or Redis.
const mfa = require('express-bandwidth-mfa');

const USER = { id: 'bench-user-0', phoneNumber: '+12020000000' };

/**
 * Nanoseconds per request the two steps add, measured against the same promise harness calling
 * `next` directly, so only the library's own work remains. Many passes, the median kept.
 */
async function guardCost({ iterations = 100_000, passes = 7 } = {}) {
  const attach = mfa.middleware({
    bandwidth: { sendCode: async () => ({ id: 'unused' }), verifyCode: async () => false },
    getUser: (req) => req.session.user ?? null,
    store: mfa.memoryStore(),
  });
  const guard = mfa.requireSecondFactor({ maxAgeSeconds: 900 });
  const session = { user: USER, mfa: { verified: { '2FA': { userId: USER.id, at: Date.now() } } } };
  const res = {};
  const fail = () => {
    throw new Error('requireSecondFactor() refused the verified session');
  };
  const viaLibrary = () => new Promise((resolve) => {
    const req = { session, method: 'GET', headers: {} };
    attach(req, res, () => guard(req, res, (error) => (error ? fail() : resolve())));
  });
  const baseline = () => new Promise((resolve) => {
    const req = { session, method: 'GET', headers: {} };
    resolve(req);
  });
  const time = async (step) => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i += 1) await step();
    return Number(process.hrtime.bigint() - start) / iterations;
  };
  const refused = new Promise((_, reject) => setTimeout(() => reject(new Error('requireSecondFactor() did not pass the verified session')), 1000).unref());
  await Promise.race([viaLibrary(), refused]);
  await time(viaLibrary);
  await time(baseline);
  const samples = [];
  for (let pass = 0; pass < passes; pass += 1) samples.push((await time(viaLibrary)) - (await time(baseline)));
  samples.sort((x, y) => x - y);
  return { nanos: samples[Math.floor(samples.length / 2)], iterations, passes };
}

module.exports = { guardCost };
