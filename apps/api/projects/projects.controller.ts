import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Pool } from 'pg';
import { z } from 'zod';
import { PG_POOL } from '../../../libs/db/db.module';
import { ProcessRepository } from '../../../libs/db/repositories/process.repository';
import { ProjectRepository, type ProjectRow } from '../../../libs/db/repositories/project.repository';
import type { TokenOwner } from '../../../libs/db/repositories/token.repository';
import { euraCodeSchema } from '../../../libs/domain/project';
import { CurrentUser } from '../auth/auth.decorators';
import { covers } from '../auth/scope.policy';
import { ApiError } from '../common/api-error';
import { parseBody } from '../common/zod-body';

const listQuery = z.object({
  code: euraCodeSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** A scoped token reads only the projects its organisation funds, leads or takes part in. */
function visibleTo(user: TokenOwner, p: ProjectRow): boolean {
  return covers(user, [p.funderId, p.leadId, ...p.partnerIds]);
}

@ApiTags('projects')
@ApiBearerAuth()
@Controller('api')
export class ProjectsController {
  private readonly projects = new ProjectRepository();
  private readonly processes = new ProcessRepository();

  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  @Get('projects')
  @ApiOperation({ summary: 'ESR projects (every phase), newest start first; filter by EURA code' })
  async list(@Query() query: unknown, @CurrentUser() user: TokenOwner) {
    const q = parseBody(listQuery, query);
    return { items: await this.projects.list(this.pool, { scope: user.organisation, code: q.code, limit: q.limit }) };
  }

  @Get('projects/:code')
  @ApiOperation({ summary: 'A project by EURA code (its latest phase) or business key: stages, periods, reports, indicators, documents and the chain of phases' })
  @ApiParam({ name: 'code', description: 'EURA code (e.g. S20220) or business key (e.g. project:S20220:2017-10-01)' })
  async detail(@Param('code') code: string, @CurrentUser() user: TokenOwner) {
    const project = await this.projects.resolve(this.pool, code);
    if (!project || !visibleTo(user, project)) throw ApiError.notFound(`project ${code}`);
    const detail = await this.projects.detail(this.pool, project);
    const run = await this.processes.detail(this.pool, project.workflowId);
    const chain = (await this.projects.chain(this.pool, project.workflowId)).filter((p) => visibleTo(user, p));
    const at = chain.findIndex((p) => p.workflowId === project.workflowId);
    const link = (p: ProjectRow | undefined) => (p ? { workflowId: p.workflowId, name: p.name, startDate: p.startDate, endDate: p.endDate, status: p.status } : null);
    const periods = detail.periods.map((p) => ({ no: p.no, start: p.start, end: p.end, dueOn: p.dueOn, escalatedOn: p.escalatedOn }));
    const reports = detail.periods.filter((p) => p.reportedOn !== null).map((p) => ({
      period: p.no, reportedOn: p.reportedOn, costsCents: p.costsCents, reference: p.reportReference, late: p.reportedOn !== null && p.reportedOn > p.dueOn,
    }));
    const { periods: _periods, ...rest } = detail;
    return {
      ...rest,
      stage: run?.stage ?? null,
      stages: run?.stages ?? [],
      nextDeadline: run?.nextDeadline ?? null,
      waitingFor: run?.waitingFor ?? [],
      periods,
      reports,
      predecessor: at > 0 ? link(chain[at - 1]) : null,
      continuation: at >= 0 ? link(chain[at + 1]) : null,
      chain: chain.map(link),
    };
  }
}
