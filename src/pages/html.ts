// A tagged template for HTML: every interpolated value is escaped unless it is already a fragment built by `html`.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** HTML that is safe to insert as is: built by `html`, or trusted on purpose with `trustedHtml`. */
export class SafeHtml {
  constructor(readonly text: string) {}

  toString(): string {
    return this.text;
  }
}

/** Text (and attribute values) for HTML: the five characters that could end a text node or an attribute. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (char) => ESCAPES[char] as string);
}

/** Values are escaped; fragments and arrays of them are kept; `undefined`, `null` and `false` render nothing. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === undefined || value === null || value === false) return '';
  if (value instanceof SafeHtml) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(value);
}

/** html`<p>${text}</p>` */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** HTML the app handed us as HTML (its `layout` or `render` output, a section it built): inserted unescaped. */
export function trustedHtml(text: string): SafeHtml {
  return new SafeHtml(text);
}
