// Starts the HTTP server on HOST:PORT and says where, so a wrong interface is seen at once.
'use strict';

/**
 * @param {import('express').Express} app
 * @param {{ host: string, port: number }} config
 * @param {{ log(m: string): void }} logger
 * @returns {Promise<import('node:http').Server>}
 */
function listen(app, { host, port }, logger) {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    server.once('error', reject);
    server.once('listening', () => {
      // Listening on host:port, so an AddressInfo (a string is a pipe or socket path).
      const address = /** @type {import('node:net').AddressInfo} */ (server.address());
      const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      logger.log(`Listening on http://${shown}:${address.port}${host === '0.0.0.0' || host === '::' ? ' (every interface)' : ''}.`);
      resolve(server);
    });
  });
}

module.exports = { listen };
