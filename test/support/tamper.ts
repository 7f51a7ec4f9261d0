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

/** One character changed (the last one moved to its neighbour), so the text differs in exactly one byte. */
export function oneByte(s: string): string {
  const last = s.charCodeAt(s.length - 1);
  return s.slice(0, -1) + String.fromCharCode(last === 0x7a ? 0x79 : last + 1);
}

/** Saves the audit tables as they are and puts them back (triggers off), so one test's tampering ends with it. */
export async function snapshotAudit(pool: Pool): Promise<() => Promise<void>> {
  const tables = ['audit_personal', 'audit_log_leaves', 'audit_events', 'audit_chain_heads', 'audit_log_positions', 'audit_checkpoints', 'audit_verifications'];
  const saved = new Map<string, Record<string, unknown>[]>();
  for (const t of tables) saved.set(t, (await pool.query(`SELECT * FROM ${t}`)).rows as Record<string, unknown>[]);
  return async () => {
    const client = await pool.connect();
    try {
      await client.query('SET session_replication_role = replica');
      for (const t of tables) await client.query(`DELETE FROM ${t}`);
      for (const t of [...tables].reverse()) {
        for (const row of saved.get(t)!) {
          const cols = Object.keys(row);
          const values = cols.map((c) => (row[c] !== null && typeof row[c] === 'object' && !(row[c] instanceof Date) ? JSON.stringify(row[c]) : row[c]));
          await client.query(`INSERT INTO ${t} (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`, values);
        }
      }
    } finally {
      await client.query('RESET session_replication_role').catch(() => undefined);
      client.release();
    }
  };
}

/**
 * An insider's rewrite of a chain's tail from position `from` on: the rows replaced by others with the
 * same keys and new content, linked and hashed by the public formulas, and the chain head moved along,
 * so the chain on its own verifies. Only the Merkle log and the signed checkpoints can expose it.
 */
export async function rewriteTail(
  pool: Pool, chainId: string, from: number, change: (payload: Record<string, unknown>) => Record<string, unknown>,
  hash: (prevHash: string, row: Record<string, unknown>) => string,
): Promise<void> {
  const rows = (await pool.query('SELECT * FROM audit_events WHERE chain_id = $1 AND chain_seq >= $2 ORDER BY chain_seq', [chainId, from])).rows as Record<string, unknown>[];
  let prev = from === 1 ? '0'.repeat(64)
    : String((await pool.query('SELECT hash FROM audit_events WHERE chain_id = $1 AND chain_seq = $2', [chainId, from - 1])).rows[0].hash);
  for (const row of rows) {
    const payload = change(row.payload as Record<string, unknown>);
    const h = hash(prev, { ...row, payload });
    await tamper(pool, 'UPDATE audit_events SET payload = $2, prev_hash = $3, hash = $4 WHERE seq = $1', [row.seq, payload, prev, h]);
    prev = h;
  }
  await tamper(pool, 'UPDATE audit_chain_heads SET hash = $2 WHERE chain_id = $1', [chainId, prev]);
}
