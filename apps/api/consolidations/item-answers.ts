import { z } from 'zod';

export const itemsQuerySchema = z.object({
  party: z.string().regex(/^\d{7}-\d$/, 'must be a business ID such as 0201256-6').optional(),
  kind: z.enum(['staff', 'agreement', 'project']).optional(),
  status: z.enum(['transferred', 'kept', 'undone', 'not-reached']).optional(),
  /** The `nextAfter` of the previous page (an item's position); 0 for the first page. */
  // Positions are PostgreSQL integers: a larger cursor is no cursor Fuusio gave out.
  after: z.coerce.number().int().min(0).max(2_147_483_647).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export type ItemsQuery = z.infer<typeof itemsQuerySchema>;

export const itemPageAnswer = z.object({
  items: z.array(z.object({
    position: z.number().int(),
    partyId: z.string(),
    kind: z.enum(['staff', 'agreement', 'project']),
    ref: z.string(),
    counterpartyId: z.string().nullable(),
    status: z.enum(['transferred', 'kept', 'undone', 'not-reached']),
  })),
  nextAfter: z.number().int().nullable(),
});

export const uploadedItemListAnswer = z.object({
  id: z.uuid(),
  staff: z.number().int(),
  agreements: z.number().int(),
  lines: z.number().int(),
});
