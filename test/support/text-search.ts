import type { Queryable } from '../../libs/db/pool';

/**
 * The tables that hold a text anywhere: each text, character, JSON and array column of each table is
 * searched, as the catalogue lists them (so a table a later migration adds is searched too). For tests
 * of erasure: after one, the erased text must be in no table.
 */
export async function tablesContaining(db: Queryable, text: string): Promise<string[]> {
  const columns = await db.query<{ table_name: string; column_name: string }>(
    `SELECT c.table_name, c.column_name FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
        AND c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY')
      ORDER BY c.table_name, c.column_name`,
  );
  const tables = new Set(columns.rows.map((c) => c.table_name));
  // A catalogue query that found nothing would make every search pass.
  for (const table of ['audit_events', 'audit_personal', 'inbound_events', 'people', 'outbox']) {
    if (!tables.has(table)) throw new Error(`the catalogue lists no text column of ${table}`);
  }
  const found = new Set<string>();
  for (const { table_name: table, column_name: column } of columns.rows) {
    const sql = `SELECT EXISTS (SELECT 1 FROM ${quoteIdent(table)} WHERE ${quoteIdent(column)}::text LIKE $1) AS hit`;
    if ((await db.query<{ hit: boolean }>(sql, [`%${escapeLike(text)}%`])).rows[0]!.hit) found.add(table);
  }
  return [...found].sort();
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
