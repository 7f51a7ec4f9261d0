import { createServer } from 'node:net';

/** `preferred` when it is free on 127.0.0.1, else a free port the system picks. */
export async function freePort(preferred = 0): Promise<number> {
  const tryPort = (port: number) => new Promise<number | null>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(null));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const got = typeof address === 'object' && address ? address.port : null;
      server.close(() => resolve(got));
    });
  });
  return (preferred ? await tryPort(preferred) : null) ?? (await tryPort(0)) ?? Promise.reject(new Error('no free port'));
}

/** Waits until `url` answers 2xx (a server starting up); throws after `timeoutMs`. */
export async function waitForHttp(url: string, timeoutMs = 120_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > end) throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
