import type { Browser } from 'playwright-core';
import { SOCOM_BUSINESS_ID, THL_BUSINESS_ID } from '../infra/seed/demo-data';
import { seedDemoData } from '../infra/seed/seed';
import { startApi, type TestApi } from './support/api-harness';
import { artefactPath, ensureDashboardBuilt, launchChromium } from './support/browser';
import { connectTemporal, createTestDatabase, eventually, startWorker, type RunningWorker, type TestDatabase, type TestTemporal } from './support/harness';
import { freshBusinessId } from './support/onboarding-fixtures';

let db: TestDatabase;
let temporal: TestTemporal;
let worker: RunningWorker;
let api: TestApi;
let admin: string;
let manager: string;

beforeAll(async () => {
  // The API serves apps/web/dist at `/` only when it exists when the app is created.
  ensureDashboardBuilt();
  db = await createTestDatabase();
  await seedDemoData(db.pool);
  temporal = await connectTemporal();
  worker = await startWorker(temporal, db.pool);
  api = await startApi(db, temporal);
  [admin, manager] = await Promise.all([api.token('admin'), api.token('manager')]);
}, 180_000);

afterAll(async () => {
  await api?.close();
  await worker?.stop();
  await temporal?.close();
  await db?.drop();
});

function application() {
  return {
    company: SOCOM_BUSINESS_ID,
    applicant: { name: `Uusi yhdistys ${freshBusinessId().slice(3, 7)} ry`, businessId: freshBusinessId(), kind: 'association' },
    shares: 4,
    pricePerShareCents: 250_00,
  };
}

async function launch(): Promise<string> {
  const r = await api.request('POST', '/api/workflows/onboarding', { token: admin, body: application() });
  expect(r.status).toBe(201);
  return r.body.workflowId as string;
}

async function waitForStage(id: string, stage: string) {
  return eventually(async () => {
    const r = await api.request('GET', `/api/workflows/${encodeURIComponent(id)}`, { token: manager });
    return r.status === 200 && r.body.stage === stage ? r.body : undefined;
  }, 20_000, `${id} at ${stage}`);
}

type SseEvent = { event: string; data: any };

/** Reads /api/stream with fetch, the way a non-browser client would, and collects its events. */
async function openStream(opts: { token?: string; query?: string }) {
  const ctrl = new AbortController();
  const headers: Record<string, string> = opts.token ? { authorization: `Bearer ${opts.token}` } : {};
  const res = await fetch(`${api.baseUrl}/api/stream${opts.query ?? ''}`, { headers, signal: ctrl.signal });
  const events: SseEvent[] = [];
  const pump = (async () => {
    if (!res.ok || !res.body) return;
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buf = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buf += decoder.decode(value, { stream: true });
        for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          if (data.length) events.push({ event, data: JSON.parse(data.join('\n')) });
        }
      }
    } catch { /* aborted */ }
  })();
  return {
    res,
    events,
    progressFor: (id: string) => events.filter((e) => e.event === 'progress' && e.data.workflowId === id),
    async close() {
      ctrl.abort();
      await pump;
    },
  };
}

