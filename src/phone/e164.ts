// The one shape check for a phone number in E.164 form (`+` and 7 to 15 digits), used wherever a number is read.

const E164 = /^\+[1-9]\d{6,14}$/;

export function isE164(value: unknown): value is string {
  return typeof value === 'string' && E164.test(value);
}
