// Checks `phoneNumbers.allowedTypes`: per channel, a non-empty list of libphonenumber-js number types, misspellings caught.
import type { Channel } from '../bandwidth/types';
import { DEFAULT_ALLOWED_TYPES, PHONE_NUMBER_TYPES, type PhoneNumberType } from '../phone/number-type';
import { describe, fail, rejectUnknownKeys } from './checks';

const CHANNELS: readonly Channel[] = ['sms', 'voice'];

export function resolveAllowedTypes(option: unknown): Readonly<Record<Channel, ReadonlySet<PhoneNumberType>>> {
  if (option !== undefined && (typeof option !== 'object' || option === null || Array.isArray(option))) {
    fail(
      `\`phoneNumbers.allowedTypes\` must be an object per channel such as \`{ sms: ["MOBILE", "FIXED_LINE_OR_MOBILE"] }\`; got ${describe(option)}.`,
    );
  }
  const fields = (option ?? {}) as Record<string, unknown>;
  rejectUnknownKeys('phoneNumbers.allowedTypes.', fields, CHANNELS);
  const resolved = {} as Record<Channel, ReadonlySet<PhoneNumberType>>;
  for (const channel of CHANNELS)
    resolved[channel] = new Set(typesOf(`phoneNumbers.allowedTypes.${channel}`, fields[channel], DEFAULT_ALLOWED_TYPES[channel]));
  return resolved;
}

function typesOf(name: string, value: unknown, fallback: readonly PhoneNumberType[]): readonly PhoneNumberType[] {
  if (value === undefined) return fallback;
  if (!Array.isArray(value) || value.length === 0) {
    fail(`\`${name}\` must be a non-empty array of number types such as ["MOBILE", "FIXED_LINE_OR_MOBILE"]; leave it out for the default.`);
  }
  for (const [i, type] of value.entries()) {
    if (!(PHONE_NUMBER_TYPES as readonly unknown[]).includes(type)) {
      const close =
        typeof type === 'string' ? PHONE_NUMBER_TYPES.find((known) => known === type.toUpperCase().replace(/[\s-]/g, '_')) : undefined;
      fail(
        `\`${name}[${i}]\` must be one of ${PHONE_NUMBER_TYPES.join(', ')}; got ${describe(type)}.${close ? ` Did you mean "${close}"?` : ''}`,
      );
    }
  }
  return value as PhoneNumberType[];
}
