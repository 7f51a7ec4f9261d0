import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP gate in front of a real SMTP server (MailDev): it passes connections through, or, once told to,
 * lets a number more through and then holds the next ones unanswered. A sender that opens one connection
 * per message (nodemailer without a pool) is thereby stopped at a known message, in the middle of a batch,
 * where a test can kill its process. Nothing is faked: what passes is the real SMTP conversation.
 */
export type SmtpGate = {
  url: string;
  /** Let `n` more connections through, then hold every later one. */
  holdAfter(n: number): void;
  /** Pass everything again (connections held so far are dropped, as a dead sender's would be). */
  open(): void;
  /** How many connections are held right now. */
  held(): number;
  close(): Promise<void>;
};

export async function startSmtpGate(upstream: string): Promise<SmtpGate> {
  const target = new URL(upstream);
  let allowance = Infinity;
  const holding: Socket[] = [];
  const live = new Set<Socket>();
  const server: Server = createServer((client) => {
    live.add(client);
    client.on('close', () => live.delete(client));
    client.on('error', () => undefined);
    if (allowance <= 0) {
      holding.push(client);
      return;
    }
    allowance -= 1;
    const up = connect(Number(target.port), target.hostname);
    live.add(up);
    up.on('close', () => { live.delete(up); client.destroy(); });
    up.on('error', () => client.destroy());
    client.on('close', () => up.destroy());
    client.pipe(up);
    up.pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    holdAfter: (n) => { allowance = n; },
    open: () => {
      allowance = Infinity;
      for (const s of holding.splice(0)) s.destroy();
    },
    held: () => holding.filter((s) => !s.destroyed).length,
    close: async () => {
      for (const s of live) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}
