// Loopback ports and servers for real clients (a browser, a child process): a free port, an app served on one, closed again.
import net from 'node:net';
import type { Server } from 'node:http';
import type { Express } from 'express';

/** A port nothing listens on at the moment of asking (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Serves `app` on 127.0.0.1 (`port` 0: any free one) and resolves once it listens, with the port it got. */
export async function serveOnLoopback(app: Express, port = 0): Promise<{ server: Server; port: number }> {
  const server = app.listen(port, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return { server, port: (server.address() as net.AddressInfo).port };
}

/** Closes the server and the connections a browser keeps open (none to close when it never started). */
export async function closeServer(server: Server | undefined): Promise<void> {
  if (!server) return;
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}
