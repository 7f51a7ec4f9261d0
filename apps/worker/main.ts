import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Runtime } from '@temporalio/worker';
import { createLogger } from '../../libs/logging/logger';
import { PinoTemporalLogger } from '../../libs/logging/temporal-logger';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  const log = createLogger('fuusio-worker');
  Runtime.install({ logger: new PinoTemporalLogger(log) });
  const app = await NestFactory.createApplicationContext(WorkerModule, { logger: ['error', 'warn'] });
  app.enableShutdownHooks();
}

main().catch((err: unknown) => {
  console.error('worker failed to start:', err);
  process.exit(1);
});
