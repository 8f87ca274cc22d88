// What the emulated Bandwidth remembers: codes per number and scope, wrong attempts, its own 429 lockout.
import { randomInt } from 'node:crypto';

export interface IssuedCode {
  code: string;
  at: number;
}

export interface CodeBookOptions {
  /** Wrong codes for a number before Bandwidth answers 429. */
  maxWrongAttempts: number;
  /** How long that 429 lasts. */
  lockoutMs: number;
}

export type VerifyOutcome = 'valid' | 'invalid' | 'rate_limited';

export class CodeBook {
  private codes = new Map<string, IssuedCode[]>();
  private wrong = new Map<string, { count: number; lockedUntil: number }>();

  constructor(private readonly options: CodeBookOptions) {}

  issue(to: string, scope: string, digits: number, now: number): string {
    const code = Array.from({ length: digits }, () => randomInt(10)).join('');
    const key = keyOf(to, scope);
    const list = this.codes.get(key) ?? [];
    list.push({ code, at: now });
    this.codes.set(key, list.slice(-20));
    return code;
  }

  /** Bandwidth's rule: any code of this number and scope issued within the window passes, as often as asked. */
  verify(to: string, scope: string, code: string, windowMinutes: number, now: number): VerifyOutcome {
    const tally = this.wrong.get(to);
    if (tally && tally.lockedUntil > now) return 'rate_limited';
    const since = now - windowMinutes * 60_000;
    const match = (this.codes.get(keyOf(to, scope)) ?? []).some((issued) => issued.at >= since && issued.code === code);
    if (match) {
      this.wrong.delete(to);
      return 'valid';
    }
    const count = (tally && tally.lockedUntil > 0 ? 0 : (tally?.count ?? 0)) + 1;
    const lockedUntil = count >= this.options.maxWrongAttempts ? now + this.options.lockoutMs : 0;
    this.wrong.set(to, { count: lockedUntil ? 0 : count, lockedUntil });
    return 'invalid';
  }

  clear(): void {
    this.codes.clear();
    this.wrong.clear();
  }
}

function keyOf(to: string, scope: string): string {
  return `${to}\u0000${scope}`;
}
