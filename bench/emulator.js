// Bench helper process: the Bandwidth emulator (instant, slowed or stalled on request), driven by the bench over IPC.
const { startBandwidthEmulator } = require('express-bandwidth-mfa/testing');
const { toBench, answerRequests } = require('./lib/child-ipc');

async function main() {
  const emulator = await startBandwidthEmulator();
  const operations = /** @satisfies {import('./lib/types').EmulatorOperations} */ ({
    // Newest code per number: the bench reads codes like a phone would.
    codes: (phoneNumbers) => phoneNumbers.map((phoneNumber) => emulator.lastCode(phoneNumber) ?? null),
    // TCP connections the emulator accepted so far: what the app's Bandwidth client opened.
    connections: () => emulator.connectionCount,
    // CPU time of this process, µs: the bench counts it as its own when judging how busy the machine was.
    cpu: () => {
      const { user, system } = process.cpuUsage();
      return user + system;
    },
    // Bandwidth's own latency for every call from now on, token included (0: instant); ends a stall.
    latency: (ms) => {
      emulator.clearFaults();
      if (ms > 0) emulator.injectFault({ delayMs: ms });
    },
    // Bandwidth stops answering: each call is taken (a send still delivers its code), no answer ever comes.
    stall: () => {
      emulator.clearFaults();
      emulator.injectFault({ hang: true });
    },
    // A position in the request log, then what arrived since it: endpoint, number and arrival time (ms) of each call.
    mark: () => emulator.requests.length,
    arrivals: (from) =>
      emulator.requests
        .slice(from)
        .map((r) => ({ endpoint: r.endpoint, to: /** @type {{ to?: string } | undefined} */ (r.body)?.to ?? null, at: r.at.getTime() })),
  });
  answerRequests(operations);
  toBench({ ready: true, baseUrl: emulator.baseUrl, tokenUrl: emulator.tokenUrl, accountId: emulator.accountId });
}

process.on('disconnect', () => process.exit(0));
main().catch((error) => {
  console.error('bench emulator failed to start:', error);
  process.exit(1);
});
