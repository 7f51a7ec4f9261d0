import { Module } from '@nestjs/common';
import { FuusioConfigModule } from '../../libs/config/config.module';
import { DbModule } from '../../libs/db/db.module';
import { workerLoggerProvider } from './logger.provider';
import { OutboxSenderService } from './outbox-sender.service';
import { WorkerService } from './worker.service';

@Module({
  imports: [FuusioConfigModule, DbModule],
  providers: [workerLoggerProvider, WorkerService, OutboxSenderService],
})
export class WorkerModule {}
