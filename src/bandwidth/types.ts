// The provider contract the flow depends on: Bandwidth's client implements it, tests may swap it.

export type Channel = 'sms' | 'voice';

export interface SendCodeRequest {
  channel: Channel;
  /** E.164 number from the app's own records (never from the request). */
  to: string;
  /** Message template; must contain `{CODE}`. `{NAME}` is filled in by Bandwidth. */
  message: string;
  /** Code length, 4–8 per the vendor schema (the flow allows 6–8). */
  digits: number;
  /** Bandwidth scope, at most 25 characters. Verify must send the same one. */
  scope: string;
}

export interface VerifyCodeRequest {
  to: string;
  /** ASCII digits only, already validated by the flow. */
  code: string;
  scope: string;
  /** 1–15: Bandwidth accepts codes generated within the last N minutes. */
  expirationTimeInMinutes: number;
}

export interface SendCodeResult {
  /** `messageId` for SMS, `callId` for voice. */
  id: string;
}

export interface MfaProvider {
  /** Sends once. Never retried: a retry may deliver (and bill) a second code. */
  sendCode(request: SendCodeRequest): Promise<SendCodeResult>;
  /** True only when the provider answered exactly `{"valid": true}`. */
  verifyCode(request: VerifyCodeRequest): Promise<boolean>;
}
