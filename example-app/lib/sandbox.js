// Bandwidth settings: the configured account, or in sandbox mode the testing kit's emulator, started in-process.
'use strict';

/**
 * @param {object | undefined} configured  `readConfig().bandwidth`
 * @returns {Promise<{ bandwidth: object, emulator?: import('express-bandwidth-mfa/testing').BandwidthEmulator }>}
 */
async function bandwidthFor(configured) {
  if (configured) return { bandwidth: configured };
  // Loaded only here: a configured app never loads the testing kit.
  const { startBandwidthEmulator } = require('express-bandwidth-mfa/testing');
  const emulator = await startBandwidthEmulator();
  return {
    emulator,
    // The emulator's built-in OAuth client and application ids.
    bandwidth: {
      accountId: emulator.accountId,
      oauth: { clientId: 'client-id', clientSecret: 'client-secret', tokenUrl: emulator.tokenUrl },
      messagingApplicationId: 'messaging-app-id',
      voiceApplicationId: 'voice-app-id',
      from: '+12025550199',
      baseUrl: emulator.baseUrl,
    },
  };
}

/** The code the emulator last "sent" to a number, for the sandbox banner. */
function sandboxCode(emulator, phoneNumber) {
  return emulator?.lastCode(phoneNumber);
}

module.exports = { bandwidthFor, sandboxCode };
