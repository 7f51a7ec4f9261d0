import type { CentreArea } from '../../domain/consolidation';
import type { Queryable } from '../pool';

export type HoldingKind = 'staff' | 'project' | 'agreement';
export type TransferKind = HoldingKind | 'shareholding';

/** The registry rows a consolidation touches, in a stable order (compared as JSON). */
export type RegistrySnapshot = {
  organisations: Record<string, unknown>[];
  serviceAreas: Record<string, unknown>[];
  holdings: Record<string, unknown>[];
  shareRegister: Record<string, unknown>[];
};

export type TransferRow = {
  seq: number;
  step: string;
  partyId: string;
  kind: TransferKind;
  ref: string;
  outcome: 'transferred' | 'kept';
  undone: boolean;
};

export type ReceivingRow = {
  centreId: string;
  createdCentre: boolean;
  regionAfter: string;
  effectiveDate: string;
  effectiveSummary: Record<string, unknown> | null;
  undone: boolean;
};

const DATE = (col: string) => `to_char(${col}, 'YYYY-MM-DD') AS ${col}`;

/** Service areas, centre holdings and the consolidation workflow's own record: the only SQL for them. */
export class ConsolidationRepository {
  /** Municipalities the centre serves on `at`, by business ID. */
  async served(db: Queryable, centreId: string, at: string): Promise<string[]> {
    const r = await db.query<{ municipality_id: string }>(
      `SELECT municipality_id FROM service_areas
        WHERE centre_id = $1 AND valid_from <= $2 AND (valid_to IS NULL OR valid_to >= $2) ORDER BY municipality_id`,
      [centreId, at],
    );
    return r.rows.map((x) => x.municipality_id);
  }

  /** Every centre's service area on `at`, with each municipality's population and area (null when unknown). */
  async centreAreas(db: Queryable, at: string): Promise<CentreArea[]> {
    const r = await db.query<{ centre_id: string; municipality_id: string; population: number | null; area_km2: string | null }>(
      `SELECT s.centre_id, s.municipality_id, o.population, o.area_km2
         FROM service_areas s JOIN organisations o ON o.business_id = s.municipality_id
        WHERE s.valid_from <= $1 AND (s.valid_to IS NULL OR s.valid_to >= $1)
        ORDER BY s.centre_id, s.municipality_id`,
      [at],
    );
    const out = new Map<string, CentreArea>();
    for (const x of r.rows) {
      const c = out.get(x.centre_id) ?? { centre: x.centre_id, municipalities: [] };
      c.municipalities.push({ businessId: x.municipality_id, population: x.population, areaKm2: x.area_km2 === null ? null : Number(x.area_km2) });
      out.set(x.centre_id, c);
    }
    return [...out.values()];
  }

  async addServiceArea(db: Queryable, a: { centreId: string; municipalityId: string; validFrom: string; workflowId?: string; step?: string }): Promise<void> {
    await db.query(
      `INSERT INTO service_areas (centre_id, municipality_id, valid_from, source_workflow_id, source_step)
       SELECT $1, $2, $3, $4, $5
        WHERE NOT EXISTS (SELECT 1 FROM service_areas WHERE centre_id = $1 AND municipality_id = $2
                            AND (valid_to IS NULL OR valid_to >= $3))`,
      [a.centreId, a.municipalityId, a.validFrom, a.workflowId ?? null, a.step ?? null],
    );
  }

  /** Ends the centre's service of these municipalities (all it serves when `municipalities` is null) on `validTo`; returns the ones ended. */
  async endServiceAreas(db: Queryable, centreId: string, municipalities: string[] | null, validTo: string): Promise<string[]> {
    const r = await db.query<{ municipality_id: string }>(
      `UPDATE service_areas SET valid_to = $3
        WHERE centre_id = $1 AND ($2::text[] IS NULL OR municipality_id = ANY($2))
          AND valid_from <= $3 AND (valid_to IS NULL OR valid_to > $3)
        RETURNING municipality_id`,
      [centreId, municipalities, validTo],
    );
    return r.rows.map((x) => x.municipality_id).sort();
  }

  /** A holding (staff, project, agreement) as seeded or moved; `ref` for staff is a pseudonymous reference. */
  async addHolding(
    db: Queryable,
    h: { kind: HoldingKind; ref: string; organisationId: string; counterpartyId?: string | null; validFrom: string; workflowId?: string; step?: string },
  ): Promise<void> {
    await db.query(
      `INSERT INTO centre_holdings (kind, ref, organisation_id, counterparty_id, valid_from, source_workflow_id, source_step)
       SELECT $1, $2, $3, $4, $5, $6, $7
        WHERE NOT EXISTS (SELECT 1 FROM centre_holdings WHERE kind = $1 AND ref = $2 AND (valid_to IS NULL OR valid_to >= $5))`,
      [h.kind, h.ref, h.organisationId, h.counterpartyId ?? null, h.validFrom, h.workflowId ?? null, h.step ?? null],
    );
  }

