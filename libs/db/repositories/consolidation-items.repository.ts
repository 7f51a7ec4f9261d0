import type { HoldingKind } from './consolidation.repository';
import type { Queryable } from '../pool';

/** One validated row of an uploaded item list. */
export type ItemListRow = { line: number; kind: 'staff' | 'agreement'; ref: string; counterpartyId: string | null };

export type ItemListSummary = { id: string; organisationId: string | null; staff: number; agreements: number };

/** A party's items as the *prepared* stage stores them: inline arrays and, where named, an uploaded list. */
export type PartyItems = {
  partyId: string;
  staff: string[];
  agreements: { reference: string; counterparty: string }[];
  projects: { code: string; funder: string }[];
  itemList?: string | undefined;
};

export type PartyItemCounts = { partyId: string; staff: number; agreements: number; projects: number };

/**
 * What one batch did: the cursor to go on from, what this call wrote (`moved`), and how many items the
 * batch covers (`covered`: every one of them is transferred once it returns, by this call or an earlier
 * try), so the caller's running sum counts each item once; `total` is the party's items of the kind.
 */
export type BatchOutcome = { cursor: number; moved: number; covered: number; total: number; done: boolean };

export type ItemStatusFilter = 'transferred' | 'kept' | 'undone' | 'not-reached';
export type ItemPageRow = { position: number; partyId: string; kind: HoldingKind; ref: string; counterpartyId: string | null; status: ItemStatusFilter };

/** Set-based batch writes carry at most this many items (one transaction each). */
export const MAX_BATCH = 5_000;

/**
 * The items a consolidation moves, stored in PostgreSQL rather than in workflow payloads: uploaded lists,
 * each consolidation's items, and the set-based batches that move and undo them (the only SQL for these).
 */
export class ConsolidationItemsRepository {
  async createList(db: Queryable, l: { id: string; organisationId: string | null; uploadedBy: string; rows: ItemListRow[] }): Promise<ItemListSummary> {
    const staff = l.rows.filter((r) => r.kind === 'staff').length;
    const agreements = l.rows.length - staff;
    await db.query(
      `INSERT INTO consolidation_item_lists (id, organisation_id, uploaded_by, staff, agreements) VALUES ($1, $2, $3, $4, $5)`,
      [l.id, l.organisationId, l.uploadedBy, staff, agreements],
    );
    await db.query(
      `INSERT INTO consolidation_item_list_rows (list_id, line, kind, ref, counterparty_id)
       SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[], $5::text[])`,
      [l.id, l.rows.map((r) => r.line), l.rows.map((r) => r.kind), l.rows.map((r) => r.ref), l.rows.map((r) => r.counterpartyId)],
    );
    return { id: l.id, organisationId: l.organisationId, staff, agreements };
  }

  async lists(db: Queryable, ids: string[]): Promise<ItemListSummary[]> {
    const r = await db.query<{ id: string; organisation_id: string | null; staff: number; agreements: number }>(
      'SELECT id, organisation_id, staff, agreements FROM consolidation_item_lists WHERE id = ANY($1::uuid[])', [ids],
    );
    return r.rows.map((x) => ({ id: x.id, organisationId: x.organisation_id, staff: x.staff, agreements: x.agreements }));
  }

  /**
   * Items named by more than one party (inline or through a list), first ones first: each item belongs
   * to one party. `parties[n]` is the party at index n of the launch.
   */
  async repeatedItems(db: Queryable, parties: PartyItems[], limit = 20): Promise<{ kind: string; ref: string; parties: number[] }[]> {
    const lists = parties.flatMap((p, n) => (p.itemList ? [{ n, list: p.itemList }] : []));
    const inline = parties.flatMap((p, n) => [
      ...p.staff.map((ref) => ({ n, kind: 'staff', ref })),
      ...p.agreements.map((a) => ({ n, kind: 'agreement', ref: a.reference })),
    ]);
    const r = await db.query<{ kind: string; ref: string; parties: number[] }>(
      `WITH items AS (
         SELECT p.n, x.kind, x.ref FROM unnest($1::uuid[], $2::int[]) AS p(list_id, n) JOIN consolidation_item_list_rows x ON x.list_id = p.list_id
         UNION ALL SELECT * FROM unnest($3::int[], $4::text[], $5::text[]))
       SELECT kind, ref, array_agg(n ORDER BY n) AS parties FROM items GROUP BY kind, ref HAVING count(*) > 1
        ORDER BY min(n), kind, ref LIMIT $6`,
      [lists.map((l) => l.list), lists.map((l) => l.n), inline.map((i) => i.n), inline.map((i) => i.kind), inline.map((i) => i.ref), limit],
    );
    return r.rows;
  }

