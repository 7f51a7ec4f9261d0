/**
 * `node dist/bench/verify-scale.js [--events 1000000] [--keep] [--reuse <database>]`
 *
 * Generates a trail of N chained events (libs/audit/synthetic-trail.ts) into a database of its own
 * (fuusio_verify_<ts>, dropped at the end unless --keep), then runs the full verify with its progress
 * on stderr and prints the rates. --reuse verifies a kept database again without generating.
 */
import { Client } from 'pg';
import { ensureDatabase, quoteIdentifier } from '../infra/db/postgres';
import { migrate } from '../infra/db/migrate';
import { generateVerifyTrail, runVerifyFull } from './arms/verify-full';
import { withDatabase } from './support';

async function main(argv: string[]): Promise<void> {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const events = Number(value('--events') ?? 1_000_000);
  if (!Number.isInteger(events) || events < 1) throw new Error('--events: a whole number above 0');
  const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const reuse = value('--reuse');
  const name = reuse ?? `fuusio_verify_${Date.now()}`;
  const url = withDatabase(adminUrl, name);
  const tty = process.stderr.isTTY;
  const line = (text: string, last = false) => process.stderr.write(tty ? `\r\x1b[K${text}${last ? '\n' : ''}` : `${text}\n`);
  const n = (x: number) => Math.round(x).toLocaleString('en');
  try {
    if (!reuse) {
      await ensureDatabase(url);
      await migrate(url);
      let last = 0;
      const g = await generateVerifyTrail(url, events, (written) => {
        if (written - last >= 100_000 || written === events) line(`generating: ${n(written)}/${n(events)} events`, written === events);
        last = written - (written % 100_000);
      });
      process.stdout.write(`generated ${n(events)} events (${n(events / 100)} chains, leaves and checkpoints) in ${g.seconds.toFixed(1)} s, ${n(g.perSecond)} events/s\n`);
    }
    let lastLine = 0;
    const r = await runVerifyFull(url, 1, (p) => {
      if (p.phase === 'done') return;
      const t = performance.now();
      if (t - lastLine < 1000 && p.done < p.total) return;
      lastLine = t;
      line(`verify ${p.phase}: ${n(p.done)}/${n(p.total)} ${p.phase === 'log' ? 'leaves' : 'events'}, ${n(p.perSecond)}/s`, p.done >= p.total);
    });
    process.stdout.write(`full verify: ${n(r.events)} events, ${n(r.leaves)} leaves, ${n(r.checkpoints)} checkpoints in ${r.seconds.toFixed(1)} s: ${n(r.eventsPerSecond)} events/s\n`);
  } finally {
    if (!argv.includes('--keep') && !reuse) {
      const admin = new Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
      await admin.end();
    } else process.stderr.write(`kept database ${name}\n`);
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});
