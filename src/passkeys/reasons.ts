// Why the WebAuthn verifier refused a response, as an audit reason: never its message, which may quote the response.

const REASONS: Array<[RegExp, string]> = [
  [/origin/i, 'wrong_origin'],
  [/RP ID|rpID|rp id/i, 'wrong_rp_id'],
  [/challenge/i, 'wrong_challenge'],
  [/user verification|user was not verified/i, 'user_not_verified'],
  [/user presence|not present/i, 'user_not_present'],
  [/counter/i, 'counter_went_backwards'],
  [/type/i, 'wrong_type'],
];

export function rejectionReason(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  return REASONS.find(([pattern]) => pattern.test(message))?.[1] ?? 'verification_failed';
}
