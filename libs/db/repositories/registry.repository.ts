import type { GoverningBody } from '../../domain/registry-names';
import type { Queryable } from '../pool';

export type { GoverningBody };

export type OrganisationRow = {
  businessId: string;
  name: string;
  /** The name in Swedish, where the organisation has one (bilingual municipalities, state authorities). */
  nameSv: string | null;
  kind: string;
  region: string | null;
  population: number | null;
  areaKm2: number | null;
  validFrom: string;
  validTo: string | null;
  mergedInto: string | null;
};

export type HoldingRow = { holderId: string; holderName: string; firstNo: number; lastNo: number; acquiredOn: string };

export type NewOrganisation = {
  businessId: string;
  name: string;
  nameSv?: string | null;
  kind: string;
  region?: string | null;
  population?: number | null;
  areaKm2?: number | null;
  validFrom: string;
  validTo?: string | null;
  mergedInto?: string | null;
};

const ORG_COLUMNS = `business_id, name, name_sv, kind, region, population, area_km2, to_char(valid_from, 'YYYY-MM-DD') AS valid_from,
  to_char(valid_to, 'YYYY-MM-DD') AS valid_to, merged_into`;

/** Organisations, companies and the share register: the only SQL for them. */
export class RegistryRepository {
  async organisation(db: Queryable, businessId: string): Promise<OrganisationRow | null> {
    const r = await db.query(`SELECT ${ORG_COLUMNS} FROM organisations WHERE business_id = $1`, [businessId]);
    return r.rows[0] ? toOrganisation(r.rows[0]) : null;
  }

  /** The organisations among these business IDs that the registry has (any validity). */
  async organisationsByIds(db: Queryable, businessIds: readonly string[]): Promise<OrganisationRow[]> {
    const r = await db.query(`SELECT ${ORG_COLUMNS} FROM organisations WHERE business_id = ANY($1::text[]) ORDER BY business_id`, [businessIds]);
    return r.rows.map(toOrganisation);
  }

  async organisations(
    db: Queryable,
    filter: { kind?: string; region?: string; at?: string; limit: number; after?: string },
  ): Promise<OrganisationRow[]> {
    const r = await db.query(
      `SELECT ${ORG_COLUMNS} FROM organisations
        WHERE ($1::text IS NULL OR kind = $1) AND ($2::text IS NULL OR region = $2)
          AND ($3::date IS NULL OR (valid_from <= $3 AND (valid_to IS NULL OR valid_to >= $3)))
          AND ($4::text IS NULL OR business_id > $4)
        ORDER BY business_id LIMIT $5`,
      [filter.kind ?? null, filter.region ?? null, filter.at ?? null, filter.after ?? null, filter.limit],
    );
    return r.rows.map(toOrganisation);
  }

  async upsertOrganisation(db: Queryable, o: NewOrganisation): Promise<void> {
    await db.query(
      `INSERT INTO organisations (business_id, name, kind, region, population, area_km2, valid_from, valid_to, merged_into, name_sv)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (business_id) DO NOTHING`,
      [o.businessId, o.name, o.kind, o.region ?? null, o.population ?? null, o.areaKm2 ?? null, o.validFrom,
        o.validTo ?? null, o.mergedInto ?? null, o.nameSv ?? null],
    );
  }

  /** Records Swedish names for the organisations with these Finnish names; answers how many rows were named. */
  async setSwedishNames(db: Queryable, byFinnishName: Readonly<Record<string, string>>): Promise<number> {
    const r = await db.query(
      `UPDATE organisations o SET name_sv = v.sv FROM unnest($1::text[], $2::text[]) AS v(fi, sv) WHERE o.name = v.fi`,
      [Object.keys(byFinnishName), Object.values(byFinnishName)],
    );
    return r.rowCount ?? 0;
  }

  /** Records (or renames) an organisation's deciding body. */
  async upsertBody(db: Queryable, b: GoverningBody): Promise<void> {
    await db.query(
      `INSERT INTO governing_bodies (organisation_id, body_key, name, name_sv, name_en) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (organisation_id, body_key) DO UPDATE SET name = EXCLUDED.name, name_sv = EXCLUDED.name_sv, name_en = EXCLUDED.name_en`,
      [b.organisationId, b.bodyKey, b.name, b.nameSv, b.nameEn],
    );
  }

