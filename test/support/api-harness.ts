import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AddressInfo } from 'node:net';
import { createApiApp } from '../../apps/api/create-app';
import type { ApiLogOptions } from '../../apps/api/logging';
import type { RateLimitOptions } from '../../apps/api/common/rate-limit';
import { TokenRepository, type Role } from '../../libs/db/repositories/token.repository';
import type { TestDatabase, TestTemporal } from './harness';
import { testEnv } from './test-env';

export type ApiResponse<T = any> = { status: number; body: T };

export type TestApi = {
  app: NestExpressApplication;
  baseUrl: string;
  request<T = any>(method: string, path: string, opts?: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> }): Promise<ApiResponse<T>>;
  token(role: Role, organisation?: string | null): Promise<string>;
  close(): Promise<void>;
};

/** The real API application on an ephemeral port, configured for a test database and namespace. */
/** `log` sends the request log to a stream of the test's own (at `info` unless it says otherwise). */
export async function startApi(db: TestDatabase, temporal: TestTemporal, opts: { log?: ApiLogOptions; rateLimit?: RateLimitOptions } = {}): Promise<TestApi> {
  process.env.DATABASE_URL = db.url;
  process.env.TEMPORAL_ADDRESS = temporal.address;
  process.env.TEMPORAL_NAMESPACE = temporal.namespace;
  process.env.TEMPORAL_TASK_QUEUE = temporal.taskQueue;
  process.env.LOG_LEVEL = process.env.TEST_LOG_LEVEL ?? 'silent';
  // The API's replay takes the workflow code the global setup bundled once, as the worker does, instead of
  // bundling again in the request (seconds, and past a client's timeout on a loaded machine).
  process.env.FUUSIO_WORKFLOW_BUNDLE ??= testEnv('bundle');
  // Checkpoints only when a test asks for one (POST /api/audit/checkpoints), never on a clock.
  process.env.AUDIT_CHECKPOINT_SECONDS = '0';
  const app = await createApiApp({ log: opts.log ? { level: 'info', ...opts.log } : undefined, rateLimit: opts.rateLimit });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const tokens = new TokenRepository();
  let n = 0;
  return {
    app,
    baseUrl,
    async request(method, path, opts = {}) {
      const headers: Record<string, string> = { ...(opts.headers ?? {}) };
      if (opts.token) headers.authorization = `Bearer ${opts.token}`;
      let body: string | undefined;
      if (opts.raw !== undefined) body = opts.raw;
      else if (opts.body !== undefined) body = JSON.stringify(opts.body);
      if (body !== undefined) headers['content-type'] ??= 'application/json';
      const res = await fetch(`${baseUrl}${path}`, { method, headers, body });
      const text = await res.text();
      let parsed: unknown = text;
      try { parsed = JSON.parse(text); } catch { /* not JSON: keep the text */ }
      return { status: res.status, body: parsed as any };
    },
    async token(role, organisation = null) {
      n += 1;
      return (await tokens.create(db.pool, { name: `test-${role}-${n}`, role, organisation })).token;
    },
    close: () => app.close(),
  };
}
