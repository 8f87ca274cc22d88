// The usual set-up of an example-app test file in one call: a fresh app per test, on the file's environment.
import { startExampleApp, type ExampleApp } from './example-app';

/** This test's app; read it inside hooks and tests only. */
export interface ExampleAppBed extends Readonly<Omit<ExampleApp, 'close'>> {
  /** Closes this test's app and starts one on `env` in its place, closed after the test in turn. */
  restartWith(env: Record<string, string>): Promise<void>;
}

/**
 * Registers the hooks of the file (call it once, at the top level): an app on `env` before each test, closed after it,
 * with Jest's mocks (a moved clock) restored first.
 */
export function useExampleApp(env: Record<string, string> = {}): ExampleAppBed {
  let current: ExampleApp | undefined;
  beforeEach(async () => {
    current = await startExampleApp(env);
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await current?.close();
    current = undefined;
  });
  const running = (): ExampleApp => {
    if (!current) throw new Error('useExampleApp: the app exists only inside hooks and tests');
    return current;
  };
  return {
    get app() {
      return running().app;
    },
    get accounts() {
      return running().accounts;
    },
    get mfa() {
      return running().mfa;
    },
    get emulator() {
      return running().emulator;
    },
    get logs() {
      return running().logs;
    },
    async restartWith(restartEnv) {
      await running().close();
      current = undefined;
      current = await startExampleApp(restartEnv);
    },
  };
}
