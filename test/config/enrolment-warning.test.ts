// A user without a number is sent to enrol: without the `enrolment` option nothing serves that page, so say it at start-up.
import { createMfa, memoryStore, sandboxProvider, type MfaOptions } from '../../src';

function warningsFor(extra: Partial<MfaOptions>, instances = 1): string[] {
  const lines: string[] = [];
  const logger = { warn: (m: string) => lines.push(m), error: (m: string) => lines.push(m) };
  for (let i = 0; i < instances; i += 1)
    createMfa({ bandwidth: sandboxProvider(), getUser: () => null, store: memoryStore(), logger, ...extra });
  return lines.filter((line) => line.includes('no phone number on record'));
}

describe('the start-up warning for users with nowhere to enrol', () => {
  test('without `enrolment`: one warning, naming the path and the three ways out', () => {
    const warnings = warningsFor({});
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('/2fa/enrol');
    expect(warnings[0]).toContain('Turn on `enrolment`');
    expect(warnings[0]).toContain('`required: false`');
    expect(warnings[0]).toContain('always returns a `phoneNumber`');
  });

  test('said once per logger, however many instances are built on it', () => {
    expect(warningsFor({}, 3)).toHaveLength(1);
  });

  test.each([
    ['enrolment on, required by default', { enrolment: { savePhoneNumber: (): void => undefined } }],
    ['enrolment on, not required', { enrolment: { savePhoneNumber: (): void => undefined, required: false } }],
  ])('%s: no warning', (_name, extra) => {
    expect(warningsFor(extra)).toEqual([]);
  });
});
