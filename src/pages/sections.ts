// The page, top to bottom, as a list of sections: another form (recovery codes...) is one more entry here.
import { html, type SafeHtml } from './html';
import type { PageView } from './page-view';
import type { ChallengePageSection } from './page-options';
import { lockoutSection } from './lockout-section';
import { verifySection } from './verify-section';
import { sendSection } from './send-section';
import { passkeySection } from './passkey-section';

/** A section decides from the view whether it shows at all. */
export interface SectionBuilder {
  name: string;
  build(view: PageView): SafeHtml | undefined;
}

export const SECTIONS: readonly SectionBuilder[] = [
  { name: 'heading', build: (view) => html`<h1 id="mfa-title">${view.title}</h1>` },
  { name: 'notice', build: (view) => view.sent === undefined ? undefined : html`<p class="mfa-notice" role="status">${view.sent}</p>` },
  { name: 'lockout', build: lockoutSection },
  { name: 'passkey', build: passkeySection },
  { name: 'verify', build: verifySection },
  { name: 'send', build: sendSection },
];

export function buildSections(view: PageView, builders: readonly SectionBuilder[] = SECTIONS): ChallengePageSection[] {
  const sections: ChallengePageSection[] = [];
  for (const { name, build } of builders) {
    const built = build(view);
    if (built) sections.push({ name, html: built.text });
  }
  return sections;
}