  /** The holder of an item on `at`. */
  async holderOn(db: Queryable, kind: HoldingKind, ref: string, at: string): Promise<{ id: number; organisationId: string; counterpartyId: string | null } | null> {
    const r = await db.query<{ id: string; organisation_id: string; counterparty_id: string | null }>(
      `SELECT id, organisation_id, counterparty_id FROM centre_holdings
        WHERE kind = $1 AND ref = $2 AND valid_from <= $3 AND (valid_to IS NULL OR valid_to >= $3)`,
      [kind, ref, at],
    );
    const x = r.rows[0];
    return x ? { id: Number(x.id), organisationId: x.organisation_id, counterpartyId: x.counterparty_id } : null;
  }

  /** The rows a consolidation touches: the organisations, their service areas and holdings (sorted, dates as text). */
  async snapshotRows(db: Queryable, organisationIds: string[]): Promise<RegistrySnapshot> {
    const orgs = await db.query(
      `SELECT business_id, name, kind, region, population, area_km2::text AS area_km2, ${DATE('valid_from')}, ${DATE('valid_to')}, merged_into
         FROM organisations WHERE business_id = ANY($1) ORDER BY business_id`,
      [organisationIds],
    );
    const areas = await db.query(
      `SELECT id::text AS id, centre_id, municipality_id, ${DATE('valid_from')}, ${DATE('valid_to')}, source_workflow_id, source_step
         FROM service_areas WHERE centre_id = ANY($1) ORDER BY id`,
      [organisationIds],
    );
    const holdings = await db.query(
      `SELECT id::text AS id, kind, ref, organisation_id, counterparty_id, ${DATE('valid_from')}, ${DATE('valid_to')}, source_workflow_id, source_step
         FROM centre_holdings WHERE organisation_id = ANY($1) ORDER BY id`,
      [organisationIds],
    );
    const shares = await db.query(
      `SELECT id::text AS id, company_id, holder_id, first_no, last_no, ${DATE('acquired_on')}, ${DATE('disposed_on')},
              source_workflow_id, source_step, recorded_at::text AS recorded_at
         FROM share_register WHERE holder_id = ANY($1) OR company_id = ANY($1) ORDER BY id`,
      [organisationIds],
    );
    return { organisations: orgs.rows, serviceAreas: areas.rows, holdings: holdings.rows, shareRegister: shares.rows };
  }

  /** Stores the snapshot once; a retry keeps the first one and returns it. */
  async saveSnapshot(db: Queryable, workflowId: string, rows: RegistrySnapshot): Promise<RegistrySnapshot> {
    await db.query(`INSERT INTO consolidation_snapshots (workflow_id, rows) VALUES ($1, $2) ON CONFLICT (workflow_id) DO NOTHING`, [
      workflowId, JSON.stringify(rows),
    ]);
    const stored = await this.snapshot(db, workflowId);
    if (!stored) throw new Error(`snapshot of ${workflowId} was not stored`);
    return stored;
  }

  async snapshot(db: Queryable, workflowId: string): Promise<RegistrySnapshot | null> {
    const r = await db.query<{ rows: RegistrySnapshot }>('SELECT rows FROM consolidation_snapshots WHERE workflow_id = $1', [workflowId]);
    return r.rows[0]?.rows ?? null;
  }

  async saveReceiving(
    db: Queryable,
    r: { workflowId: string; centreId: string; createdCentre: boolean; regionAfter: string; effectiveDate: string },
  ): Promise<void> {
    await db.query(
      `INSERT INTO consolidation_receiving (workflow_id, centre_id, created_centre, region_after, effective_date)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (workflow_id) DO NOTHING`,
      [r.workflowId, r.centreId, r.createdCentre, r.regionAfter, r.effectiveDate],
    );
  }

  async receiving(db: Queryable, workflowId: string, forUpdate = false): Promise<ReceivingRow | null> {
    const r = await db.query(
      `SELECT centre_id, created_centre, region_after, ${DATE('effective_date')}, effective_summary, undone_at
         FROM consolidation_receiving WHERE workflow_id = $1 ${forUpdate ? 'FOR UPDATE' : ''}`,
      [workflowId],
    );
    const x = r.rows[0];
    return x
      ? {
          centreId: x.centre_id, createdCentre: x.created_centre, regionAfter: x.region_after, effectiveDate: x.effective_date,
          effectiveSummary: x.effective_summary, undone: x.undone_at !== null,
        }
      : null;
  }

