// Time moved on without waiting: Date.now(), which the library, the example app and the emulator read, runs ahead.

/** From now on, Date.now() is the real clock plus `seconds`; jest.restoreAllMocks() puts it back. */
export function moveClockOn(seconds: number): void {
  const realNow = Date.now.bind(Date);
  jest.spyOn(Date, 'now').mockImplementation(() => realNow() + seconds * 1000);
}
