// The page, top to bottom, as a list of sections: another form (recovery codes...) is one more entry here.
import { html, type SafeHtml } from './html';
import type { PageView } from './page-view';
import type { ChallengePageSection } from './page-options';
import { lockoutSection } from './lockout-section';
import { verifySection } from './verify-section';
import { sendSection } from './send-section';
import { passkeySection } from './passkey-section';
import { recoverySection } from './recovery-section';
import { signOutSection } from './sign-out-section';

/** A section decides from the view whether it shows at all. */
export interface SectionBuilder {
  name: string;
  build(view: PageView): SafeHtml | undefined;
}

export const SECTIONS: readonly SectionBuilder[] = [
  { name: 'heading', build: (view) => html`<h1 id="mfa-title">${view.title}</h1>` },
  { name: 'signOut', build: signOutSection },
  { name: 'notice', build: (view) => (view.sent === undefined ? undefined : html`<p class="mfa-notice" role="status">${view.sent}</p>`) },
  {
    name: 'reason',
    build: (view) =>
      view.reason === undefined || view.locked ? undefined : html`<p class="mfa-reason" id="mfa-reason">${view.reason}</p>`,
  },
  {
    name: 'action',
    build: (view) =>
      view.state.action === undefined || view.locked
        ? undefined
        : html`<p class="mfa-action" id="mfa-action"><strong>${view.t('page_action', { action: view.state.action })}</strong></p>`,
  },
  { name: 'lockout', build: lockoutSection },
  { name: 'passkey', build: passkeySection },
  { name: 'verify', build: verifySection },
  { name: 'send', build: sendSection },
  { name: 'recovery', build: recoverySection },
  { name: 'risk', build: riskNotice },
];

/** Meaningful notice (NIST SP 800-63B-4): what a phone code leaves open, and where the stronger factor is. */
function riskNotice(view: PageView): SafeHtml | undefined {
  // A passkey-only page offers no phone code to warn about.
  if (!view.codeAllowed) return undefined;
  const stronger = view.accountPath === undefined ? '' : html` <a href="${view.accountPath}">${view.t('page_stronger_factor')}</a>`;
  return html`<p class="mfa-hint" id="mfa-risk">${view.t('page_phone_risk')}${stronger}</p>`;
}

export function buildSections(view: PageView, builders: readonly SectionBuilder[] = SECTIONS): ChallengePageSection[] {
  const sections: ChallengePageSection[] = [];
  for (const builder of builders) {
    const built = builder.build(view);
    if (built) sections.push({ name: builder.name, html: built.text });
  }
  return sections;
}
