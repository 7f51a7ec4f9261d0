import { Option, type Command } from 'commander';
import { userInfo } from 'node:os';
import { loadConfig } from '../../../libs/config/config';
import { createPool } from '../../../libs/db/pool';
import { createTokenWithAudit } from '../../../libs/db/repositories/api-audit';
import { ROLES, type Role } from '../../../libs/db/repositories/token.repository';
import { CliFailure, println, printJson, UsageError, type CliIo } from '../io';
import { nonEmpty, parseBusinessId } from '../options';
import { contextOf } from './context';

type CreateOptions = { role: Role; name: string; org?: string; person?: string };

/** `token create`: an operator command run on the server; writes straight to the database. */
export function registerTokenCommands(program: Command, io: CliIo): void {
  const token = program.command('token').description('manage API tokens (writes to the database: run on the server)');
  token
    .command('create')
    .description('create an API token and print it once (only its hash is stored)')
    .addOption(new Option('--role <role>', 'what the token may do').choices(ROLES).makeOptionMandatory())
    .requiredOption('--name <name>', 'who or what uses the token, e.g. "ops" or "erp-integration"', nonEmpty)
    .option('--org <businessId>', 'scope the token to one organisation (business ID)', parseBusinessId)
    .option('--person <personId>', "the person the token belongs to (the audit trail then names them; their inbox is the token's)", nonEmpty)
    .addHelpText('after', '\nThe database is DATABASE_URL (default postgres://postgres@127.0.0.1:5432/fuusio).')
    .action(async (opts: CreateOptions, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      const name = opts.name.trim();
      if (name.length > 100) throw new UsageError('option --name must be at most 100 characters');
      let databaseUrl: string;
      try {
        databaseUrl = loadConfig(io.env).databaseUrl;
      } catch (err) {
        throw new CliFailure([`error: ${err instanceof Error ? err.message : String(err)}`]);
      }
      const pool = createPool(databaseUrl, 1);
      try {
        // The token and its audit event (api.token.created, never the token itself) are written together.
        const created = await createTokenWithAudit(pool, { name, role: opts.role, organisation: opts.org ?? null, personId: opts.person ?? null }, { actor: cliActor(io.env) })
          .catch((err: unknown) => {
            throw new CliFailure([`error: cannot create the token in the database ${describeDb(databaseUrl)}: ${describe(err)}`]);
          });
        if (ctx.json) {
          printJson(io, { token: created.token, owner: created.owner });
        } else {
          const scope = created.owner.organisation ? `, scoped to ${created.owner.organisation}` : '';
          println(io.stderr, `Created ${created.owner.role} token "${created.owner.name}" (id ${created.owner.id}${scope}):`);
          println(io.stdout, created.token);
          println(io.stderr, 'This token is shown only once: store it now. The database keeps only its hash.');
        }
      } finally {
        await pool.end().catch(() => undefined);
      }
    });
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
