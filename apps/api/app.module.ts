import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { LoggerModule } from 'nestjs-pino';
import { FuusioConfigModule } from '../../libs/config/config.module';
import { DbModule } from '../../libs/db/db.module';
import { AuditController } from './audit/audit.controller';
import { AuditLogController } from './audit/audit-log.controller';
import { AuditLogService } from './audit/audit-log.service';
import { BundleService } from './audit/bundle.service';
import { CrosscheckService } from './audit/crosscheck.service';
import { HistorySource } from './audit/history-source';
import { ReplayService } from './audit/replay.service';
import { RunsService } from './audit/runs.service';
import { StateController } from './audit/state.controller';
import { ErasureService } from './audit/erasure.service';
import { StateService } from './audit/state.service';
import { AuthGuard } from './auth/auth.guard';
import { CalendarFeedsController, CalendarPublicController } from './calendar/calendar.controller';
import { CalendarService } from './calendar/calendar.service';
import { ConsolidationsController } from './consolidations/consolidations.controller';
import { ItemListsService } from './consolidations/item-lists.service';
import { ScopePolicy, WorkflowScopeGuard } from './auth/scope.policy';
import { TokensController } from './auth/tokens.controller';
import { TokensService } from './auth/tokens.service';
import { ErrorFilter } from './common/error.filter';
import { RateLimitGuard, type RateLimitOptions, throttlerOptions } from './common/rate-limit';
import { HealthController } from './health/health.controller';
import { InboxController } from './inbox/inbox.controller';
import { InboxService } from './inbox/inbox.service';
import { apiLoggerParams, type ApiLogOptions } from './logging';
import { NotificationsController } from './notifications/notifications.controller';
import { NotificationsService } from './notifications/notifications.service';
import { Clock } from './people/clock';
import { Deciders } from './people/deciders';
import { PeopleController } from './people/people.controller';
import { PeopleService } from './people/people.service';
import { ProjectsController } from './projects/projects.controller';
import { RegistryController } from './registry/registry.controller';
import { RegistryDiffController } from './registry/registry-diff.controller';
import { RegistryDiffService } from './registry/registry-diff.service';
import { HistoricalRecordsController } from './historical/historical-records.controller';
import { HistoricalRecordsService } from './historical/historical-records.service';
import { StreamModule } from './stream/stream.module';
import { TemporalModule } from './temporal/temporal.module';
import { ConsolidationViewController } from './workflows/consolidation-view.controller';
import { ConsolidationViewService } from './workflows/consolidation-view.service';
import { WorkflowsController } from './workflows/workflows.controller';
import { RunReconciler } from './workflows/run-reconciler';
import { WorkflowLineage } from './workflows/workflow-lineage';
import { WorkflowsService } from './workflows/workflows.service';

@Module({
  imports: [
    FuusioConfigModule,
    DbModule,
    TemporalModule,
    StreamModule,
  ],
  controllers: [
    HealthController, WorkflowsController, ConsolidationViewController, AuditController, AuditLogController, StateController, RegistryController, ProjectsController, TokensController,
    PeopleController, InboxController, NotificationsController, CalendarFeedsController, CalendarPublicController,
    RegistryDiffController, HistoricalRecordsController, ConsolidationsController,
  ],
  providers: [
    WorkflowsService,
    ConsolidationViewService,
    RunReconciler,
    ReplayService,
    HistorySource,
    RunsService,
    WorkflowLineage,
    CrosscheckService,
    StateService,
    ErasureService,
    AuditLogService,
    BundleService,
    Clock,
    PeopleService,
    Deciders,
    InboxService,
    ScopePolicy,
    TokensService,
    NotificationsService,
    CalendarService,
    RegistryDiffService,
    HistoricalRecordsService,
    ItemListsService,
    // In this order: how often this client calls, who the token is (and its role), then whether its scope
    // covers the workflow the path names.
    { provide: APP_GUARD, useClass: RateLimitGuard },
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_GUARD, useClass: WorkflowScopeGuard },
    { provide: APP_FILTER, useClass: ErrorFilter },
  ],
})
export class AppModule {
  /** The application with its request logger; built at start-up, not at import, so it follows this process's environment. */
  static register(log: ApiLogOptions = {}, rateLimit: RateLimitOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [LoggerModule.forRootAsync({ useFactory: () => apiLoggerParams(log) }), ThrottlerModule.forRoot(throttlerOptions(rateLimit))],
    };
  }
}
