// The app's addresses that more than one file needs: the library is told them once, the pages link to them.
'use strict';

module.exports = {
  LOGIN_PATH: '/login',
  CHALLENGE_PATH: '/2fa',
  ENROL_PATH: '/2fa/enrol',
  RECOVERY_PATH: '/2fa/recovery',
  RECOVERY_CODES_PATH: '/2fa/recovery-codes',
  ACCOUNT_PATH: '/account',
  ADMIN_PATH: '/admin',
  PASSKEY_SIGNIN_PATH: '/2fa/passkeys',
  ACCOUNT_PASSKEYS_PATH: '/account/passkeys',
};
