import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Pool } from 'pg';
import { z } from 'zod';
import { PG_POOL } from '../../../libs/db/db.module';
import { RegistryRepository } from '../../../libs/db/repositories/registry.repository';
import { helsinkiDate } from '../../../libs/domain/helsinki-time';
import { isoDateSchema } from '../../../libs/domain/schemas';
import { ApiError } from '../common/api-error';
import { ZodQuery } from '../common/openapi';
import { parseBody } from '../common/zod-body';

const orgQuery = z.object({
  kind: z.string().max(50).optional(),
  region: z.string().max(100).optional(),
  at: isoDateSchema.optional(),
  after: z.string().max(20).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});
const atQuery = z.object({ at: isoDateSchema.optional() });

@ApiTags('registry')
@ApiBearerAuth()
@Controller('api')
export class RegistryController {
  private readonly registry = new RegistryRepository();

  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  @Get('organisations')
  @ApiOperation({ summary: 'Organisations, filtered by kind, region and the date they were valid on' })
  @ZodQuery(orgQuery)
  async organisations(@Query() query: unknown) {
    const q = parseBody(orgQuery, query);
    const items = await this.registry.organisations(this.pool, q);
    return { items, nextAfter: items.length === q.limit ? items[items.length - 1]?.businessId ?? null : null };
  }

  @Get('organisations/:businessId')
  @ApiOperation({ summary: 'An organisation by business ID' })
  async organisation(@Param('businessId') businessId: string) {
    const org = await this.registry.organisation(this.pool, businessId);
    if (!org) throw ApiError.notFound(`organisation ${businessId}`);
    return org;
  }

  @Get('companies/:businessId/shareholders')
  @ApiOperation({ summary: 'Holders with share counts and share-number ranges on a date (default today)' })
  @ZodQuery(atQuery)
  async shareholders(@Param('businessId') businessId: string, @Query() query: unknown) {
    const today = helsinkiDate(Date.now());
    const at = parseBody(atQuery, query).at ?? today;
    const company = await this.registry.company(this.pool, businessId);
    if (!company) throw ApiError.notFound(`company ${businessId}`);
    const holdings = await this.registry.holdings(this.pool, businessId, at);
    const byHolder = new Map<string, { businessId: string; name: string; shares: number; ranges: { first: number; last: number }[] }>();
    for (const h of holdings) {
      const entry = byHolder.get(h.holderId) ?? { businessId: h.holderId, name: h.holderName, shares: 0, ranges: [] };
      entry.shares += h.lastNo - h.firstNo + 1;
      entry.ranges.push({ first: h.firstNo, last: h.lastNo });
      byHolder.set(h.holderId, entry);
    }
    const holders = [...byHolder.values()];
    const held = holders.reduce((n, h) => n + h.shares, 0);
    // Every issued share has a holder on every day, so what was issued on a past day is what was held
    // then; the company row only knows today's count.
    const issued = at < today ? held : company.sharesIssued;
    return { company: businessId, at, holders, totals: { holders: holders.length, sharesHeld: held, sharesIssued: issued } };
  }
}
