// Starts the example app from environment variables: `npm start` from the repository root.
'use strict';

const { readConfig } = require('./lib/config');
const { createExampleApp } = require('./app');

async function main() {
  const config = readConfig(process.env);
  const { app, emulator, close } = await createExampleApp(config);
  if (emulator) {
    console.log('Sandbox mode: no BANDWIDTH_* settings, so codes go to an in-process Bandwidth emulator and are shown on the challenge page. Nothing is really sent.');
  } else {
    console.log(`Bandwidth account ${config.bandwidth.accountId}: codes are really sent.`);
  }
  const server = app.listen(config.port, () => {
    const { port } = server.address();
    const who = config.usersFile ? 'a user from EXAMPLE_USERS_FILE' : 'demo / demo-password';
    console.log(`Example app on http://localhost:${port}: sign in as ${who}.`);
  });
  const stop = () => {
    server.close(() => close().then(() => process.exit(0)));
    // Keep-alive connections would hold close() open; a stop signal should not wait for idle browsers.
    server.closeAllConnections();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
