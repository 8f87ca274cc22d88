// A reference for the storm: send and verify routes with the I/O of the library's and none of its flow.
/**
 * What an app's own route doing the same I/O as a send and a verify costs its neighbours: the session read, one
 * Bandwidth call (through the library's client, the same keep-alive HTTP), the session write. No shared store, no
 * limits, no budgets, no turns.
 * @param {typeof import('express-bandwidth-mfa')} mfa
 * @param {import('express-bandwidth-mfa').BandwidthOptions} bandwidth
 * @returns {{ send: import('express').RequestHandler, verify: import('express').RequestHandler }}
 */
function standInRoutes(mfa, bandwidth) {
  const client = mfa.createBandwidthClient(bandwidth);
  /** @typedef {{ user?: import('express-bandwidth-mfa').MfaUser, standIn?: { scope: string } }} StandInSession */
  return {
    send: (req, res, next) => {
      const data = /** @type {StandInSession} */ (/** @type {unknown} */ (req.session));
      const to = data.user?.phoneNumber;
      if (!to) return void res.status(401).json({ error: 'not_signed_in' });
      const scope = `login-${Math.random().toString(16).slice(2, 10)}`;
      client.sendCode({ channel: 'sms', to, message: 'Your code is {CODE}', digits: 6, scope }).then(() => {
        data.standIn = { scope };
        res.json({ ok: true });
      }, next);
    },
    verify: (req, res, next) => {
      const data = /** @type {StandInSession} */ (/** @type {unknown} */ (req.session));
      const to = data.user?.phoneNumber;
      if (!to || !data.standIn) return void res.status(400).json({ error: 'no_challenge' });
      const code = String(req.body?.code ?? '');
      const request = { to, scope: data.standIn.scope, code, expirationTimeInMinutes: 5 };
      client.verifyCode(request).then((valid) => {
        data.standIn = undefined;
        res.status(valid ? 200 : 401).json({ ok: valid });
      }, next);
    },
  };
}

module.exports = { standInRoutes };
