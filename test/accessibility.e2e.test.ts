import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { SOCOM_BUSINESS_ID } from '../infra/seed/demo-data';
import { seedDemoPeople } from '../infra/seed/demo-people';
import { seedDemoProjects } from '../infra/seed/demo-projects';
import { TokenRepository } from '../libs/db/repositories/token.repository';
import { type TestApi } from './support/api-harness';
import { ensureDashboardBuilt, launchChromium, ROOT } from './support/browser';
import { eventually } from './support/harness';
import { freshBusinessId } from './support/onboarding-fixtures';
import { startStack, type Stack } from './support/stack';

// WCAG 2.1 A and AA, as the Act on the Provision of Digital Services (306/2019) requires.
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const LOCALES = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' } as const;
type Lang = keyof typeof LOCALES;
/** FUUSIO_SCREENSHOTS=1 writes the README's screenshots (docs/screenshots) from the Finnish and Swedish runs. */
const SCREENSHOTS = process.env.FUUSIO_SCREENSHOTS === '1' ? join(ROOT, 'docs', 'screenshots') : null;

let stack: Stack;
let api: TestApi;
let browser: Browser;
let admin: string;
/** An admin who is also a person on Socom's board: has tasks, decides and launches. */
let boardAdmin: string;
let atBoard: string;

beforeAll(async () => {
  ensureDashboardBuilt();
  stack = await startStack();
  ({ api } = stack);
  await Promise.all([seedDemoPeople(stack.db.pool), seedDemoProjects(stack.db.pool)]);
  admin = await api.token('admin');
  boardAdmin = (await new TokenRepository().create(stack.db.pool, { name: 'test-board-admin', role: 'admin', personId: 'socom-board-1' })).token;
  atBoard = await launchOnboarding();
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function launchOnboarding(): Promise<string> {
  const r = await api.request('POST', '/api/workflows/onboarding', {
    token: admin,
    body: { company: SOCOM_BUSINESS_ID, applicant: { name: `Saavutettava yhdistys ${freshBusinessId().slice(3, 7)} ry`, businessId: freshBusinessId(), kind: 'association' }, shares: 2, pricePerShareCents: 100_00, board: { quorum: 1 } },
  });
  expect(r.status).toBe(201);
  const id = r.body.workflowId as string;
  await eventually(async () => {
    const d = await api.request('GET', `/api/workflows/${encodeURIComponent(id)}`, { token: admin });
    return d.body.stage === 'board' ? true : undefined;
  }, 20_000, `${id} at the board`);
  return id;
}

async function open(lang: Lang): Promise<Page> {
  // The browser's language decides (a Finnish browser gets Finnish); nothing is stored beforehand.
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, locale: LOCALES[lang] });
  return context.newPage();
}

async function signIn(page: Page, token: string) {
  await page.goto(api.baseUrl);
  await page.locator('#token').fill(token);
  await page.locator('form button[type="submit"]').click();
  await page.locator('.live').waitFor();
}

/** axe-core on the page as it is now: the violations as "rule: target" lines (empty when none). */
async function violations(page: Page, name: string): Promise<string[]> {
  // Only violations are wanted (leaving out passes and incomplete results is faster), and the dashboard
  // has no iframes, so axe runs in the page itself instead of finishing each run in a new blank page.
  const result = await new AxeBuilder({ page }).withTags(TAGS).options({ resultTypes: ['violations'] }).setLegacyMode(true).analyze();
  return result.violations.flatMap((v) => v.nodes.map((n) => `${name}: ${v.id} (${v.impact}) ${n.target.join(' ')} — ${n.failureSummary?.split('\n')[1]?.trim() ?? ''}`));
}