  /**
   * Stores a consolidation's items once per party, party by party in input order (staff, agreements,
   * projects; inline first, then the list in line order); a retry finds them stored and returns the same counts.
   * Throws PostgreSQL's unique violation when an item is named by two parties.
   */
  async storeItems(db: Queryable, workflowId: string, parties: PartyItems[]): Promise<PartyItemCounts[]> {
    for (const p of parties) {
      const stored = await db.query('SELECT 1 FROM consolidation_items WHERE workflow_id = $1 AND party_id = $2 LIMIT 1', [workflowId, p.partyId]);
      if (stored.rows.length > 0) continue;
      const last = await db.query<{ n: number }>('SELECT coalesce(max(position), 0)::int AS n FROM consolidation_items WHERE workflow_id = $1', [workflowId]);
      let position = last.rows[0]?.n ?? 0;
      // Each source is one INSERT ... SELECT: $1 workflow, $2 party, $3 the position before it, $4.. the source's own.
      const insert = async (source: string, params: unknown[]) => {
        const r = await db.query(
          `INSERT INTO consolidation_items (workflow_id, party_id, kind, ref, counterparty_id, position)
           SELECT $1, $2, kind, ref, counterparty_id, $3::int + row_number() OVER (ORDER BY ord) FROM (${source}) AS s`,
          [workflowId, p.partyId, position, ...params],
        );
        position += r.rowCount ?? 0;
      };
      const inline = (refs: string[], counterparties: (string | null)[], kind: HoldingKind) => insert(
        `SELECT $6::text AS kind, ref, cp AS counterparty_id, ord FROM unnest($4::text[], $5::text[]) WITH ORDINALITY AS u(ref, cp, ord)`,
        [refs, counterparties, kind],
      );
      for (const kind of ['staff', 'agreement'] as const) {
        if (kind === 'staff') await inline(p.staff, p.staff.map(() => null), kind);
        else await inline(p.agreements.map((a) => a.reference), p.agreements.map((a) => a.counterparty), kind);
        if (p.itemList) {
          await insert(`SELECT kind, ref, counterparty_id, line AS ord FROM consolidation_item_list_rows WHERE list_id = $4 AND kind = $5`, [p.itemList, kind]);
        }
      }
      await inline(p.projects.map((x) => x.code), p.projects.map((x) => x.funder), 'project');
    }
    return this.counts(db, workflowId);
  }

  /** Per party: how many staff, agreements and projects the consolidation moves. */
  async counts(db: Queryable, workflowId: string): Promise<PartyItemCounts[]> {
    const r = await db.query<{ party_id: string; staff: number; agreements: number; projects: number }>(
      `SELECT party_id, count(*) FILTER (WHERE kind = 'staff')::int AS staff, count(*) FILTER (WHERE kind = 'agreement')::int AS agreements,
              count(*) FILTER (WHERE kind = 'project')::int AS projects
         FROM consolidation_items WHERE workflow_id = $1 GROUP BY party_id ORDER BY min(position)`,
      [workflowId],
    );
    return r.rows.map((x) => ({ partyId: x.party_id, staff: x.staff, agreements: x.agreements, projects: x.projects }));
  }

