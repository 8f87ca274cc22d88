// Which channels the provider can send codes on: what a page may offer, decided once from the options.
import type { Channel } from '../bandwidth/types';

/**
 * SMS always; voice only with a Bandwidth `voiceApplicationId` (without it every voice send is refused).
 * Another provider (any object with `sendCode`/`verifyCode`) implements both channels by contract.
 */
export function channelsOf(bandwidth: unknown): readonly Channel[] {
  const options = bandwidth as { sendCode?: unknown; verifyCode?: unknown; voiceApplicationId?: unknown } | null | undefined;
  if (typeof options?.sendCode === 'function' && typeof options.verifyCode === 'function') return ['sms', 'voice'];
  return typeof options?.voiceApplicationId === 'string' && options.voiceApplicationId !== '' ? ['sms', 'voice'] : ['sms'];
}
