// Starts the example app from environment variables: `npm start` from the repository root.
'use strict';

const { readConfig } = require('./lib/config');
const { createExampleApp } = require('./app');
const { listen } = require('./lib/listen');

async function main() {
  const config = readConfig(process.env);
  const { app, accounts, close } = await createExampleApp(config);
  console.log(`Accounts in ${accounts.where}.`);
  // Without Bandwidth settings the app runs the emulator (lib/sandbox.js).
  if (!config.bandwidth) {
    console.log(
      'Sandbox mode: no BANDWIDTH_* settings, so codes go to an in-process Bandwidth emulator and are shown on the page in a banner. Nothing is really sent.',
    );
  } else {
    console.log(`Bandwidth account ${config.bandwidth.accountId}: codes are really sent.`);
  }
  const server = await listen(app, config, console).catch(async (error) => {
    await close();
    throw error;
  });
  const who = config.usersFile ? 'a user from EXAMPLE_USERS_FILE' : 'demo / demo-password';
  console.log(`Sign in as ${who}, or create an account at /signup.`);
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
