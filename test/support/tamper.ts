import type { Pool } from 'pg';

/**
 * Runs SQL as the database superuser with triggers switched off: the way an insider could rewrite the
 * append-only audit trail, which the hash chain must still expose.
 */
export async function tamper(pool: Pool, sql: string, params: unknown[] = []): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SET session_replication_role = replica');
    await client.query(sql, params);
  } finally {
    await client.query('RESET session_replication_role').catch(() => undefined);
    client.release();
  }
}