async function shoot(page: Page, lang: Lang, name: string) {
  if (!SCREENSHOTS || lang === 'en') return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-${lang}.png`), fullPage: true });
}

/** Every page in one language: the axe-core violations found (none expected). */
async function auditEveryPage(lang: Lang): Promise<string[]> {
  const page = await open(lang);
  const found: string[] = [];
  let last = Date.now();
  const check = async (name: string) => {
    const t0 = Date.now();
    await page.locator('main h1').first().waitFor();
    expect(await page.evaluate(() => (globalThis as any).document.documentElement.lang)).toBe(lang);
    expect(await page.locator('footer a[href="#/accessibility"]').count()).toBe(1);
    const t1 = Date.now();
    found.push(...await violations(page, name));
    if (process.env.A11Y_TIMING) console.log(`${name}: load ${t0 - last} ms, axe ${Date.now() - t1} ms`);
    last = Date.now();
  };

  await page.goto(api.baseUrl);
  await check('sign-in');

  await signIn(page, boardAdmin);
  // From here on the app changes route by its hash, as a click on a link does (no reload between pages).
  const go = (hash: string) => page.evaluate((h) => { (globalThis as any).location.hash = h; }, hash);
  await page.getByTestId('no-tasks').or(page.locator('ul.tasks li').first()).waitFor();
  await check('my tasks');
  await shoot(page, lang, 'my-tasks');

  await go('#/overview');
  await page.locator(`tr[data-workflow-id="${atBoard}"]`).waitFor();
  // Rows are alike: one is enough for the checks, and axe's time grows with the rows.
  await page.getByRole('searchbox').fill(atBoard);
  await eventually(async () => ((await page.locator('tbody tr').count()) === 1 ? true : undefined), 5_000, 'the search');
  await check('overview');
  await shoot(page, lang, 'overview');

  await go(`#/w/${encodeURIComponent(atBoard)}`);
  await page.locator('form.approval').waitFor();
  await check('workflow detail');
  await shoot(page, lang, 'workflow');

  await go('#/organisations');
  await page.locator(`tr[data-business-id="${SOCOM_BUSINESS_ID}"]`).waitFor();
  await page.locator('form.filters select').selectOption('company');
  await eventually(async () => ((await page.locator('tbody tr[data-business-id]').count()) < 20 ? true : undefined), 5_000, 'the companies');
  await check('organisations');
  await go(`#/organisations/${SOCOM_BUSINESS_ID}`);
  await page.locator('table.holders').waitFor();
  await page.locator('#holdings-h ~ ul, #holdings-h ~ p').first().waitFor();
  await check('organisation');

  await go('#/projects');
  await page.locator('table.projects').waitFor();
  await check('projects');
  await go(`#/projects/S20220`);
  await page.locator('svg.periods').waitFor();
  await check('project');
  await shoot(page, lang, 'project');

  // The three launch forms are built from the same parts: the merger and JSON forms are checked in Finnish only.
  const forms = lang === 'fi' ? [['shareholding-merger', 'mrg-h'], ['project', 'project-h'], ['onboarding', 'onb-h']] : [['onboarding', 'onb-h']];
  for (const [kind, heading] of forms) {
    await go(`#/launch/${kind}`);
    await page.locator(`form.launch-form h2#${heading}`).waitFor();
    await check(`launch ${kind}`);
  }
  // The onboarding form with its errors shown beside the fields.
  await page.locator('form.launch-form button[type="submit"]').click();
  await page.locator('.field-error').first().waitFor();
  await check('launch with errors');

  await go('#/accessibility');
  await page.locator('article.statement').waitFor();
  await check('statement');
  await page.context().close();
  return found.map((v) => `${lang} ${v}`);
}

test('axe-core (WCAG 2.1 A/AA) finds no violations on any page in fi, sv or en; <html lang> follows the language; every page links the accessibility statement', async () => {
  // The languages run side by side in their own browser contexts (the checks wait on the API and on axe, not on each other).
  const found = await Promise.all((Object.keys(LOCALES) as Lang[]).map(auditEveryPage));
  expect(found.flat()).toEqual([]);
});

describe('languages', () => {
  test('a Finnish browser gets Finnish; the switch changes the language at once, sets <html lang> and is remembered after a reload', async () => {
    const page = await open('fi');
    await page.goto(api.baseUrl);
    await page.getByRole('button', { name: 'Kirjaudu' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('fi');
    await page.getByRole('button', { name: 'Svenska' }).click();
    await page.getByRole('button', { name: 'Logga in' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('sv');
    expect(await page.getByRole('button', { name: 'Svenska' }).getAttribute('aria-pressed')).toBe('true');
    await page.reload();
    await page.getByLabel('API-nyckel').fill(admin);
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.getByRole('heading', { name: 'Översikt', level: 1 }).waitFor();
    // Deep link and reload: the route survives, and an API error is said in the user's language.
    await page.goto(`${api.baseUrl}/#/w/${encodeURIComponent('onboarding:0000000-0:0000000-0')}`);
    await page.reload();
    await page.getByRole('alert').filter({ hasText: 'Hittades inte' }).waitFor();
    await page.context().close();
  });
});

/** Presses Tab (or Shift+Tab) until the focused element matches `selector`; only keyboard events reach the page. */
async function tabTo(page: Page, selector: string, { back = false, max = 120 } = {}): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((sel) => !!(globalThis as any).document.activeElement?.matches(sel), selector)) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`${selector} was not reached with ${back ? 'Shift+Tab' : 'Tab'}`);
}

/** The focused element shows a focus indicator (an outline that is not none). */
async function focusVisible(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const g = globalThis as any;
    const el = g.document.activeElement;
    if (!el) return false;
    const s = g.getComputedStyle(el);
    return el.matches(':focus-visible') && s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
  });
}

