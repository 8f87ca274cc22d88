// Small pieces the page's forms share.
import { html, type SafeHtml } from './html';
import type { PageView } from './page-view';

/** The app's CSRF token as the hidden field its check reads; nothing without a `csrfToken` hook. */
export function csrfField(view: PageView): SafeHtml | undefined {
  return view.csrf && html`<input type="hidden" name="${view.csrf.field}" value="${view.csrf.token}">`;
}

/** The ids an element's `aria-describedby` lists, or nothing (an empty attribute would describe it as blank). */
export function describedBy(...ids: Array<string | false | undefined>): SafeHtml | undefined {
  const list = ids.filter((id): id is string => Boolean(id)).join(' ');
  return list ? html` aria-describedby="${list}"` : undefined;
}
