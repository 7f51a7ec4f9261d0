import { InvalidArgumentError, Option, type Command } from 'commander';
import { userInfo } from 'node:os';
import { loadConfig } from '../../../libs/config/config';
import { createPool } from '../../../libs/db/pool';
import type { Pool } from 'pg';
import { createTokenWithAudit, revokeTokenWithAudit } from '../../../libs/db/repositories/api-audit';
import { ROLES, TokenRepository, type Role, type TokenInfo } from '../../../libs/db/repositories/token.repository';
import { resolveExpiry } from '../../../libs/domain/token-expiry';
import { CliFailure, println, printJson, UsageError, type CliIo } from '../io';
import { nonEmpty, parseBusinessId } from '../options';
import { contextOf } from './context';

type CreateOptions = { role: Role; name: string; org?: string; expires?: string; person?: string };

/** `token create | list | revoke`: operator commands run on the server; they write straight to the database. */
export function registerTokenCommands(program: Command, io: CliIo): void {
  const token = program.command('token').description('manage API tokens (writes to the database: run on the server)');
  token
    .command('create')
    .description('create an API token and print it once (only its hash is stored)')
    .addOption(new Option('--role <role>', 'what the token may do').choices(ROLES).makeOptionMandatory())
    .requiredOption('--name <name>', 'who or what uses the token, e.g. "ops" or "erp-integration"', nonEmpty)
    .option('--org <businessId>', 'scope the token to one organisation (business ID)', parseBusinessId)
    .option('--expires <when>', 'when the token stops working: a date-time with its offset (2027-06-30T00:00:00Z) or a duration ("90 days")')
    .option('--person <personId>', "the person the token belongs to (the audit trail then names them; their inbox is the token's)", nonEmpty)
    .addHelpText('after', DB_HELP)
    .action(async (opts: CreateOptions, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      const name = opts.name.trim();
      if (name.length > 100) throw new UsageError('option --name must be at most 100 characters');
      let expiresAt: Date | null = null;
      if (opts.expires !== undefined) {
        const expiry = resolveExpiry(opts.expires, new Date(), { durations: true });
        if (!expiry.ok) throw new UsageError(`option --expires ${expiry.reason}`);
        expiresAt = expiry.value;
      }
      await withDatabase(io, 'create the token', async (pool) => {
        // The token and its audit event (api.token.created, never the token itself) are written together.
        const created = await createTokenWithAudit(
          pool, { name, role: opts.role, organisation: opts.org ?? null, expiresAt, personId: opts.person ?? null }, { actor: cliActor(io.env) },
        );
        if (ctx.json) {
          printJson(io, { token: created.token, owner: created.owner, expiresAt: created.info.expiresAt });
        } else {
          const { t } = ctx;
          const scope = created.owner.organisation ? t('token.scope', { org: created.owner.organisation }) : '';
          const expiry = created.info.expiresAt ? t('token.expiry', { at: created.info.expiresAt }) : '';
          println(io.stderr, t('token.created', { role: created.owner.role, name: created.owner.name, id: created.owner.id, scope, expiry }));
          println(io.stdout, created.token);
          println(io.stderr, t('token.shownOnce'));
        }
      });
    });

  token
    .command('list')
    .description('list API tokens: id, name, role, scope, created, expires, revoked (never a token or its hash)')
    .addHelpText('after', DB_HELP)
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      await withDatabase(io, 'list the tokens', async (pool) => {
        const items = await new TokenRepository().list(pool, { scope: null });
        if (ctx.json) return printJson(io, { items });
        if (!items.length) return println(io.stdout, ctx.t('token.none'));
        const rows = items.map((x) => [String(x.id), x.name, x.role, x.organisation ?? ctx.t('token.all'), x.createdAt, x.expiresAt ?? '-', stateOf(x)]);
        const headers = ['id', 'name', 'role', 'scope', 'created', 'expires', 'state'].map((k) => ctx.t(`token.col.${k}`));
        for (const line of table(headers, rows)) println(io.stdout, line);
      });
    });

  token
    .command('revoke')
    .description('revoke an API token: it is refused (401) from then on; recorded in the audit trail')
    .argument('<id>', 'the token id (see "token list")', parseTokenId)
    .option('--reason <text>', 'why, for the audit trail')
    .addHelpText('after', DB_HELP)
    .action(async (id: number, opts: { reason?: string }, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      await withDatabase(io, 'revoke the token', async (pool) => {
        const revoked = await revokeTokenWithAudit(pool, id, { actor: cliActor(io.env) }, opts.reason?.trim() || undefined);
        if (!revoked) {
          const known = await new TokenRepository().find(pool, id);
          throw new CliFailure([known ? `error: token ${id} was already revoked at ${known.revokedAt}` : `error: there is no token ${id}`]);
        }
        if (ctx.json) printJson(io, revoked);
        else println(io.stdout, ctx.t('token.revoked', { role: revoked.role, name: revoked.name, id: revoked.id, at: revoked.revokedAt }));
      });
    });
}

const DB_HELP = '\nThe database is DATABASE_URL (default postgres://postgres@127.0.0.1:5432/fuusio).';

function parseTokenId(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`"${value}" is not a token id`);
  return n;
}

function stateOf(t: TokenInfo): string {
  return t.state === 'revoked' ? `revoked ${t.revokedAt}` : t.state;
}

/** Columns padded to their widest cell. */
function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return [header, ...rows].map((r) => r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd());
}

/** Runs `work` on a one-connection pool of DATABASE_URL; a database failure names the database, never its password. */
async function withDatabase(io: CliIo, what: string, work: (pool: Pool) => Promise<void>): Promise<void> {
  let databaseUrl: string;
  try {
    databaseUrl = loadConfig(io.env).databaseUrl;
  } catch (err) {
    throw new CliFailure([`error: ${err instanceof Error ? err.message : String(err)}`]);
  }
  const pool = createPool(databaseUrl, 1);
  try {
    await work(pool).catch((err: unknown) => {
      if (err instanceof CliFailure || err instanceof UsageError) throw err;
      throw new CliFailure([`error: cannot ${what} in the database ${describeDb(databaseUrl)}: ${describe(err)}`]);
    });
  } finally {
    await pool.end().catch(() => undefined);
  }
}

/** Who ran the command, for the audit trail: the operator's login on the server. */
function cliActor(env: NodeJS.ProcessEnv): string {
  let login = env.USER ?? env.LOGNAME;
  if (!login) {
    try {
      login = userInfo().username;
    } catch {
      login = 'unknown';
    }
  }
  return `cli:${login}`;
}

/** The database named without its password. */
function describeDb(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname}`;
  } catch {
    return '(DATABASE_URL)';
  }
}

function describe(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length) return describe(err.errors[0]);
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}
