import type { Pool } from 'pg';
import { TokenRepository } from '../../libs/db/repositories/token.repository';

/**
 * An id far above any the fuzzer tries for `POST /api/tokens/{id}/revoke`: it sends small numbers and the
 * bounds of the documented range, and a revoked fuzz token would turn the rest of the run into 401s.
 */
const FUZZ_TOKEN_ID = 1_234_567_890;

/** The admin token a fuzz run sends; created in the run's own throwaway database only. */
export async function createFuzzToken(pool: Pool): Promise<string> {
  await pool.query('SELECT setval(pg_get_serial_sequence($1, $2), $3, false)', ['api_tokens', 'id', FUZZ_TOKEN_ID]);
  return (await new TokenRepository().create(pool, { name: 'fuzz-admin', role: 'admin' })).token;
}
