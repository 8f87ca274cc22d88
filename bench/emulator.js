// Bench helper process: the Bandwidth emulator (answering instantly), driven by the bench over IPC.
const net = require('node:net');
const { startBandwidthEmulator } = require('express-bandwidth-mfa/testing');

// The emulator's own count when it has one; else a counting TCP relay in front of it, so the figure
// is still the number of connections the app's client really opened.
function connectionCounter(emulator) {
  const own = () => (typeof emulator.connectionCount === 'function' ? emulator.connectionCount() : emulator.connectionCount);
  if (typeof own() === 'number') return Promise.resolve({ baseUrl: emulator.baseUrl, count: own, source: 'emulator.connectionCount' });
  const target = new URL(emulator.baseUrl);
  let opened = 0;
  const relay = net.createServer((socket) => {
    opened += 1;
    const upstream = net.connect(Number(target.port), target.hostname);
    socket.pipe(upstream).pipe(socket);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
  });
  return new Promise((resolve) => relay.listen(0, '127.0.0.1', () => {
    const url = new URL(emulator.baseUrl);
    url.port = String(relay.address().port);
    resolve({ baseUrl: url.toString().replace(/\/$/, ''), count: () => opened, source: 'counting relay' });
  }));
}

async function main() {
  const emulator = await startBandwidthEmulator();
  const counter = await connectionCounter(emulator);
  const operations = {
    // Newest code per number: the bench reads codes like a phone would.
    codes: (phoneNumbers) => phoneNumbers.map((phoneNumber) => emulator.lastCode(phoneNumber) ?? null),
    connections: () => counter.count(),
  };
  process.on('message', async (message) => {
    try {
      const result = await operations[message.op](message.arg);
      process.send({ id: message.id, result });
    } catch (error) {
      process.send({ id: message.id, error: String(error && error.message) });
    }
  });
  process.send({ ready: true, baseUrl: counter.baseUrl, accountId: emulator.accountId, connectionSource: counter.source });
}

process.on('disconnect', () => process.exit(0));
main().catch((error) => {
  console.error('bench emulator failed to start:', error);
  process.exit(1);
});
