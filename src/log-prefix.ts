// The one prefix of every line the library logs and every error it throws, so operators can search for them.
export const LOG_PREFIX = 'express-bandwidth-mfa: ';