  /** The deciding bodies of these organisations that the registry names. */
  async bodiesOf(db: Queryable, organisationIds: readonly string[]): Promise<GoverningBody[]> {
    const r = await db.query<{ organisation_id: string; body_key: string; name: string; name_sv: string | null; name_en: string | null }>(
      `SELECT organisation_id, body_key, name, name_sv, name_en FROM governing_bodies WHERE organisation_id = ANY($1::text[])
        ORDER BY organisation_id, body_key`,
      [organisationIds],
    );
    return r.rows.map((x) => ({ organisationId: x.organisation_id, bodyKey: x.body_key, name: x.name, nameSv: x.name_sv, nameEn: x.name_en }));
  }

  /** Ends an organisation on `validTo` (never later than it already ends); one ending that day without an edge gets it. */
  async endOrganisation(db: Queryable, businessId: string, validTo: string, mergedInto: string | null): Promise<void> {
    await db.query(
      `UPDATE organisations SET valid_to = $2, merged_into = COALESCE($3, merged_into)
        WHERE business_id = $1 AND (valid_to IS NULL OR valid_to > $2 OR (valid_to = $2 AND merged_into IS NULL))`,
      [businessId, validTo, mergedInto],
    );
  }

  async ensureCompany(db: Queryable, businessId: string, sharePriceCents = 0): Promise<void> {
    await db.query(
      `INSERT INTO companies (business_id, share_price_cents) VALUES ($1, $2) ON CONFLICT (business_id) DO NOTHING`,
      [businessId, sharePriceCents],
    );
  }

  async company(db: Queryable, businessId: string, forUpdate = false): Promise<{ sharesIssued: number } | null> {
    const r = await db.query<{ shares_issued: number }>(
      `SELECT shares_issued FROM companies WHERE business_id = $1 ${forUpdate ? 'FOR UPDATE' : ''}`,
      [businessId],
    );
    return r.rows[0] ? { sharesIssued: r.rows[0].shares_issued } : null;
  }

  /** Holdings in force on `at` (a date), ordered by share number. */
  async holdings(db: Queryable, companyId: string, at: string): Promise<HoldingRow[]> {
    const r = await db.query(
      `SELECT s.holder_id, o.name AS holder_name, s.first_no, s.last_no, to_char(s.acquired_on, 'YYYY-MM-DD') AS acquired_on
         FROM share_register s JOIN organisations o ON o.business_id = s.holder_id
        WHERE s.company_id = $1 AND s.acquired_on <= $2 AND (s.disposed_on IS NULL OR s.disposed_on > $2)
        ORDER BY s.first_no`,
      [companyId, at],
    );
    return r.rows.map((x) => ({
      holderId: x.holder_id, holderName: x.holder_name, firstNo: x.first_no, lastNo: x.last_no, acquiredOn: x.acquired_on,
    }));
  }

  async holdsShares(db: Queryable, companyId: string, holderId: string, at: string): Promise<boolean> {
    const r = await db.query(
      `SELECT 1 FROM share_register WHERE company_id = $1 AND holder_id = $2 AND acquired_on <= $3
          AND (disposed_on IS NULL OR disposed_on > $3) LIMIT 1`,
      [companyId, holderId, at],
    );
    return (r.rowCount ?? 0) > 0;
  }

  /** How many shares of `companyId` the holder acquires on or after `from` (still held then or later). */
  async holdingsAcquiredFrom(db: Queryable, companyId: string, holderId: string, from: string): Promise<number> {
    const r = await db.query<{ n: string }>(
      `SELECT COALESCE(sum(last_no - first_no + 1), 0) AS n FROM share_register
        WHERE company_id = $1 AND holder_id = $2 AND acquired_on >= $3`,
      [companyId, holderId, from],
    );
    return Number(r.rows[0]?.n ?? 0);
  }

  async stepRanges(db: Queryable, workflowId: string, step: string): Promise<{ holderId: string; firstNo: number; lastNo: number }[]> {
    const r = await db.query(
      `SELECT holder_id, first_no, last_no FROM share_register WHERE source_workflow_id = $1 AND source_step = $2 ORDER BY first_no`,
      [workflowId, step],
    );
    return r.rows.map((x) => ({ holderId: x.holder_id, firstNo: x.first_no, lastNo: x.last_no }));
  }

