import { Module } from '@nestjs/common';
import { FuusioConfigModule } from '../../libs/config/config.module';
import { DbModule } from '../../libs/db/db.module';
import { workerLoggerProvider } from './logger.provider';
import { HistoryArchiverService } from './history-archiver.service';
import { OutboxSenderService } from './outbox-sender.service';
import { WorkerService } from './worker.service';

@Module({
  imports: [FuusioConfigModule, DbModule],
  providers: [workerLoggerProvider, WorkerService, OutboxSenderService, HistoryArchiverService],
})
export class WorkerModule {}
