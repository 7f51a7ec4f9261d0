import type { OrganisationAuthors, RegistryState, WorkflowRef } from '../../domain/registry-diff';
import type { Queryable } from '../pool';

const DATE = (col: string, as = col) => `to_char(${col}, 'YYYY-MM-DD') AS ${as}`;

/** The registry as it stood on a day, and who wrote it: the SQL behind the registry diff. */
export class RegistryHistoryRepository {
  /** Organisations, service areas, centre holdings and share-register rows in force on `day` (a Helsinki date). */
  async stateOn(db: Queryable, day: string): Promise<RegistryState> {
    const [orgs, areas, holdings, shares] = await Promise.all([
      db.query(
        `SELECT business_id, name, kind, region, ${DATE('valid_from')}, ${DATE('valid_to')}, merged_into FROM organisations
          WHERE valid_from <= $1 AND (valid_to IS NULL OR valid_to >= $1) ORDER BY business_id`,
        [day],
      ),
      db.query(
        `SELECT centre_id, municipality_id, ${DATE('valid_from')}, ${DATE('valid_to')}, source_workflow_id FROM service_areas
          WHERE valid_from <= $1 AND (valid_to IS NULL OR valid_to >= $1) ORDER BY centre_id, municipality_id`,
        [day],
      ),
      db.query(
        `SELECT kind, ref, organisation_id, counterparty_id, ${DATE('valid_from')}, ${DATE('valid_to')}, source_workflow_id, source_step
           FROM centre_holdings WHERE valid_from <= $1 AND (valid_to IS NULL OR valid_to >= $1) ORDER BY kind, ref`,
        [day],
      ),
      db.query(
        `SELECT company_id, holder_id, first_no, last_no, ${DATE('acquired_on')}, ${DATE('disposed_on')}, source_workflow_id, source_step
           FROM share_register WHERE acquired_on <= $1 AND (disposed_on IS NULL OR disposed_on > $1) ORDER BY company_id, first_no`,
        [day],
      ),
    ]);
    return {
      organisations: orgs.rows.map((x) => ({
        businessId: x.business_id, name: x.name, kind: x.kind, region: x.region, validFrom: x.valid_from, validTo: x.valid_to, mergedInto: x.merged_into,
      })),
      serviceAreas: areas.rows.map((x) => ({
        centreId: x.centre_id, municipalityId: x.municipality_id, validFrom: x.valid_from, validTo: x.valid_to, sourceWorkflowId: x.source_workflow_id,
      })),
      holdings: holdings.rows.map((x) => ({
        kind: x.kind, ref: x.ref, organisationId: x.organisation_id, counterpartyId: x.counterparty_id, validFrom: x.valid_from,
        validTo: x.valid_to, sourceWorkflowId: x.source_workflow_id, sourceStep: x.source_step,
      })),
      shareRegister: shares.rows.map((x) => ({
        companyId: x.company_id, holderId: x.holder_id, firstNo: x.first_no, lastNo: x.last_no, acquiredOn: x.acquired_on,
        disposedOn: x.disposed_on, sourceWorkflowId: x.source_workflow_id, sourceStep: x.source_step,
      })),
    };
  }

  /**
   * The workflows named, with the decisions their approvals recorded (approved ones, oldest first) and
   * whether each was imported. A workflow with no projection row (gone) is left out.
   */
  async workflows(db: Queryable, ids: readonly string[]): Promise<(WorkflowRef & { organisations: string[] })[]> {
    if (ids.length === 0) return [];
    const runs = await db.query(
      `SELECT workflow_id, kind, title, imported, organisations FROM process_runs WHERE workflow_id = ANY($1) ORDER BY workflow_id`,
      [ids],
    );
    const decisions = await db.query(
      `SELECT workflow_id, gate, party, body, decided_at, reference FROM approvals
        WHERE workflow_id = ANY($1) AND status = 'approved' AND decided_at IS NOT NULL ORDER BY decided_at, gate, party`,
      [ids],
    );
    return runs.rows.map((r) => ({
      workflowId: r.workflow_id, kind: r.kind, title: r.title, imported: r.imported === true, organisations: r.organisations,
      decisions: decisions.rows.filter((d) => d.workflow_id === r.workflow_id).map((d) => ({
        gate: d.gate, party: d.party, body: d.body, decidedAt: (d.decided_at as Date).toISOString(), reference: d.reference ?? null,
      })),
    }));
  }

  /** The receiving centre of each consolidation not undone, with its effective date. */
  async receivers(db: Queryable): Promise<OrganisationAuthors['receivers']> {
    const r = await db.query<{ centre_id: string; workflow_id: string; created_centre: boolean; effective_date: string }>(
      `SELECT centre_id, workflow_id, created_centre, ${DATE('effective_date')} FROM consolidation_receiving WHERE undone_at IS NULL`,
    );
    return r.rows.map((x) => ({ centreId: x.centre_id, workflowId: x.workflow_id, createdCentre: x.created_centre, effectiveDate: x.effective_date }));
  }
}
