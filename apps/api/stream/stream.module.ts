import { Module } from '@nestjs/common';
import { MeController } from './me.controller';
import { StreamController } from './stream.controller';
import { StreamService } from './stream.service';

/** GET /api/stream: progress changes as Server-Sent Events, from PostgreSQL LISTEN/NOTIFY; GET /api/me for the dashboard. */
@Module({ controllers: [StreamController, MeController], providers: [StreamService], exports: [StreamService] })
export class StreamModule {}
