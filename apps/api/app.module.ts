import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { FuusioConfigModule } from '../../libs/config/config.module';
import { DbModule } from '../../libs/db/db.module';
import { AuditController } from './audit/audit.controller';
import { CrosscheckService } from './audit/crosscheck.service';
import { ReplayService } from './audit/replay.service';
import { StateController } from './audit/state.controller';
import { ErasureService } from './audit/erasure.service';
import { StateService } from './audit/state.service';
import { AuthGuard } from './auth/auth.guard';
import { ErrorFilter } from './common/error.filter';
import { REQUEST_ID_PATTERN } from './common/request-id';
import { HealthController } from './health/health.controller';
import { InboxController } from './inbox/inbox.controller';
import { InboxService } from './inbox/inbox.service';
import { Clock } from './people/clock';
import { Deciders } from './people/deciders';
import { PeopleController } from './people/people.controller';
import { PeopleService } from './people/people.service';
import { ProjectsController } from './projects/projects.controller';
import { RegistryController } from './registry/registry.controller';
import { StreamModule } from './stream/stream.module';
import { TemporalModule } from './temporal/temporal.module';
import { WorkflowsController } from './workflows/workflows.controller';
import { WorkflowsService } from './workflows/workflows.service';

const pretty = () => process.stdout.isTTY && process.env.LOG_FORMAT !== 'json';

@Module({
  imports: [
    FuusioConfigModule,
    DbModule,
    TemporalModule,
    StreamModule,
    // Built at start-up, not at import, so the level and format follow the environment of this process.
    LoggerModule.forRootAsync({
      useFactory: () => ({
      pinoHttp: {
        name: 'fuusio-api',
        level: process.env.LOG_LEVEL ?? 'info',
        // A client's own x-request-id is kept when it is a sane token: it ends up in logs and audit keys.
        genReqId: (req) => {
          const sent = req.headers['x-request-id'];
          return typeof sent === 'string' && REQUEST_ID_PATTERN.test(sent) ? sent : randomUUID();
        },
        // Tokens never reach the logs.
        redact: ['req.headers.authorization', 'req.query.access_token'],
        customProps: (req) => {
          const match = /\/api\/workflows\/([^/?]+)/.exec(req.url ?? '');
          return match?.[1] ? { workflowId: decodeURIComponent(match[1]) } : {};
        },
        ...(pretty() ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l' } } } : {}),
      },
      }),
    }),
  ],
  controllers: [HealthController, WorkflowsController, AuditController, StateController, RegistryController, ProjectsController, PeopleController, InboxController],
  providers: [
    WorkflowsService,
    ReplayService,
    CrosscheckService,
    StateService,
    ErasureService,
    Clock,
    PeopleService,
    Deciders,
    InboxService,
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_FILTER, useClass: ErrorFilter },
  ],
})
export class AppModule {}
