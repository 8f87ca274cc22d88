// Checks the `messages` option once: known keys only, sentences as strings, SMS templates with {CODE}.
import type { MfaOptions } from '../options';
import { en } from '../messages/en';
import { checkActionTemplate, checkTemplate } from './templates';
import { LOCALE_PATTERN, describe, fail, rejectUnknownKeys } from './checks';

const KEYS = Object.keys(en);
const PLURAL_KEYS = new Set(['seconds', 'minutes', 'hours', 'days']);
const PLURAL_CATEGORIES = ['zero', 'one', 'two', 'few', 'many', 'other'];

export function resolveMessageOverrides(messages: unknown): NonNullable<MfaOptions['messages']> {
  if (messages === undefined) return {};
  if (typeof messages !== 'object' || messages === null || Array.isArray(messages)) {
    fail('`messages` must map locales to sentences, e.g. `{ en: { invalid_code: "Wrong code." } }`.');
  }
  for (const [locale, catalogue] of Object.entries(messages as Record<string, unknown>)) {
    if (!LOCALE_PATTERN.test(locale)) fail(`\`messages\` keys must be language tags such as "en" or "pt-BR"; got ${describe(locale)}.`);
    if (typeof catalogue !== 'object' || catalogue === null || Array.isArray(catalogue)) {
      fail(`\`messages.${locale}\` must be an object of sentences, e.g. \`{ invalid_code: "…" }\`; got ${describe(catalogue)}.`);
    }
    rejectUnknownKeys(`messages.${locale}.`, catalogue, KEYS);
    for (const [key, value] of Object.entries(catalogue as Record<string, unknown>)) {
      const where = `messages.${locale}.${key}`;
      if (PLURAL_KEYS.has(key)) checkPluralForms(where, value);
      else if (key === 'sms_template' || key === 'voice_template') checkTemplate(where, value);
      else if (key === 'sms_action_template' || key === 'voice_action_template') checkActionTemplate(where, value);
      else if (typeof value !== 'string' || value === '') fail(`\`${where}\` must be a non-empty string; got ${describe(value)}.`);
    }
  }
  return messages as NonNullable<MfaOptions['messages']>;
}

function checkPluralForms(where: string, value: unknown): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(`\`${where}\` must be plural forms such as \`{ one: "{count} minute", other: "{count} minutes" }\`; got ${describe(value)}.`);
  }
  rejectUnknownKeys(`${where}.`, value, PLURAL_CATEGORIES);
  const forms = value as Record<string, unknown>;
  if (typeof forms.other !== 'string') fail(`\`${where}.other\` is required: the form used when no other fits, e.g. "{count} minutes".`);
  for (const [category, form] of Object.entries(forms)) {
    if (typeof form !== 'string' || !form.includes('{count}'))
      fail(`\`${where}.${category}\` must be a string containing {count}; got ${describe(form)}.`);
  }
}
