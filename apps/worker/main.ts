import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Runtime } from '@temporalio/worker';
import { createLogger } from '../../libs/logging/logger';
import { PinoTemporalLogger } from '../../libs/logging/temporal-logger';
import { WorkerModule } from './worker.module';

let app: INestApplicationContext | undefined;
let stopping = false;

/**
 * SIGTERM and SIGINT are ours from the first moment: a signal while the worker still starts (bundling the
 * workflow code takes seconds) ends the process at once; afterwards Nest's shutdown hooks drain the worker
 * and stop the outbox sender. Temporal's runtime is told not to take the signals itself, or a signal
 * during start-up would be swallowed and the process would run on (as `npm start`'s SIGTERM test found).
 */
function stopOn(signal: NodeJS.Signals): void {
  process.once(signal, () => {
    if (stopping) return;
    stopping = true;
    if (!app) process.exit(0);
    app.close().then(() => process.exit(0), () => process.exit(1));
  });
}

async function main(): Promise<void> {
  stopOn('SIGTERM');
  stopOn('SIGINT');
  const log = createLogger('fuusio-worker');
  Runtime.install({ logger: new PinoTemporalLogger(log), shutdownSignals: [] });
  app = await NestFactory.createApplicationContext(WorkerModule, { logger: ['error', 'warn'] });
}

main().catch((err: unknown) => {
  console.error('worker failed to start:', err);
  process.exit(1);
});