  /**
   * Moves the party's next items of a kind after `cursor` (at most `limit`) to the receiving centre from
   * the effective date, in one set: each party row ends the day before, a receiver row opens, and each
   * move is logged under its natural key (`kind:ref`), so items a retried batch already moved are skipped.
   * An item another organisation holds the day before refuses the whole batch (`heldElsewhere`).
   */
  async moveBatch(
    db: Queryable,
    b: { workflowId: string; partyId: string; kind: 'staff' | 'agreement'; to: string; effectiveDate: string; dayBefore: string; cursor: number; limit: number },
    heldElsewhere: (item: { ref: string; holder: string }) => Error,
  ): Promise<BatchOutcome> {
    const batch = await db.query<{ position: number; ref: string; counterparty_id: string | null; logged: boolean }>(
      `SELECT i.position, i.ref, i.counterparty_id,
              EXISTS (SELECT 1 FROM consolidation_transfers t WHERE t.workflow_id = i.workflow_id AND t.step = i.kind || ':' || i.ref) AS logged
         FROM consolidation_items i
        WHERE i.workflow_id = $1 AND i.party_id = $2 AND i.kind = $3 AND i.position > $4
        ORDER BY i.position LIMIT $5`,
      [b.workflowId, b.partyId, b.kind, b.cursor, Math.min(b.limit, MAX_BATCH)],
    );
    const todo = batch.rows.filter((x) => !x.logged);
    if (todo.length > 0) {
      const refs = todo.map((x) => x.ref);
      const foreign = await db.query<{ ref: string; organisation_id: string }>(
        `SELECT ref, organisation_id FROM centre_holdings
          WHERE kind = $1 AND ref = ANY($2) AND organisation_id <> $3 AND valid_from <= $4 AND (valid_to IS NULL OR valid_to >= $4)
          ORDER BY ref LIMIT 1`,
        [b.kind, refs, b.partyId, b.dayBefore],
      );
      const first = foreign.rows[0];
      if (first) throw heldElsewhere({ ref: first.ref, holder: first.organisation_id });
      const ended = await db.query<{ id: string; ref: string; prev: string | null; counterparty_id: string | null }>(
        `WITH target AS (
           SELECT id, to_char(valid_to, 'YYYY-MM-DD') AS prev FROM centre_holdings
            WHERE kind = $1 AND ref = ANY($2) AND organisation_id = $3 AND valid_from < $4 AND (valid_to IS NULL OR valid_to >= $4)
            FOR UPDATE)
         UPDATE centre_holdings h SET valid_to = $5 FROM target WHERE h.id = target.id
         RETURNING h.id, h.ref, target.prev, h.counterparty_id`,
        [b.kind, refs, b.partyId, b.effectiveDate, b.dayBefore],
      );
      const endedByRef = new Map(ended.rows.map((x) => [x.ref, x]));
      const was = todo.map((x) => endedByRef.get(x.ref));
      await db.query(
        `INSERT INTO centre_holdings (kind, ref, organisation_id, counterparty_id, valid_from, source_workflow_id, source_step)
         SELECT $1, ref, $2, cp, $3, $4, $1 || ':' || ref FROM unnest($5::text[], $6::text[]) WITH ORDINALITY AS u(ref, cp, ord) ORDER BY ord`,
        [b.kind, b.to, b.effectiveDate, b.workflowId, refs, todo.map((x, n) => was[n]?.counterparty_id ?? x.counterparty_id)],
      );
      await db.query(
        `INSERT INTO consolidation_transfers (workflow_id, step, party_id, kind, ref, outcome, ended_row_id, ended_valid_to)
         SELECT $1, $3 || ':' || ref, $2, $3, ref, 'transferred', row_id, prev::date
           FROM unnest($4::text[], $5::bigint[], $6::text[]) WITH ORDINALITY AS u(ref, row_id, prev, ord) ORDER BY ord`,
        [b.workflowId, b.partyId, b.kind, refs, was.map((w) => (w ? Number(w.id) : null)), was.map((w) => w?.prev ?? null)],
      );
    }
    const last = batch.rows[batch.rows.length - 1];
    const total = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM consolidation_items WHERE workflow_id = $1 AND party_id = $2 AND kind = $3', [b.workflowId, b.partyId, b.kind]);
    return {
      cursor: last?.position ?? b.cursor, moved: todo.length, covered: batch.rows.length, total: total.rows[0]?.n ?? 0,
      done: batch.rows.length < Math.min(b.limit, MAX_BATCH),
    };
  }

