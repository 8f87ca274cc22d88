// Checks for what goes to Bandwidth verbatim: message templates and scopes.
import { describe, fail } from './checks';

/** Bandwidth's limit is 2048; we keep room for `{SCOPE}` being filled in. */
const MAX_TEMPLATE_LENGTH = 2000;

export function checkTemplate(name: string, value: unknown): string {
  if (typeof value !== 'string' || !value.includes('{CODE}') || value.length > MAX_TEMPLATE_LENGTH) {
    fail(
      `\`${name}\` must be text of at most ${MAX_TEMPLATE_LENGTH} characters containing {CODE} (where Bandwidth puts the code); got ${describe(value)}.`,
    );
  }
  return value;
}

/** A template for codes bound to one action: `{ACTION}` is where the app's text of the action goes. */
export function checkActionTemplate(name: string, value: unknown): string {
  checkTemplate(name, value);
  if (!(value as string).includes('{ACTION}'))
    fail(`\`${name}\` must contain {ACTION}, where the text of the action the code approves goes.`);
  return value as string;
}

/** 16 characters at most: Bandwidth allows 25, and each challenge adds a 9-character suffix. */
export const SCOPE_PATTERN = /^[A-Za-z0-9_-]{1,16}$/;

export function checkScope(name: string, value: unknown): string {
  if (typeof value !== 'string' || !SCOPE_PATTERN.test(value)) {
    fail(
      `\`${name}\` must be 1–16 letters, digits, "_" or "-" (Bandwidth allows 25 and we add a per-challenge suffix); got ${describe(value)}.`,
    );
  }
  return value;
}
