// The send form: the channel choice (voice only when the provider can), the resend countdown, errors about sending.
import type { Channel } from '../bandwidth/types';
import { html, type SafeHtml } from './html';
import type { PageView } from './page-view';
import { csrfField, describedBy } from './form-parts';

export function sendSection(view: PageView): SafeHtml | undefined {
  if (view.locked || !view.codeAllowed) return undefined;
  const { state } = view;
  const resend = Boolean(state.pending);
  // A recovery error with no recovery form to show it (the count failed meanwhile) is said here rather than lost.
  const error = view.error?.near === 'send' || (view.error?.near === 'recovery' && !view.recovery) ? view.error.text : undefined;
  const wait = state.resendAvailableInSeconds;
  const phone = state.maskedPhoneNumber ?? '';
  return html`<form method="post" action="${view.sendPath}" class="${resend ? 'mfa-card mfa-secondary' : 'mfa-card'}" id="mfa-send">
  ${csrfField(view)}
  ${!resend && html`<p>${view.t('page_intro', { digits: state.digits, phone })}</p>`}
  ${channelChoice(view, resend)}
  ${error && html`<p id="mfa-send-error" class="mfa-error" role="alert">${error}</p>`}
  <button type="submit" id="mfa-send-button"${resend && html` class="mfa-secondary"`}${describedBy(wait > 0 && 'mfa-resend-wait', error && 'mfa-send-error')}>${view.t(resend ? 'page_resend_button' : 'page_send_button')}</button>
  ${wait > 0 && countdown(view, wait)}
</form>`;
}

/** Radios when there is a choice; otherwise the one channel travels as a hidden field. */
function channelChoice(view: PageView, resend: boolean): SafeHtml {
  const channels = view.channels;
  const pendingChannel = view.state.pending?.channel;
  const checked: Channel = pendingChannel && channels.includes(pendingChannel) ? pendingChannel : (channels[0] as Channel);
  if (channels.length === 1) {
    return html`<input type="hidden" name="channel" value="${checked}">
  ${resend && html`<p>${view.t('page_resend_legend')}</p>`}`;
  }
  return html`<fieldset>
    <legend>${view.t(resend ? 'page_resend_legend' : 'page_channel_legend')}</legend>
    ${channels.map(
      (channel) => html`<div class="mfa-choice">
      <input id="mfa-channel-${channel}" name="channel" type="radio" value="${channel}"${channel === checked && html` checked`}>
      <label for="mfa-channel-${channel}">${view.t(channel === 'voice' ? 'page_channel_voice' : 'page_channel_sms')}</label>
    </div>`,
    )}
  </fieldset>`;
}

/**
 * The wait the server knows, as a sentence; the page's script (when it runs) keeps the button disabled
 * and counts down, with the sentence and plural forms in the page's language from these attributes.
 */
function countdown(view: PageView, wait: number): SafeHtml {
  const { seconds, minutes, hours } = view.catalogue;
  return html`<p id="mfa-resend-wait" class="mfa-hint" data-mfa-countdown="${wait}" data-mfa-button="mfa-send-button"
    data-mfa-template="${view.t('page_resend_wait')}" data-mfa-done="${view.t('page_resend_now')}"
    data-mfa-units="${JSON.stringify({ seconds, minutes, hours })}">${view.t('page_resend_wait', { wait: view.duration(wait) })}</p>`;
}
