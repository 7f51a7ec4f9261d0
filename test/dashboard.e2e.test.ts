import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { SOCOM_BUSINESS_ID, THL_BUSINESS_ID } from '../infra/seed/demo-data';
import { type TestApi } from './support/api-harness';
import { artefactPath, ensureDashboardBuilt, launchChromium } from './support/browser';
import { eventually, type TestDatabase } from './support/harness';
import { freshBusinessId } from './support/onboarding-fixtures';
import { seedDemoProjects } from '../infra/seed/demo-projects';
import { startStack, type Stack } from './support/stack';

let stack: Stack;
let db: TestDatabase;
let api: TestApi;
let admin: string;
let manager: string;

beforeAll(async () => {
  // The API serves apps/web/dist at `/` only when it exists when the app is created.
  ensureDashboardBuilt();
  stack = await startStack();
  ({ db, api } = stack);
  [admin, manager] = await Promise.all([api.token('admin'), api.token('manager')]);
}, 180_000);

afterAll(async () => {
  await stack?.stop();
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
    expect(me.body).toEqual({ name: expect.any(String), role: 'manager', organisation: null, person: null });
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

    const page = await browser.newPage({ viewport: { width: 1360, height: 900 }, locale: 'en-GB' });
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });

    await page.goto(api.baseUrl);
    await page.getByLabel('API token').fill(manager);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();

    const row = page.locator(`tr[data-workflow-id="${id}"]`);
    await row.waitFor();
    expect([await row.locator('td.stage').getAttribute('data-stage'), await row.locator('td.stage').textContent()]).toEqual(['board', 'Board decision']);
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
    // The stage reads in the UI language; its key stays on the element.
    expect([await stage.getAttribute('data-stage'), await stage.textContent()]).toEqual(['board', 'Board decision']);
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

    const page = await browser.newPage({ viewport: { width: 1360, height: 900 }, locale: 'en-GB' });
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

  async function signIn(token: string, hash = '') {
    const page = await browser.newPage({ viewport: { width: 1360, height: 900 }, locale: 'en-GB' });
    await page.goto(api.baseUrl);
    await page.getByLabel('API token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    if (hash) await page.goto(`${api.baseUrl}/${hash}`);
    return page;
  }

  test('an admin launches an onboarding from the form: a bad business ID is shown beside its field and nothing is sent; a good one opens its live detail', async () => {
    const page = await signIn(admin);
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    const launches: string[] = [];
    page.on('request', (r) => { if (r.method() === 'POST' && r.url().includes('/api/workflows/')) launches.push(r.url()); });

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Launch' }).click();
    await page.getByRole('heading', { name: 'Onboarding of a shareholder' }).waitFor();
    const company = page.getByLabel('Company (business ID)');
    await eventually(async () => ((await company.inputValue()) ? true : undefined), 5_000, 'the company to be prefilled');
    await company.fill(SOCOM_BUSINESS_ID);
    const applicantId = freshBusinessId();
    const name = `Testiyhdistys ${applicantId.slice(3, 7)} ry`;
    await page.getByLabel('Applicant name').fill(name);
    const idField = page.getByLabel('Applicant business ID');
    // The right digits with a wrong check digit.
    const wrong = `${applicantId.slice(0, 8)}${(Number(applicantId.slice(8)) + 1) % 10}`;
    await idField.fill(wrong);
    await page.getByLabel('Applicant kind').selectOption('association');
    await page.getByLabel('Shares', { exact: true }).fill('3');
    await page.getByLabel('Price per share (€)').fill('125,50');
    await page.getByRole('button', { name: 'Launch onboarding' }).click();

    const error = page.getByTestId('error-applicant.businessId');
    await error.waitFor();
    expect(await error.textContent()).toContain('check digit should be');
    expect(await idField.getAttribute('aria-invalid')).toBe('true');
    expect((await idField.getAttribute('aria-describedby'))?.split(' ')).toContain(await error.getAttribute('id'));
    // Beside the field: in the same field row, and focus moved to it.
    expect(await page.locator('[data-field="applicant.businessId"] [data-testid="error-applicant.businessId"]').count()).toBe(1);
    expect(await idField.evaluate((el) => el === (globalThis as any).document.activeElement)).toBe(true);
    expect(await page.locator('.field-error').count()).toBe(1);
    await page.screenshot({ path: artefactPath('dashboard-launch.png'), fullPage: true });
    expect(launches).toEqual([]);

    // Keyboard: fix the ID in the focused field and submit with Enter.
    await idField.fill(applicantId);
    await idField.press('Enter');
    await page.waitForURL(/#\/w\//, { timeout: 15_000 });
    expect(launches).toHaveLength(1);
    const id = decodeURIComponent(new URL(page.url()).hash.replace('#/w/', ''));
    expect(id).toBe(`onboarding:${SOCOM_BUSINESS_ID}:${applicantId}`);
    await page.getByRole('heading', { name: 'Pending approvals' }).waitFor();
    await page.locator('[data-testid="stage"]', { hasText: 'board' }).waitFor({ timeout: 15_000 });
    const stored = await api.request('GET', `/api/workflows/${encodeURIComponent(id)}`, { token: manager });
    expect(stored.body.title).toContain(name);
    // The detail links to the organisations the workflow involves.
    await page.getByRole('link', { name: `Organisation ${SOCOM_BUSINESS_ID}` }).click();
    await page.getByRole('heading', { name: 'Shareholders' }).waitFor();
    expect(problems).toEqual([]);
    await page.close();
  });

  test('the API\'s own errors show too: a company missing from the registry is filed beside the company field', async () => {
    const page = await signIn(admin, '#/launch/onboarding');
    const unknownCompany = freshBusinessId();
    await page.getByLabel('Company (business ID)').fill(unknownCompany);
    await page.getByLabel('Applicant name').fill('Toinen yhdistys ry');
    await page.getByLabel('Applicant business ID').fill(freshBusinessId());
    await page.getByLabel('Shares', { exact: true }).fill('1');
    await page.getByLabel('Price per share (€)').fill('10');
    await page.getByRole('button', { name: 'Launch onboarding' }).click();
    await page.getByTestId('form-error').filter({ hasText: 'not in the registry' }).waitFor();
    expect(await page.getByTestId('error-company').textContent()).toContain('not in the registry');
    await page.close();
  });

  test('an admin launches an ESR project by pasting its JSON: the schema’s errors are listed by path and nothing is sent; a good body opens its detail', async () => {
    const ready = JSON.parse(readFileSync(join(__dirname, '..', 'infra', 'seed', 'launch', 'project-osallisuuden-polut.json'), 'utf8'));
    const body = { ...ready, name: `Osallisuuden polut ${freshBusinessId().slice(0, 7)}` };
    const page = await signIn(admin, '#/launch/project');
    await page.getByRole('heading', { name: 'ESR project lifecycle' }).waitFor();
    const sent: string[] = [];
    page.on('request', (r) => { if (r.method() === 'POST' && r.url().includes('/api/workflows/project')) sent.push(r.url()); });
    const textarea = page.getByLabel('Launch body (JSON)');

    await textarea.fill('{ "name": ');
    await page.getByRole('button', { name: 'Launch project' }).click();
    expect(await page.getByTestId('form-error').or(page.locator('.field-error, [role="alert"]')).first().textContent()).toMatch(/not JSON/);

    await textarea.fill(JSON.stringify({ ...body, budgetCents: 0, euraCode: 'S2022' }, null, 2));
    await page.getByRole('button', { name: 'Launch project' }).click();
    const problems = await page.getByTestId('form-error').textContent();
    expect(problems).toMatch(/budgetCents/);
    expect(problems).toMatch(/euraCode/);
    expect(sent).toEqual([]);

    await textarea.fill(JSON.stringify(body, null, 2));
    await page.getByRole('button', { name: 'Launch project' }).click();
    await page.waitForURL(/#\/w\/project/);
    expect(await page.locator('.detail-head .mono').first().textContent()).toContain('project ·');
    expect(sent).toHaveLength(1);
    await page.close();
  });

  test('a manager sees no launch link and no launch form', async () => {
    const page = await signIn(manager);
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Launch' }).count()).toBe(0);
    await page.goto(`${api.baseUrl}/#/launch/onboarding`);
    await page.getByRole('alert').filter({ hasText: 'Only admins' }).waitFor();
    expect(await page.locator('form.launch-form').count()).toBe(0);
    expect(await page.getByLabel('Applicant business ID').count()).toBe(0);
    await page.close();
  });

  test('the organisation page of Socom Oy shows its record, shareholders with ranges and totals, and its workflows', async () => {
    const id = await launch();
    await waitForStage(id, 'board');
    const registry = await api.request('GET', `/api/companies/${SOCOM_BUSINESS_ID}/shareholders`, { token: manager });
    expect(registry.status).toBe(200);

    const page = await signIn(manager);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Organisations' }).click();
    await page.getByRole('heading', { name: 'Organisations' }).waitFor();
    await page.getByLabel('Kind').selectOption('company');
    const socomRow = page.locator(`tr[data-business-id="${SOCOM_BUSINESS_ID}"]`);
    await socomRow.waitFor();
    await socomRow.getByRole('link').click();

    await page.getByRole('heading', { name: 'Shareholders' }).waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(/Socom/);
    const holders = page.locator('table.holders tbody tr');
    expect(await holders.count()).toBe(registry.body.holders.length);
    const first = registry.body.holders[0];
    const firstRow = page.locator(`table.holders tr[data-holder="${first.businessId}"]`);
    expect(await firstRow.textContent()).toContain(first.name);
    expect(await firstRow.textContent()).toContain(`${first.ranges[0].first}–${first.ranges[0].last}`);
    // Numbers follow the language (en-GB here: 1,234); the digits are the register's.
    expect((await page.getByTestId('shares-held').textContent())?.replace(/[\s,]/g, '')).toBe(String(registry.body.totals.sharesHeld));
    await page.locator(`table.org-runs tr[data-workflow-id="${id}"]`).waitFor();

    // A holder's page says where it holds shares.
    await firstRow.getByRole('link').click();
    await page.getByRole('heading', { name: 'Shareholdings' }).waitFor();
    await page.locator('li', { hasText: 'Socom' }).filter({ hasText: 'Holds' }).waitFor();
    await page.goBack();
    await page.getByRole('heading', { name: 'Shareholders' }).waitFor();
    await page.locator(`table.org-runs tr[data-workflow-id="${id}"]`).waitFor();
    await page.screenshot({ path: artefactPath('dashboard-organisation.png'), fullPage: true });
    await page.close();
  });

  test('the projects page lists the Sokra phases; a phase shows its periods as one bar coloured by their reports, and its chain', async () => {
    await seedDemoProjects(db.pool);
    const sokra = await api.request('GET', '/api/projects/S20220', { token: manager });
    expect(sokra.status).toBe(200);
    const periods = sokra.body.periods as { no: number }[];
    // Sokra's phases are history: every period has ended and its report was due long ago.
    const reports = sokra.body.reports as { period: number; reportedOn: string; late: boolean }[];
    expect(reports.length).toBeGreaterThan(0);
    const expected = (no: number) => {
      const r = reports.find((x) => x.period === no);
      return r ? (r.late ? 'late' : 'reported') : 'overdue';
    };

    const page = await signIn(manager);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Projects' }).click();
    await page.getByRole('heading', { name: 'Projects' }).waitFor();
    await page.getByRole('link', { name: /^Sokra I – / }).waitFor();
    await page.getByRole('link', { name: /^Sokra II – / }).click();

    const bars = page.locator('svg.periods rect.period');
    await bars.first().waitFor();
    expect(await bars.count()).toBe(periods.length);
    for (const p of periods) {
      const state = await page.locator(`svg.periods rect[data-period="${p.no}"]`).getAttribute('data-state');
      expect(state).toBe(expected(p.no));
    }
    // The chain links the phases: Sokra I, then Sokra II.
    const chain = page.locator('p', { hasText: 'Phases:' });
    expect(await chain.textContent()).toMatch(/Sokra I .*→ Sokra II/);
    await chain.getByRole('link', { name: /^Sokra I – / }).click();
    await page.getByRole('heading', { name: /^Project S20220 · Sokra I – / }).waitFor();
    await page.screenshot({ path: artefactPath('dashboard-project.png'), fullPage: true });
    await page.close();
  });
});
