// Counts one attempt in a store's `{tag}:attempts` counter: the counter step the flow uses, for the store tests.
import type { MfaStore } from '../../src';

export async function countAttempt(store: MfaStore, tag: string, seconds = 60): Promise<number> {
  const count = await store.countAttempt(
    { lockout: `${tag}:lockout`, attempts: `${tag}:attempts`, streak: `${tag}:streak` },
    { attemptsSeconds: seconds, streakSeconds: seconds },
  );
  if (!count.counted) throw new Error('countAttempt: locked out');
  return count.attempts;
}