  async markEffective(db: Queryable, workflowId: string, summary: Record<string, unknown>): Promise<void> {
    await db.query(`UPDATE consolidation_receiving SET effective_applied_at = now(), effective_summary = $2 WHERE workflow_id = $1`, [
      workflowId, JSON.stringify(summary),
    ]);
  }

  async markReceivingUndone(db: Queryable, workflowId: string): Promise<void> {
    await db.query('UPDATE consolidation_receiving SET undone_at = now() WHERE workflow_id = $1 AND undone_at IS NULL', [workflowId]);
  }

  async deleteOrganisation(db: Queryable, businessId: string): Promise<void> {
    await db.query('DELETE FROM organisations WHERE business_id = $1', [businessId]);
  }

  async setRegion(db: Queryable, businessId: string, region: string): Promise<void> {
    await db.query('UPDATE organisations SET region = $2 WHERE business_id = $1', [businessId, region]);
  }

  async transfer(db: Queryable, workflowId: string, step: string): Promise<TransferRow | null> {
    const r = await db.query(
      `SELECT seq, step, party_id, kind, ref, outcome, undone_at FROM consolidation_transfers WHERE workflow_id = $1 AND step = $2`,
      [workflowId, step],
    );
    return r.rows[0] ? toTransfer(r.rows[0]) : null;
  }