  /**
   * Undoes the newest `limit` moves not yet undone, in one set: the receivers' rows go first, then the
   * parties' rows get their old end back, so the registry rows equal the snapshot once every batch ran.
   * A retry after a batch committed undoes the next one; nothing is undone twice.
   */
  async undoBatch(db: Queryable, workflowId: string, limit: number): Promise<{ undone: number; remaining: number; kinds: Record<string, number> }> {
    const r = await db.query<{ step: string; kind: string; outcome: string; ended_row_id: string | null; ended_valid_to: string | null }>(
      `UPDATE consolidation_transfers t SET undone_at = now()
         FROM (SELECT seq FROM consolidation_transfers WHERE workflow_id = $1 AND undone_at IS NULL ORDER BY seq DESC LIMIT $2 FOR UPDATE) AS newest
        WHERE t.seq = newest.seq
        RETURNING t.step, t.kind, t.outcome, t.ended_row_id, to_char(t.ended_valid_to, 'YYYY-MM-DD') AS ended_valid_to`,
      [workflowId, Math.min(limit, MAX_BATCH)],
    );
    const moved = r.rows.filter((x) => x.outcome === 'transferred');
    for (const [table, end, shares] of [['centre_holdings', 'valid_to', false], ['share_register', 'disposed_on', true]] as const) {
      const rows = moved.filter((x) => (x.kind === 'shareholding') === shares);
      if (rows.length === 0) continue;
      await db.query(`DELETE FROM ${table} WHERE source_workflow_id = $1 AND source_step = ANY($2)`, [workflowId, rows.map((x) => x.step)]);
      const restored = rows.filter((x) => x.ended_row_id !== null);
      await db.query(
        `UPDATE ${table} AS x SET ${end} = u.prev::date FROM unnest($1::bigint[], $2::text[]) AS u(id, prev) WHERE x.id = u.id`,
        [restored.map((x) => x.ended_row_id), restored.map((x) => x.ended_valid_to)],
      );
    }
    const left = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM consolidation_transfers WHERE workflow_id = $1 AND undone_at IS NULL', [workflowId]);
    const kinds: Record<string, number> = {};
    for (const x of r.rows) kinds[x.kind] = (kinds[x.kind] ?? 0) + 1;
    return { undone: r.rows.length, remaining: left.rows[0]?.n ?? 0, kinds };
  }

  /** A page of a consolidation's items with what happened to each, after `after` (a position) in order. */
  async page(
    db: Queryable,
    q: { workflowId: string; partyId?: string; kind?: HoldingKind; status?: ItemStatusFilter; after: number; limit: number },
  ): Promise<ItemPageRow[]> {
    const r = await db.query<{ position: number; party_id: string; kind: HoldingKind; ref: string; counterparty_id: string | null; status: ItemStatusFilter }>(
      `SELECT * FROM (
         SELECT i.position, i.party_id, i.kind, i.ref, i.counterparty_id,
                CASE WHEN t.seq IS NULL THEN 'not-reached' WHEN t.undone_at IS NOT NULL THEN 'undone' ELSE t.outcome END AS status
           FROM consolidation_items i
           LEFT JOIN consolidation_transfers t ON t.workflow_id = i.workflow_id AND t.step = i.kind || ':' || i.ref
          WHERE i.workflow_id = $1 AND i.position > $2 AND ($3::text IS NULL OR i.party_id = $3) AND ($4::text IS NULL OR i.kind = $4)) AS x
        WHERE $5::text IS NULL OR x.status = $5
        ORDER BY x.position LIMIT $6`,
      [q.workflowId, q.after, q.partyId ?? null, q.kind ?? null, q.status ?? null, q.limit],
    );
    return r.rows.map((x) => ({ position: x.position, partyId: x.party_id, kind: x.kind, ref: x.ref, counterpartyId: x.counterparty_id, status: x.status }));
  }
}