test('keyboard only: sign in, find a workflow, decide its approval, and launch an onboarding', async () => {
  const id = await launchOnboarding();
  const page = await open('en');
  await page.goto(api.baseUrl);

  // Sign in: the token field takes focus when the page has rendered (and keeps it); type and press Enter.
  await eventually(async () => ((await page.evaluate(() => (globalThis as any).document.activeElement?.id)) === 'token' ? true : undefined), 15_000, 'focus in the token field');
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => (globalThis as any).document.activeElement?.id)).toBe('token');
  await page.keyboard.type(boardAdmin);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'My tasks', level: 1 }).waitFor();

  // The skip link comes first and takes focus to the main heading.
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => (globalThis as any).document.activeElement?.className)).toBe('skip');
  expect(await focusVisible(page)).toBe(true);

  // Find the workflow: the overview from the main menu, then the search box.
  await tabTo(page, 'nav[aria-label="Main"] a[href="#/overview"]');
  expect(await focusVisible(page)).toBe(true);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
  // Focus moved to the main heading on the route change.
  await eventually(async () => ((await page.evaluate(() => (globalThis as any).document.activeElement?.tagName)) === 'H1' ? true : undefined), 5_000, 'focus on h1');
  await tabTo(page, 'input[type="search"]');
  await page.keyboard.type(id);
  const row = page.locator(`tr[data-workflow-id="${id}"]`);
  await eventually(async () => ((await page.locator('tbody tr[data-workflow-id]').count()) === 1 && (await row.count()) === 1 ? true : undefined), 10_000, 'the search');
  await tabTo(page, `tr[data-workflow-id="${id}"] a`);
  expect(await focusVisible(page)).toBe(true);
  await page.keyboard.press('Enter');

  // Decide: to the reference field of the pending approval, type, then to Approve.
  await page.getByRole('heading', { name: 'Pending approvals' }).waitFor();
  await tabTo(page, 'form.approval input[id^="r-"]');
  await page.keyboard.type('Hallitus 9/2026 § 4');
  await tabTo(page, 'form.approval button[type="submit"]');
  expect(await focusVisible(page)).toBe(true);
  await page.keyboard.press('Enter');
  await page.locator('li', { hasText: 'Hallitus 9/2026 § 4' }).waitFor({ timeout: 15_000 });
  await page.locator('[data-testid="stage"]', { hasText: 'subscription' }).waitFor({ timeout: 15_000 });

  // Launch: back up to the main menu, open Launch, fill the onboarding form and submit with Enter.
  await tabTo(page, 'nav[aria-label="Main"] a[href="#/launch"]', { back: true });
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Onboarding of a shareholder' }).waitFor();
  await eventually(async () => ((await page.locator('#onb-company').inputValue()) ? true : undefined), 5_000, 'the company to be prefilled');
  const applicant = freshBusinessId();
  await tabTo(page, '#onb-company');
  await page.keyboard.press('Control+A');
  await page.keyboard.type(SOCOM_BUSINESS_ID);
  await tabTo(page, '#onb-applicant-name');
  await page.keyboard.type('Näppäinyhdistys ry');
  await tabTo(page, '#onb-applicant-businessId');
  await page.keyboard.type(applicant);
  await tabTo(page, '#onb-shares');
  await page.keyboard.type('2');
  await tabTo(page, '#onb-pricePerShareCents');
  await page.keyboard.type('100');
  expect(await focusVisible(page)).toBe(true);
  await page.keyboard.press('Enter');
  await page.waitForURL(/#\/w\/onboarding/, { timeout: 15_000 }).catch(async (err: Error) => {
    const shown = await page.locator('.field-error, [data-testid="form-error"]').allTextContents();
    throw new Error(`${err.message}; the form shows: ${JSON.stringify(shown)}`);
  });
  expect(decodeURIComponent(new URL(page.url()).hash)).toBe(`#/w/onboarding:${SOCOM_BUSINESS_ID}:${applicant}`);
  await page.getByRole('heading', { name: 'Pending approvals' }).waitFor();
  await page.context().close();
});