describe('GET /api/stream (Server-Sent Events from LISTEN/NOTIFY)', () => {
  test('401 without a token; a manager, and a token scoped to a party, hear of progress; another organisation does not', async () => {
    const anonymous = await fetch(`${api.baseUrl}/api/stream`);
    expect(anonymous.status).toBe(401);
    await anonymous.body?.cancel();

    const [socom, thl] = await Promise.all([api.token('manager', SOCOM_BUSINESS_ID), api.token('manager', THL_BUSINESS_ID)]);
    const all = await openStream({ token: manager });
    const scoped = await openStream({ query: `?access_token=${encodeURIComponent(socom)}` });
    const other = await openStream({ token: thl });
    try {
      expect(all.res.status).toBe(200);
      expect(all.res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      await eventually(async () => (all.events.some((e) => e.event === 'ready') ? true : undefined), 5_000, 'ready event');

      const id = await launch();
      await eventually(async () => (all.progressFor(id).length ? true : undefined), 15_000, `progress for ${id} (all)`);
      await eventually(async () => (scoped.progressFor(id).length ? true : undefined), 15_000, `progress for ${id} (scoped)`);
      await waitForStage(id, 'board');
      await new Promise((r) => setTimeout(r, 300));
      expect(other.progressFor(id)).toEqual([]);
      expect(other.events.map((e) => e.event)).toEqual(['ready']);
      expect(all.progressFor(id)[0]).toEqual({ event: 'progress', data: { workflowId: id } });
    } finally {
      await Promise.all([all.close(), scoped.close(), other.close()]);
    }
    // Disconnected clients are forgotten.
    const { StreamService } = await import('../apps/api/stream/stream.service');
    await eventually(async () => (api.app.get(StreamService).size === 0 ? true : undefined), 5_000, 'subscribers cleaned up');
  });

  test('when the LISTEN connection drops, the stream reconnects, says resync, and keeps delivering', async () => {
    const stream = await openStream({ token: manager });
    try {
      await eventually(async () => (stream.events.some((e) => e.event === 'ready') ? true : undefined), 5_000, 'ready event');
      const killed = await db.pool.query(
        "SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = 'fuusio-stream' AND datname = current_database()",
      );
      expect(killed.rows).toEqual([{ ok: true }]);
      await eventually(async () => (stream.events.some((e) => e.event === 'resync') ? true : undefined), 10_000, 'resync event');
      const id = await launch();
      await eventually(async () => (stream.progressFor(id).length ? true : undefined), 15_000, `progress for ${id} after reconnect`);
    } finally {
      await stream.close();
    }
  });

  test('GET /api/me names the token for the dashboard; the dashboard is served at / without shadowing the API', async () => {
    const me = await api.request('GET', '/api/me', { token: manager });
    expect(me.body).toEqual({ name: expect.any(String), role: 'manager', organisation: null });
    const index = await fetch(`${api.baseUrl}/`);
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('<div id="root">');
    expect((await api.request('GET', '/healthz')).body).toEqual({ ok: true });
    expect((await api.request('GET', '/api/workflows')).status).toBe(401);
  });
});

describe('the dashboard in Chromium', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  test('a manager signs in, sees an onboarding at the board, approves it from the detail page and watches it move live', async () => {
    const id = await launch();
    await waitForStage(id, 'board');

    const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });

    await page.goto(api.baseUrl);
    await page.getByLabel('API token').fill(manager);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();

    const row = page.locator(`tr[data-workflow-id="${id}"]`);
    await row.waitFor();
    expect(await row.locator('td.stage').textContent()).toBe('board');
    expect(await row.getByRole('progressbar').getAttribute('aria-valuenow')).toMatch(/^\d+$/);
    expect(await row.textContent()).toContain('onboarding');
    await page.screenshot({ path: artefactPath('dashboard-overview.png'), fullPage: true });

    // Search narrows the list to this workflow.
    await page.getByRole('searchbox').fill(id);
    await eventually(async () => ((await page.locator('tbody tr[data-workflow-id]').count()) === 1 ? true : undefined), 5_000, 'search');

    await row.getByRole('link').click();
    await page.getByRole('heading', { name: 'Pending approvals' }).waitFor();
    await page.evaluate(() => { (globalThis as any).__sameDocument = true; });
    const stage = page.getByTestId('stage');
    expect(await stage.textContent()).toBe('board');
    expect(await page.locator('svg.gantt g[data-stage="board"] rect.gbar').count()).toBe(1);

    await page.getByLabel('Reference').fill('Hallitus 7/2025 § 3');
    await page.getByLabel('Comment').fill('fits the ownership policy');
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.locator('li', { hasText: 'Hallitus 7/2025 § 3' }).waitFor();
    await page.locator('[data-testid="stage"]', { hasText: 'subscription' }).waitFor({ timeout: 15_000 });

    // A change made elsewhere (the signing event arrives through the API) shows up without a reload.
    const signed = await api.request('POST', `/api/workflows/${encodeURIComponent(id)}/events`, {
      token: admin, body: { type: 'subscription.signed', payload: {}, idempotencyKey: `${id}:signed` },
    });
    expect(signed.status).toBe(202);
    await page.locator('[data-testid="stage"]', { hasText: 'payment' }).waitFor({ timeout: 15_000 });
    expect(await page.evaluate(() => (globalThis as any).__sameDocument)).toBe(true);
    expect(await page.locator('svg.gantt g.gstage-done').count()).toBeGreaterThanOrEqual(3);

    await page.screenshot({ path: artefactPath('dashboard.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  test('an admin sees the audit trail of a decision; a token scoped to another organisation does not see the workflow', async () => {
    const id = await launch();
    await waitForStage(id, 'board');
    await api.request('POST', `/api/workflows/${encodeURIComponent(id)}/decisions`, {
      token: manager, body: { gate: 'board', party: SOCOM_BUSINESS_ID, decision: 'approve', reference: 'Hallitus 8/2025 § 1' },
    });
    await waitForStage(id, 'subscription');

    const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    await page.goto(api.baseUrl);
    await page.getByLabel('API token').fill(admin);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator(`tr[data-workflow-id="${id}"]`).getByRole('link').click();
    await page.locator('ol.audit li', { hasText: 'approval.approved' }).waitFor();
    const before = await page.locator('ol.audit li').count();
    await api.request('POST', `/api/workflows/${encodeURIComponent(id)}/events`, {
      token: admin, body: { type: 'subscription.signed', payload: {}, idempotencyKey: `${id}:signed` },
    });
    await eventually(async () => ((await page.locator('ol.audit li').count()) > before ? true : undefined), 15_000, 'the audit trail to grow');
    await page.getByRole('button', { name: 'Sign out' }).click();

    await page.getByLabel('API token').fill(await api.token('manager', THL_BUSINESS_ID));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.locator('table.runs[aria-busy="false"]').waitFor();
    expect(await page.locator(`tr[data-workflow-id="${id}"]`).count()).toBe(0);
    await page.goto(`${api.baseUrl}/#/w/${encodeURIComponent(id)}`);
    await page.getByRole('alert').waitFor();
    await page.close();
  });
});
