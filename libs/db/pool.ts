import { Pool, type PoolClient } from 'pg';

export type Db = Pool;

export function createPool(databaseUrl: string, max = 10): Pool {
  const pool = new Pool({ connectionString: databaseUrl, max, application_name: 'fuusio' });
  // An idle client that loses its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  return pool;
}

/** Runs `work` in one transaction; rolls back on any error and rethrows it. */
export function withTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  return inTransaction(pool, 'BEGIN', work);
}

/**
 * Runs `work` in one REPEATABLE READ transaction: every statement sees the same snapshot, so a reader
 * that pages through rows others are appending to never sees a later row without the earlier ones.
 */
export function withSnapshot<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  return inTransaction(pool, 'BEGIN ISOLATION LEVEL REPEATABLE READ', work);
}

/** Anything that can run a parameterised query: the pool, or a client inside a transaction. */
export type Queryable = Pick<PoolClient, 'query'>;

async function inTransaction<T>(pool: Pool, begin: string, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // A connection lost between two statements (a database restart) is emitted as an 'error' event on the
  // checked-out client, which would crash the process; the next statement fails and rolls back instead.
  let lost: Error | undefined;
  const onError = (err: Error) => { lost = err; };
  client.on('error', onError);
  try {
    await client.query(begin);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.off('error', onError);
    // A client whose connection broke is destroyed, not returned to the pool.
    client.release(lost);
  }
}
