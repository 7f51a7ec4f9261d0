import { Command, CommanderError, Option } from 'commander';
import { registerAuditCommands } from './commands/audit';
import { registerCalendarCommands } from './commands/calendar';
import { registerDiffCommands } from './commands/diff';
import { registerHistoryCommand } from './commands/history';
import { registerPeopleCommands } from './commands/people';
import { registerRegistryCommands } from './commands/registry';
import { registerReplayCommand } from './commands/replay';
import { registerTokenCommands } from './commands/token';
import { registerVerifyCommand } from './commands/verify';
import { registerWorkflowCommands } from './commands/workflows';
import { DEFAULT_API_URL } from './http-client';
import { LANGUAGES } from '../../libs/i18n/languages';
import { CliFailure, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, println, UsageError, type CliIo } from './io';

/** The `fuusio` command tree; a fresh one per run, writing to `io`. */
export function buildProgram(io: CliIo): Command {
  const program = new Command('fuusio');
  program
    .description('Fuusio: launch, follow and steer workflows from the command line')
    .option('--api <url>', `the API address (env FUUSIO_API_URL, default ${DEFAULT_API_URL})`)
    .option('--token <token>', 'the API token (env FUUSIO_TOKEN)')
    .option('--json', 'print the raw JSON answer')
    .addOption(new Option('--lang <lang>', 'the language of the output for people (env FUUSIO_LANG, else LC_ALL/LANG: fi_FI gives fi, sv_FI or sv_SE sv; default en); --json is the same in every language').choices(LANGUAGES))
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
    })
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .addHelpText('after', '\nExit codes: 0 success, 1 the API or database said no (or the audit chain is broken), 2 usage error.');
  registerTokenCommands(program, io);
  registerWorkflowCommands(program, io);
  registerHistoryCommand(program, io);
  registerAuditCommands(program, io);
  registerReplayCommand(program, io);
  registerVerifyCommand(program, io);
  registerRegistryCommands(program, io);
  registerPeopleCommands(program, io);
  registerCalendarCommands(program, io);
  registerDiffCommands(program, io);
  return program;
}

/** Runs the CLI with the user's arguments (without `node main.js`); resolves to the exit code. */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT_OK;
  } catch (err) {
    return report(err, io);
  }
}

function report(err: unknown, io: CliIo): number {
  if (err instanceof CommanderError) {
    // Commander has already printed its message (or the help) through configureOutput.
    return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  }
  if (err instanceof UsageError) {
    println(io.stderr, `error: ${err.message}`);
    println(io.stderr, '(add --help for usage)');
    return EXIT_USAGE;
  }
  if (err instanceof CliFailure) {
    for (const line of err.lines) println(io.stderr, line);
    return err.exitCode;
  }
  println(io.stderr, `error: ${err instanceof Error ? err.message : String(err)}`);
  return EXIT_FAILURE;
}