  /** Register rows a workflow had written by `recordedBy`, with the period each was held. */
  async rowsWrittenBy(db: Queryable, workflowId: string, recordedBy: Date): Promise<
    { companyId: string; holderId: string; firstNo: number; lastNo: number; acquiredOn: string; disposedOn: string | null }[]
  > {
    const r = await db.query(
      `SELECT company_id, holder_id, first_no, last_no, to_char(acquired_on, 'YYYY-MM-DD') AS acquired_on,
              to_char(disposed_on, 'YYYY-MM-DD') AS disposed_on
         FROM share_register WHERE source_workflow_id = $1 AND recorded_at <= $2 ORDER BY first_no`,
      [workflowId, recordedBy],
    );
    return r.rows.map((x) => ({
      companyId: x.company_id, holderId: x.holder_id, firstNo: x.first_no, lastNo: x.last_no, acquiredOn: x.acquired_on, disposedOn: x.disposed_on,
    }));
  }

  async insertHolding(
    db: Queryable,
    h: { companyId: string; holderId: string; firstNo: number; lastNo: number; acquiredOn: string; workflowId: string; step: string },
  ): Promise<void> {
    await db.query(
      `INSERT INTO share_register (company_id, holder_id, first_no, last_no, acquired_on, source_workflow_id, source_step)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [h.companyId, h.holderId, h.firstNo, h.lastNo, h.acquiredOn, h.workflowId, h.step],
    );
  }

  /** Ends every holding of `holderId` in force on `on`; returns the ranges it held. */
  async disposeHoldings(db: Queryable, companyId: string, holderId: string, on: string): Promise<{ firstNo: number; lastNo: number }[]> {
    const r = await db.query(
      `UPDATE share_register SET disposed_on = $3
        WHERE company_id = $1 AND holder_id = $2 AND acquired_on < $3 AND (disposed_on IS NULL OR disposed_on > $3)
        RETURNING first_no, last_no`,
      [companyId, holderId, on],
    );
    return r.rows.map((x) => ({ firstNo: x.first_no, lastNo: x.last_no })).sort((a, b) => a.firstNo - b.firstNo);
  }

  async setSharesIssued(db: Queryable, companyId: string, sharesIssued: number): Promise<void> {
    await db.query('UPDATE companies SET shares_issued = $2 WHERE business_id = $1', [companyId, sharesIssued]);
  }

  async reserve(db: Queryable, r: { workflowId: string; companyId: string; applicantId: string; shares: number }): Promise<void> {
    await db.query(
      `INSERT INTO share_reservations (workflow_id, company_id, applicant_id, shares, status)
       VALUES ($1, $2, $3, $4, 'reserved') ON CONFLICT (workflow_id) DO NOTHING`,
      [r.workflowId, r.companyId, r.applicantId, r.shares],
    );
  }

  async closeReservation(db: Queryable, workflowId: string, status: 'released' | 'registered'): Promise<void> {
    await db.query(
      `UPDATE share_reservations SET status = $2, closed_at = now() WHERE workflow_id = $1 AND status = 'reserved'`,
      [workflowId, status],
    );
  }

  async reservedShares(db: Queryable, companyId: string): Promise<number> {
    const r = await db.query<{ n: string }>(
      `SELECT COALESCE(sum(shares), 0) AS n FROM share_reservations WHERE company_id = $1 AND status = 'reserved'`,
      [companyId],
    );
    return Number(r.rows[0]?.n ?? 0);
  }

  async notify(
    db: Queryable,
    n: { workflowId: string; stepKey: string; recipients: string[]; subject: string; body: string },
  ): Promise<number> {
    if (n.recipients.length === 0) return 0;
    const r = await db.query(
      `INSERT INTO notifications (workflow_id, step_key, recipient_id, subject, body)
       SELECT $1, $2, unnest($3::text[]), $4, $5 ON CONFLICT DO NOTHING`,
      [n.workflowId, n.stepKey, n.recipients, n.subject, n.body],
    );
    return r.rowCount ?? 0;
  }
}

function toOrganisation(r: Record<string, unknown>): OrganisationRow {
  return {
    businessId: String(r.business_id),
    name: String(r.name),
    nameSv: (r.name_sv as string | null) ?? null,
    kind: String(r.kind),
    region: (r.region as string | null) ?? null,
    population: r.population === null ? null : Number(r.population),
    areaKm2: r.area_km2 === null ? null : Number(r.area_km2),
    validFrom: String(r.valid_from),
    validTo: (r.valid_to as string | null) ?? null,
    mergedInto: (r.merged_into as string | null) ?? null,
  };
}
