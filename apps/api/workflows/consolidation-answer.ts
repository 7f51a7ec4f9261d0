import { z } from 'zod';

/**
 * The shape of GET /api/workflows/{id}/consolidation for the OpenAPI document (the type in
 * libs/domain/consolidation-view.ts is what the code writes; the browser test parses answers with this).
 */
const instant = z.string().describe('ISO 8601 time');
const count = z.object({ total: z.number().int(), transferred: z.number().int(), kept: z.number().int() });
const share = z.object({ key: z.string(), share: z.number().describe('0..1'), cents: z.number().int() });

export const consolidationAnswer = z.object({
  workflowId: z.string(),
  effectiveDate: z.string().describe('YYYY-MM-DD'),
  receiving: z.object({ businessId: z.string(), kind: z.enum(['existing', 'new']), region: z.string() }),
  parties: z.array(z.object({
    businessId: z.string(),
    label: z.string(),
    role: z.enum(['receiving', 'absorbed', 'carve-out', 'host']),
    chain: z.array(z.object({
      key: z.string(),
      body: z.string(),
      status: z.enum(['not-open', 'pending', 'approved', 'rejected', 'expired', 'withdrawn']),
      dueAt: instant.nullable(),
      decidedAt: instant.nullable(),
      reference: z.string().nullable(),
      names: z.object({ fi: z.string(), sv: z.string().nullable(), en: z.string().nullable() }).nullable().describe("the body's names in the registry, where it has them"),
    })).describe('the bodies in the order they decide'),
    transfers: z.object({ staff: count, agreements: count, projects: count }).nullable().describe('null for the receiving centre and the host'),
    municipalities: z.object({ moving: z.array(z.string()), staying: z.array(z.string()) }).nullable(),
    activities: z.array(z.string()),
  })),
  funding: z.object({
    totalCents: z.number().int(),
    rows: z.array(z.object({ centre: z.string(), before: share.nullable(), after: share.nullable().describe('null for a centre that merges') })),
  }).nullable(),
  fundingNote: z.string().nullable(),
  names: z.record(z.string(), z.object({ name: z.string(), nameSv: z.string().nullable() })).describe('the registry names of every business ID above'),
});
