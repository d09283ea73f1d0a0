import net from 'node:net';

/**
 * A TCP proxy on loopback in front of a database, that a test can cut (every connection dropped,
 * new ones refused) and restore on the same port: the database "goes away" without being stopped.
 */
export async function cuttableProxy(target: URL) {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  const listen = () => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  let port = 0;
  await listen();
  port = (server.address() as net.AddressInfo).port;
  return {
    url: (database: URL) => Object.assign(new URL(database), { port: String(port) }).toString(),
    async cut() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
    restore: listen,
    close: () => new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve())),
  };
}
