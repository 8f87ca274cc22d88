// Small validators for options: each throws a TypeError that says what to change.
import { LOG_PREFIX } from '../log-prefix';

export function fail(message: string): never {
  throw new TypeError(`${LOG_PREFIX}${message}`);
}

/** A language tag such as "en" or "pt-BR", for the `messages` keys and what `locale(req)` may answer. */
export const LOCALE_PATTERN = /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/;

/** How recent a second factor must be for a sensitive change or a single-use action, by default: five minutes. */
export const FRESH_FACTOR_SECONDS = 300;

/**
 * A secret, or a non-empty array of them (newest first, for rotation), each at least 32 characters.
 * Never quotes the secret back: only what is wrong with it.
 */
export function secretsOption(name: string, value: unknown, kept = ''): string[] {
  const list: unknown[] = Array.isArray(value) ? value : [value];
  if (list.length === 0 || list.some((secret) => typeof secret !== 'string' || secret.length < 32)) {
    fail(`\`${name}\` must be a string of at least 32 random characters${kept} (or a non-empty array of them, newest first).`);
  }
  return list as string[];
}

export function integerIn(name: string, value: unknown, fallback: number, min: number, max: number, why = ''): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(`\`${name}\` must be a whole number from ${min} to ${max}; got ${describe(value)}.${why ? ` ${why}` : ''}`);
  }
  return value;
}

export function pathOption(name: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//')) {
    fail(`\`${name}\` must be a path on this site such as "${fallback}"; got ${describe(value)}.`);
  }
  return value;
}

export function optionalFunction<T>(name: string, value: unknown): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') fail(`\`${name}\` must be a function; got ${describe(value)}.`);
  return value as T;
}

/** Catches misspelled option names, with a suggestion when one is close. */
export function rejectUnknownKeys(where: string, input: object, known: readonly string[]): void {
  for (const key of Object.keys(input)) {
    if (known.includes(key)) continue;
    const close = known.find((name) => editDistance(name.toLowerCase(), key.toLowerCase()) <= 2);
    fail(`unknown option \`${where}${key}\`.${close ? ` Did you mean \`${where}${close}\`?` : ` Known options: ${known.join(', ')}.`}`);
  }
}

export function describe(value: unknown): string {
  if (typeof value === 'string') return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  // A function's source could hold anything; its kind is enough to say what to change.
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return value.toString();
  return typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint' ? String(value) : 'undefined';
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    let diagonal = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const above = row[j] as number;
      row[j] = Math.min(above + 1, (row[j - 1] as number) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] as number;
}
