// Phone numbers never appear whole in logs, events or answers: country code and last four only.
import { isE164 } from './e164';

/** `+12345678901` → `+1******8901`. Anything that is not E.164 is masked entirely. */
export function maskPhoneNumber(phoneNumber: string): string {
  if (!isE164(phoneNumber)) return '[hidden number]';
  const country = phoneNumber.slice(0, 2);
  const last = phoneNumber.slice(-4);
  return `${country}${'*'.repeat(phoneNumber.length - country.length - last.length)}${last}`;
}

/** Masks every E.164-looking number and every code-length digit run inside free text (provider messages may echo either). */
export function maskNumbersIn(text: string): string {
  return (
    text
      .replace(/\+?\d[\d\s().-]{5,}\d/g, (match) => {
        const digits = match.replace(/\D/g, '');
        return maskPhoneNumber(`+${digits}`);
      })
      // A code is 4–8 digits; the last four of a number masked above follow a `*` and stay.
      .replace(/(?<![\d*])\d{4,8}(?!\d)/g, (run) => '*'.repeat(run.length))
  );
}
