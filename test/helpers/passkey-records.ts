// The app's passkey table, for tests: the four storage hooks over a Map, as an app would over its database.
import type { PasskeysOptions, StoredPasskey } from '../../src';

export const RP_ID = 'localhost';
export const ORIGIN = 'http://localhost:3000';

export interface PasskeyRecords {
  options: PasskeysOptions;
  of(userId: string): StoredPasskey[];
}

export function passkeyRecords(extra: Partial<PasskeysOptions> = {}): PasskeyRecords {
  const table = new Map<string, StoredPasskey[]>();
  const of = (userId: string) => table.get(userId) ?? [];
  return {
    of,
    options: {
      rpId: RP_ID,
      rpName: 'Test Co.',
      origins: [ORIGIN],
      listPasskeys: (userId) => of(userId).map((passkey) => ({ ...passkey })),
      savePasskey: (userId, passkey) => void table.set(userId, [...of(userId), passkey]),
      updatePasskeyCounter: (userId, credentialId, counter, lastUsedAt) => {
        const passkey = of(userId).find((p) => p.credentialId === credentialId);
        if (passkey) Object.assign(passkey, { counter, lastUsedAt });
      },
      removePasskey: (userId, credentialId) => {
        const before = of(userId);
        table.set(
          userId,
          before.filter((p) => p.credentialId !== credentialId),
        );
        return before.length !== of(userId).length;
      },
      ...extra,
    },
  };
}
