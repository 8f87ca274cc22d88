// Bandwidth settings: the configured account, or in sandbox mode the testing kit's emulator, started in-process.
'use strict';

const { maskPhoneNumber } = require('express-bandwidth-mfa');

/**
 * @param {import('express-bandwidth-mfa').BandwidthOptions | undefined} configured  `readConfig().bandwidth`
 * @returns {Promise<{ bandwidth: import('express-bandwidth-mfa').BandwidthOptions, emulator?: import('express-bandwidth-mfa/testing').BandwidthEmulator }>}
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

/**
 * The code the emulator last "sent" to the number of the pending code, for the sandbox banner. The page knows that
 * number only masked (a number being enrolled is kept by the library), so the newest send with the same mask wins.
 * @param {import('express-bandwidth-mfa/testing').BandwidthEmulator | undefined} emulator
 * @param {string | undefined} maskedPhoneNumber
 * @returns {string | undefined}
 */
function sandboxCode(emulator, maskedPhoneNumber) {
  const sent = emulator?.sent ?? [];
  for (const message of [...sent].reverse()) {
    if (maskPhoneNumber(message.to) === maskedPhoneNumber) return message.code;
  }
  return undefined;
}

module.exports = { bandwidthFor, sandboxCode };
