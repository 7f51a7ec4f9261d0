import type { Pool } from 'pg';
import { TokenRepository } from '../../libs/db/repositories/token.repository';
import { KYMENLAAKSO_WELLBEING_COUNTY_BUSINESS_ID, SOCOM_BUSINESS_ID } from '../seed/demo-data';
import { DEMO_SHARE_PRICE_CENTS } from '../seed/seed';
import { businessIdCheckDigit } from '../../libs/domain/business-id';

/**
 * An id far above any the fuzzer tries for `POST /api/tokens/{id}/revoke`: it sends small numbers and the
 * bounds of the documented range, and a revoked fuzz token would turn the rest of the run into 401s.
 */
const FUZZ_TOKEN_ID = 1_234_567_890;

/** What a fuzz run needs besides the document: tokens, and real ids so requests get past the 404s. */
export type FuzzData = {
  adminToken: string;
  /** For the auditor-only operations (verify, replay), which answer an admin 403. */
  auditorToken: string;
  workflowIds: string[];
  businessIds: string[];
  projectCodes: string[];
};

/**
 * Tokens and a running workflow in the run's own throwaway database (a seeded one: the demo registry
 * and projects), and the ids the fuzzer mixes into what it generates.
 */
export async function prepareFuzzData(pool: Pool, baseUrl: string): Promise<FuzzData> {
  await pool.query('SELECT setval(pg_get_serial_sequence($1, $2), $3, false)', ['api_tokens', 'id', FUZZ_TOKEN_ID]);
  const tokens = new TokenRepository();
  const adminToken = (await tokens.create(pool, { name: 'fuzz-admin', role: 'admin' })).token;
  const auditorToken = (await tokens.create(pool, { name: 'fuzz-auditor', role: 'auditor' })).token;
  // A running onboarding, so decisions, events, cancels and the audit reads meet a real workflow.
  const launch = await fetch(`${baseUrl}/api/workflows/onboarding`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      company: SOCOM_BUSINESS_ID,
      // An applicant of its own: the business key is the workflow id, and the tests share a namespace.
      applicant: { name: 'Sumeistettu ry', businessId: unusedBusinessId(), kind: 'association' },
      shares: 20,
      pricePerShareCents: DEMO_SHARE_PRICE_CENTS,
    }),
  });
  if (launch.status !== 201) throw new Error(`the fuzz run's onboarding was not launched: ${launch.status} ${await launch.text()}`);
  const { workflowId } = (await launch.json()) as { workflowId: string };
  const column = async (sql: string) => (await pool.query<{ v: string }>(sql)).rows.map((r) => r.v);
  const projectRuns = await column('SELECT workflow_id AS v FROM projects ORDER BY start_date LIMIT 5');
  return {
    adminToken,
    auditorToken,
    workflowIds: [workflowId, ...projectRuns],
    businessIds: [SOCOM_BUSINESS_ID, KYMENLAAKSO_WELLBEING_COUNTY_BUSINESS_ID, ...await column('SELECT business_id AS v FROM organisations ORDER BY business_id LIMIT 10')],
    projectCodes: await column('SELECT DISTINCT eura_code AS v FROM projects WHERE eura_code IS NOT NULL'),
  };
}

/** A valid business ID in 6xxxxxx, which no demo organisation (9xxxxxx) or test applicant (7/8xxxxxx) uses. */
function unusedBusinessId(): string {
  for (;;) {
    const digits = String(6_000_000 + Math.floor(Math.random() * 1_000_000));
    const check = businessIdCheckDigit(digits);
    if (check !== null) return `${digits}-${check}`;
  }
}