  /**
   * Moves one holding to the receiving centre from the effective date: the party's row ends the day
   * before, a new row opens for the receiver, and the move is logged with what it ended.
   */
  async moveHolding(
    db: Queryable,
    m: { workflowId: string; step: string; partyId: string; kind: HoldingKind; ref: string; to: string; effectiveDate: string; dayBefore: string; counterpartyId: string | null },
  ): Promise<void> {
    const ended = await db.query<{ id: string; prev: string | null; counterparty_id: string | null }>(
      `WITH target AS (
         SELECT id, to_char(valid_to, 'YYYY-MM-DD') AS prev FROM centre_holdings
          WHERE kind = $1 AND ref = $2 AND organisation_id = $3 AND valid_from < $4 AND (valid_to IS NULL OR valid_to >= $4)
          FOR UPDATE)
       UPDATE centre_holdings h SET valid_to = $5 FROM target WHERE h.id = target.id
       RETURNING h.id, target.prev, h.counterparty_id`,
      [m.kind, m.ref, m.partyId, m.effectiveDate, m.dayBefore],
    );
    const row = ended.rows[0];
    await db.query(
      `INSERT INTO centre_holdings (kind, ref, organisation_id, counterparty_id, valid_from, source_workflow_id, source_step)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [m.kind, m.ref, m.to, row?.counterparty_id ?? m.counterpartyId, m.effectiveDate, m.workflowId, m.step],
    );
    await db.query(
      `INSERT INTO consolidation_transfers (workflow_id, step, party_id, kind, ref, outcome, ended_row_id, ended_valid_to)
       VALUES ($1, $2, $3, $4, $5, 'transferred', $6, $7)`,
      [m.workflowId, m.step, m.partyId, m.kind, m.ref, row ? Number(row.id) : null, row?.prev ?? null],
    );
  }

  /**
   * Moves the party's share ranges in `companyId` (held the day before the effective date) to the
   * receiving centre, number for number, from the effective date; one logged move per range.
   */
  async moveShareholdings(
    db: Queryable,
    m: { workflowId: string; partyId: string; companyId: string; to: string; effectiveDate: string },
  ): Promise<{ firstNo: number; lastNo: number }[]> {
    const ended = await db.query<{ id: string; first_no: number; last_no: number; prev: string | null }>(
      `WITH target AS (
         SELECT id, to_char(disposed_on, 'YYYY-MM-DD') AS prev FROM share_register
          WHERE company_id = $1 AND holder_id = $2 AND acquired_on < $3 AND (disposed_on IS NULL OR disposed_on > $3)
          FOR UPDATE)
       UPDATE share_register s SET disposed_on = $3 FROM target WHERE s.id = target.id
       RETURNING s.id, s.first_no, s.last_no, target.prev`,
      [m.companyId, m.partyId, m.effectiveDate],
    );
    const ranges = [...ended.rows].sort((a, b) => a.first_no - b.first_no);
    for (const x of ranges) {
      const step = `shareholding:${m.companyId}:${x.first_no}-${x.last_no}`;
      await db.query(
        `INSERT INTO share_register (company_id, holder_id, first_no, last_no, acquired_on, source_workflow_id, source_step)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [m.companyId, m.to, x.first_no, x.last_no, m.effectiveDate, m.workflowId, step],
      );
      await db.query(
        `INSERT INTO consolidation_transfers (workflow_id, step, party_id, kind, ref, outcome, ended_row_id, ended_valid_to)
         VALUES ($1, $2, $3, 'shareholding', $4, 'transferred', $5, $6)`,
        [m.workflowId, step, m.partyId, `${m.companyId}:${x.first_no}-${x.last_no}`, Number(x.id), x.prev],
      );
    }
    return ranges.map((x) => ({ firstNo: x.first_no, lastNo: x.last_no }));
  }

  /** The ranges already moved out of `companyId` by this workflow (a retry returns these). */
  async movedShareholdings(db: Queryable, workflowId: string, companyId: string): Promise<{ firstNo: number; lastNo: number }[]> {
    const r = await db.query<{ ref: string }>(
      `SELECT ref FROM consolidation_transfers WHERE workflow_id = $1 AND kind = 'shareholding' AND step LIKE $2 ORDER BY seq`,
      [workflowId, `shareholding:${companyId}:%`],
    );
    return r.rows.map((x) => {
      const [first, last] = (x.ref.split(':')[1] ?? '').split('-').map(Number);
      return { firstNo: first ?? 0, lastNo: last ?? 0 };
    });
  }

  /** Logs an item that stays with its party (e.g. a project whose funder refused consent). */
  async keepHolding(db: Queryable, k: { workflowId: string; step: string; partyId: string; kind: HoldingKind; ref: string }): Promise<void> {
    await db.query(
      `INSERT INTO consolidation_transfers (workflow_id, step, party_id, kind, ref, outcome)
       VALUES ($1, $2, $3, $4, $5, 'kept') ON CONFLICT (workflow_id, step) DO NOTHING`,
      [k.workflowId, k.step, k.partyId, k.kind, k.ref],
    );
  }

  /** Every logged move of a workflow, in the order it happened. */
  async transfers(db: Queryable, workflowId: string): Promise<TransferRow[]> {
    const r = await db.query(
      `SELECT seq, step, party_id, kind, ref, outcome, undone_at FROM consolidation_transfers WHERE workflow_id = $1 ORDER BY seq`,
      [workflowId],
    );
    return r.rows.map(toTransfer);
  }

  /**
   * What a consolidation had moved by a moment, per party and kind (a move undone by then does not
   * count): the registry side of its state at that time, for auditors.
   */
  async transfersAt(db: Queryable, workflowId: string, at: Date): Promise<{ partyId: string; kind: TransferKind; transferred: number; kept: number }[]> {
    const r = await db.query(
      `SELECT party_id, kind, count(*) FILTER (WHERE outcome = 'transferred')::int AS transferred,
              count(*) FILTER (WHERE outcome = 'kept')::int AS kept
         FROM consolidation_transfers
        WHERE workflow_id = $1 AND recorded_at <= $2 AND (undone_at IS NULL OR undone_at > $2)
        GROUP BY party_id, kind ORDER BY party_id, kind`,
      [workflowId, at],
    );
    return r.rows.map((x) => ({ partyId: x.party_id, kind: x.kind, transferred: x.transferred, kept: x.kept }));
  }

  /** Undoes one move exactly: the receiver's row goes, the party's row gets its old valid_to back. False when already undone. */
  async undoMove(db: Queryable, workflowId: string, step: string): Promise<boolean> {
    const r = await db.query<{ ended_row_id: string | null; ended_valid_to: string | null; outcome: string; kind: TransferKind }>(
      `UPDATE consolidation_transfers SET undone_at = now()
        WHERE workflow_id = $1 AND step = $2 AND undone_at IS NULL
        RETURNING ended_row_id, to_char(ended_valid_to, 'YYYY-MM-DD') AS ended_valid_to, outcome, kind`,
      [workflowId, step],
    );
    const row = r.rows[0];
    if (!row) return false;
    if (row.outcome === 'transferred' && row.kind === 'shareholding') {
      await db.query('DELETE FROM share_register WHERE source_workflow_id = $1 AND source_step = $2', [workflowId, step]);
      if (row.ended_row_id !== null) {
        await db.query('UPDATE share_register SET disposed_on = $2 WHERE id = $1', [row.ended_row_id, row.ended_valid_to]);
      }
    } else if (row.outcome === 'transferred') {
      await db.query('DELETE FROM centre_holdings WHERE source_workflow_id = $1 AND source_step = $2', [workflowId, step]);
      if (row.ended_row_id !== null) {
        await db.query('UPDATE centre_holdings SET valid_to = $2 WHERE id = $1', [row.ended_row_id, row.ended_valid_to]);
      }
    }
    return true;
  }
}

function toTransfer(x: Record<string, unknown>): TransferRow {
  return {
    seq: Number(x.seq), step: String(x.step), partyId: String(x.party_id), kind: x.kind as HoldingKind, ref: String(x.ref),
    outcome: x.outcome as TransferRow['outcome'], undone: x.undone_at !== null,
  };
}
