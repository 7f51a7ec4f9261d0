import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { findProjectRoot } from '../temporal/provision';
import { freePort } from '../provision/net';

export type MailCatcher = { smtpUrl: string; webUrl: string; child: ChildProcess; stop(): Promise<void> };

/**
 * A local mail catcher (MailDev from npm: SMTP plus a web view and a REST API at /api/email) on 127.0.0.1,
 * at the preferred ports when they are free. Mails sent to it go nowhere else.
 */
export async function startMailDev(opts: { smtpPort?: number; webPort?: number; timeoutMs?: number } = {}): Promise<MailCatcher> {
  const smtp = await freePort(opts.smtpPort);
  const web = await freePort(opts.webPort);
  const bin = join(findProjectRoot(), 'node_modules', 'maildev', 'dist', 'bin', 'maildev.js');
  const child = spawn(process.execPath, [bin, '--smtp', String(smtp), '--web', String(web), '--ip', '127.0.0.1', '--web-ip', '127.0.0.1', '--silent'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-2000); });
  const webUrl = `http://127.0.0.1:${web}/`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  const end = Date.now() + (opts.timeoutMs ?? 20_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`MailDev exited with code ${child.exitCode}: ${stderr.trim()}`);
    try {
      if ((await fetch(`${webUrl}api/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > end) {
      await stop();
      throw new Error(`MailDev did not answer at ${webUrl}: ${stderr.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { smtpUrl: `smtp://127.0.0.1:${smtp}`, webUrl, child, stop };
}
