// `node bench/accept-queue.js`: how long a new connection waits to be accepted behind 200 that arrived just before it,
// against a plain Node HTTP server doing W µs of synchronous work per request (W = 0, 250, 1000). Node accepts one
// connection per turn of its event loop, so the wait grows with the work each earlier connection brings.
const http = require('node:http');
const net = require('node:net');
const { fork } = require('node:child_process');
const { performance } = require('node:perf_hooks');

const now = () => performance.timeOrigin + performance.now();
const BURST = 200;
const ROUNDS = 3;

function server() {
  const work = Number(process.env.WORK_US) / 1000;
  /** @type {Map<number | undefined, number>} */
  const acceptedAt = new Map();
  /** @type {number | undefined} */
  let wanted;
  const app = http.createServer((req, res) => {
    const until = performance.now() + work;
    while (performance.now() < until);
    req.resume();
    req.on('end', () => res.end('ok'));
  });
  const tell = () => {
    const at = acceptedAt.get(wanted);
    if (at !== undefined && process.send) process.send({ acceptedAt: at });
  };
  app.on('connection', (socket) => {
    acceptedAt.set(socket.remotePort, now());
    if (socket.remotePort === wanted) tell();
  });
  process.on('message', (/** @type {{ port: number }} */ message) => {
    wanted = message.port;
    tell();
  });
  app.listen(0, '127.0.0.1', () => process.send?.({ port: /** @type {import('node:net').AddressInfo} */ (app.address()).port }));
}

/**
 * One round: BURST connections, each sending a request once connected; then, once all are in the server's accept
 * queue (connected on our side), one more; resolves with how long after its connect the server accepted it (ms).
 * @param {import('node:child_process').ChildProcess} child
 * @param {number} port
 */
async function round(child, port) {
  const burst = Array.from({ length: BURST }, () => net.connect(port, '127.0.0.1'));
  await Promise.all(
    burst.map(
      (socket) =>
        new Promise((resolve) =>
          socket.once('connect', () => {
            socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nx');
            resolve(undefined);
          }),
        ),
    ),
  );
  const probe = net.connect(port, '127.0.0.1');
  await new Promise((resolve) => probe.once('connect', resolve));
  const connectedAt = now();
  const accepted = new Promise((resolve) => child.once('message', (/** @type {{ acceptedAt: number }} */ m) => resolve(m.acceptedAt)));
  child.send({ port: probe.localPort });
  const wait = /** @type {number} */ (await accepted) - connectedAt;
  for (const socket of [...burst, probe]) socket.destroy();
  return wait;
}

async function main() {
  for (const workUs of [0, 250, 1000]) {
    const child = fork(process.argv[1] ?? 'bench/accept-queue.js', ['server'], { env: { ...process.env, WORK_US: String(workUs) } });
    const { port } = await new Promise((resolve) => child.once('message', resolve));
    const waits = [];
    for (let i = 0; i < ROUNDS; i += 1) waits.push((await round(child, port)).toFixed(1));
    console.log(`${workUs} µs of work per request: a new connection behind ${BURST} waited ${waits.join(', ')} ms to be accepted`);
    child.kill();
  }
}

if (process.argv[2] === 'server') server();
else main();
