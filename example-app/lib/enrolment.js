// Where a signed-in user without a phone number goes: the enrolment page, before any code can be sent.
'use strict';

const { currentUser, wantsJson } = require('./respond');

const ENROL_PATH = '/2fa/enrol';

/** Sends a signed-in user who has no number yet to enrolment; everyone else goes on. */
function enrolmentGuard(accounts) {
  return async function enrolmentGuard(req, res, next) {
    try {
      const user = await currentUser(req, accounts);
      if (!user || user.phoneNumber) return next();
      if (wantsJson(req)) {
        return res.status(403).json({ error: 'enrolment_required', message: 'Add a phone number for the second factor first.', redirectTo: ENROL_PATH });
      }
      res.redirect(302, ENROL_PATH);
    } catch (error) {
      next(error);
    }
  };
}

module.exports = { enrolmentGuard, ENROL_PATH };
