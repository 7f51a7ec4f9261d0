import type { Browser, Page } from 'playwright-core';
import { SOCOM_BUSINESS_ID } from '../infra/seed/demo-data';
import { seedDemoPeople } from '../infra/seed/demo-people';
import { TokenRepository } from '../libs/db/repositories/token.repository';
import { type TestApi } from './support/api-harness';
import { ensureDashboardBuilt, launchChromium } from './support/browser';
import { eventually } from './support/harness';
import { freshBusinessId } from './support/onboarding-fixtures';
import { startStack, type Stack } from './support/stack';

let stack: Stack;
let api: TestApi;
let browser: Browser;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  // The API serves apps/web/dist at `/` only when it exists when the app is created.
  ensureDashboardBuilt();
  stack = await startStack();
  ({ api } = stack);
  await seedDemoPeople(stack.db.pool);
  const repo = new TokenRepository();
  for (const id of ['socom-board-1', 'socom-board-2', 'socom-board-3']) {
    tokens[id] = (await repo.create(stack.db.pool, { name: `test-${id}`, role: 'manager', personId: id })).token;
  }
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function signIn(person: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1360, height: 900 }, locale: 'en-GB' });
  await page.goto(api.baseUrl);
  await page.getByLabel('API token').fill(tokens[person] ?? '');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'My tasks' }).waitFor();
  await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
  return page;
}

test('board members land on My tasks, decide inline, and the count follows live', async () => {
  const admin = await api.token('admin');
  const launched = await api.request('POST', '/api/workflows/onboarding', {
    token: admin,
    body: { company: SOCOM_BUSINESS_ID, applicant: { name: 'Tehtäväyhdistys ry', businessId: freshBusinessId(), kind: 'association' }, shares: 2, pricePerShareCents: 100_00, board: { quorum: 2 } },
  });
  expect(launched.status).toBe(201);
  const id = launched.body.workflowId as string;
  await eventually(async () => {
    const r = await api.request('GET', `/api/workflows/${encodeURIComponent(id)}`, { token: admin });
    return r.body.stage === 'board' ? true : undefined;
  }, 20_000, 'the board stage');

  const third = await signIn('socom-board-3');
  await expect(third.getByTestId('task-count').textContent()).resolves.toBe('1');

  const first = await signIn('socom-board-1');
  const form = first.getByRole('form', { name: /Decision: Board of/ });
  await expect(form.getByTestId('quorum').textContent()).resolves.toContain('0 of 2 approvals needed');
  await form.getByLabel('Reference').fill('Hallitus 5/2026 § 2');
  await form.getByRole('button', { name: 'Approve' }).click();
  await first.getByTestId('no-tasks').waitFor();
  await expect(first.getByTestId('task-count').textContent()).resolves.toBe('0');

  const second = await signIn('socom-board-2');
  await second.getByRole('form', { name: /Decision: Board of/ }).getByRole('button', { name: 'Approve' }).click();
  await second.getByTestId('no-tasks').waitFor();

  // The board has decided: the third member's open page drops the task without a reload.
  await third.getByTestId('no-tasks').waitFor({ timeout: 15_000 });
  await expect(third.getByTestId('task-count').textContent()).resolves.toBe('0');
});
