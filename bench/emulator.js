// Bench helper process: the Bandwidth emulator (answering instantly), driven by the bench over IPC.
const { startBandwidthEmulator } = require('express-bandwidth-mfa/testing');

async function main() {
  const emulator = await startBandwidthEmulator();
  const operations = {
    // Newest code per number: the bench reads codes like a phone would.
    codes: (phoneNumbers) => phoneNumbers.map((phoneNumber) => emulator.lastCode(phoneNumber) ?? null),
    // TCP connections the emulator accepted so far: what the app's Bandwidth client opened.
    connections: () => emulator.connectionCount,
    // CPU time of this process, µs: the bench counts it as its own when judging how busy the machine was.
    cpu: () => {
      const { user, system } = process.cpuUsage();
      return user + system;
    },
  };
  process.on('message', async (message) => {
    try {
      const result = await operations[message.op](message.arg);
      process.send({ id: message.id, result });
    } catch (error) {
      process.send({ id: message.id, error: String(error && error.message) });
    }
  });
  process.send({ ready: true, baseUrl: emulator.baseUrl, tokenUrl: emulator.tokenUrl, accountId: emulator.accountId });
}

process.on('disconnect', () => process.exit(0));
main().catch((error) => {
  console.error('bench emulator failed to start:', error);
  process.exit(1);
});
