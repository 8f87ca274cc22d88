// Picks a locale for a request and renders sentences from the catalogue, falling back to English.
import type { Request } from 'express';
import type { MessageCatalogue, MessageKey } from './types';
import { en } from './en';

export type MessageParams = Record<string, string | number>;

export class Messages {
  private readonly catalogues: Map<string, MessageCatalogue>;
  readonly locales: string[];

  constructor(builtIn: Record<string, MessageCatalogue>, overrides: Record<string, Partial<MessageCatalogue>> = {}) {
    this.catalogues = new Map();
    for (const locale of new Set([...Object.keys(builtIn), ...Object.keys(overrides)])) {
      // Each locale falls back to English key by key, so a partial override never leaves a hole.
      const base = builtIn[locale] ?? en;
      this.catalogues.set(locale.toLowerCase(), { ...en, ...base, ...overrides[locale] });
    }
    this.locales = [...this.catalogues.keys()];
  }

  /** The best locale for `Accept-Language`, or `en`. */
  localeFromRequest(req: Request): string {
    const best = req.acceptsLanguages(this.locales);
    return typeof best === 'string' ? best.toLowerCase() : 'en';
  }

  catalogue(locale: string): MessageCatalogue {
    const wanted = locale.toLowerCase();
    return this.catalogues.get(wanted) ?? this.catalogues.get(wanted.split('-')[0] ?? '') ?? en;
  }

  render(locale: string, key: MessageKey, params: MessageParams = {}): string {
    return interpolate(this.catalogue(locale)[key], params);
  }

  /** "2 minutes", "45 seconds", "1 hour": rounded up, so a person never comes back too early. */
  duration(locale: string, totalSeconds: number): string {
    const catalogue = this.catalogue(locale);
    const seconds = Math.max(1, Math.ceil(totalSeconds));
    const [unit, count] =
      seconds < 60
        ? (['seconds', seconds] as const)
        : seconds < 3600
          ? (['minutes', Math.ceil(seconds / 60)] as const)
          : (['hours', Math.ceil(seconds / 3600)] as const);
    return pluralForm(locale, catalogue[unit], count);
  }
}

/** "3 minutes", "30 days": the form of `forms` the language's plural rules pick for `count`, with `{count}` filled in. */
export function pluralForm(locale: string, forms: Partial<Record<Intl.LDMLPluralRule, string>> & { other: string }, count: number): string {
  return interpolate(forms[pluralCategory(locale, count)] ?? forms.other, { count });
}

function pluralCategory(locale: string, count: number): Intl.LDMLPluralRule {
  try {
    return new Intl.PluralRules(locale).select(count);
  } catch {
    // An odd tag from the app's locale(): English rules.
    return count === 1 ? 'one' : 'other';
  }
}

/** Replaces lowercase `{name}` placeholders only: Bandwidth's `{CODE}` and `{NAME}` stay for Bandwidth. */
export function interpolate(template: string, params: MessageParams): string {
  return template.replace(/\{([a-z][a-zA-Z]*)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}
