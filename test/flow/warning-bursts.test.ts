// A burst of like warnings is one line and a count; a new burst after a quiet window is logged at once again.
import { onceAMinute, warningBursts } from '../../src/flow/warning-bursts';

const WINDOW_MS = 10_000;

function fakeLogger() {
  const lines: Array<[string, string]> = [];
  return { lines, logger: { warn: (m: string) => void lines.push(['warn', m]), error: (m: string) => void lines.push(['error', m]) } };
}

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

describe('warningBursts', () => {
  test('the first line at once, the rest of the window as one count when it ends', () => {
    const { lines, logger } = fakeLogger();
    const bursts = warningBursts(logger, WINDOW_MS);
    for (let i = 0; i < 300; i += 1) bursts.report('Bandwidth send_sms failed (timeout)', `first line ${i}`);
    expect(lines).toEqual([['warn', 'first line 0']]);
    jest.advanceTimersByTime(WINDOW_MS);
    expect(lines).toEqual([
      ['warn', 'first line 0'],
      ['warn', 'express-bandwidth-mfa: Bandwidth send_sms failed (timeout): 299 more like it in the last 10 s.'],
    ]);
  });

  test('a burst that goes on gets one summary per window, then stops; the next burst starts with its own line', () => {
    const { lines, logger } = fakeLogger();
    const bursts = warningBursts(logger, WINDOW_MS);
    bursts.report('k', 'line a');
    bursts.report('k', 'line b');
    jest.advanceTimersByTime(WINDOW_MS);
    bursts.report('k', 'line c');
    bursts.report('k', 'line d');
    bursts.report('k', 'line e');
    jest.advanceTimersByTime(WINDOW_MS);
    // A window with nothing in it ends the burst, silently.
    jest.advanceTimersByTime(WINDOW_MS);
    bursts.report('k', 'line f');
    expect(lines.map(([, line]) => line)).toEqual([
      'line a',
      'express-bandwidth-mfa: k: 1 more like it in the last 10 s.',
      'express-bandwidth-mfa: k: 3 more like it in the last 10 s.',
      'line f',
    ]);
  });

  test('kinds are counted apart and keep their level', () => {
    const { lines, logger } = fakeLogger();
    const bursts = warningBursts(logger, WINDOW_MS);
    bursts.report('timeouts', 'a timeout');
    bursts.report('refusals', 'a refusal', 'error');
    bursts.report('timeouts', 'a timeout');
    bursts.report('refusals', 'a refusal', 'error');
    bursts.report('refusals', 'a refusal', 'error');
    jest.advanceTimersByTime(WINDOW_MS);
    expect(lines).toEqual([
      ['warn', 'a timeout'],
      ['error', 'a refusal'],
      ['warn', 'express-bandwidth-mfa: timeouts: 1 more like it in the last 10 s.'],
      ['error', 'express-bandwidth-mfa: refusals: 2 more like it in the last 10 s.'],
    ]);
  });

  test('a lone warning is never followed by a summary', () => {
    const { lines, logger } = fakeLogger();
    const bursts = warningBursts(logger, WINDOW_MS);
    bursts.report('k', 'only one');
    jest.advanceTimersByTime(5 * WINDOW_MS);
    expect(lines).toEqual([['warn', 'only one']]);
  });

  test('flush logs what is still counted and forgets it', () => {
    const { lines, logger } = fakeLogger();
    const bursts = warningBursts(logger, WINDOW_MS);
    bursts.report('k', 'line a');
    bursts.report('k', 'line b');
    bursts.flush();
    jest.advanceTimersByTime(WINDOW_MS);
    bursts.report('k', 'line c');
    expect(lines.map(([, line]) => line)).toEqual(['line a', 'express-bandwidth-mfa: k: 1 more like it in the last 10 s.', 'line c']);
  });
});

describe('onceAMinute (the same throttler, a minute long, for failing hooks)', () => {
  test('one error line a minute per kind, kinds apart, then the count of what it held back', () => {
    const { lines, logger } = fakeLogger();
    const report = onceAMinute(logger);
    for (let i = 0; i < 5; i += 1) report('onEvent', `onEvent failed ${i}`);
    report('locale-threw', 'locale threw', 'warn');
    jest.advanceTimersByTime(59_999);
    report('onEvent', 'onEvent failed late');
    expect(lines).toEqual([
      ['error', 'onEvent failed 0'],
      ['warn', 'locale threw'],
    ]);
    jest.advanceTimersByTime(1);
    expect(lines).toContainEqual(['error', 'express-bandwidth-mfa: onEvent: 5 more like it in the last 60 s.']);
    expect(lines).toHaveLength(3);
  });
});
