import AxeBuilder from '@axe-core/playwright';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ITA_UUSIMAA_MUNICIPALITY_IDS, PAIJAT_HAME_MUNICIPALITY_IDS, SOCCA_BUSINESS_ID, SOSIAALITAITO_BUSINESS_ID, VERSO_BUSINESS_ID, HUS_BUSINESS_ID, seedConsolidationDemo } from '../infra/seed/demo-consolidation';
import { DEMO_ORGANISATIONS, THL_BUSINESS_ID } from '../infra/seed/demo-data';
import { seedDemoPortfolio, type PortfolioSeed } from '../infra/seed/demo-portfolio';
import { RUNNING_PROJECT_CODE, seedRunningDemoProject } from '../infra/seed/demo-projects';
import { helsinkiDate } from '../libs/domain/helsinki-time';
import type { ConsolidationAnswer } from '../libs/domain/consolidation-view';
import { consolidationAnswer } from '../apps/api/workflows/consolidation-answer';
import { type TestApi } from './support/api-harness';
import { artefactPath, ensureDashboardBuilt, launchChromium, ROOT } from './support/browser';
import { eventually } from './support/harness';
import { freshBusinessId } from './support/onboarding-fixtures';
import { startStack, type Stack } from './support/stack';

// WCAG 2.1 A and AA, as the Act on the Provision of Digital Services (306/2019) requires.
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const LOCALES = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' } as const;
type Lang = keyof typeof LOCALES;
const LANGS = Object.keys(LOCALES) as Lang[];
/** FUUSIO_SCREENSHOTS=1 writes the README's screenshots of these views into docs/screenshots. */
const SCREENSHOTS = process.env.FUUSIO_SCREENSHOTS === '1' ? join(ROOT, 'docs', 'screenshots') : null;
const catalogue = (lang: Lang) => JSON.parse(readFileSync(join(ROOT, 'apps', 'web', 'src', 'i18n', `${lang}.json`), 'utf8'));

let stack: Stack;
let api: TestApi;
let browser: Browser;
let admin: string;
let manager: string;
let seed: PortfolioSeed;
const PORVOO = DEMO_ORGANISATIONS.find((o) => o.name === 'Porvoo')?.businessId as string;

beforeAll(async () => {
  ensureDashboardBuilt();
  stack = await startStack();
  ({ api } = stack);
  await seedConsolidationDemo(stack.db.pool);
  // The day the seed counts from: the run's own, as `npm start` takes it (the launch refuses a past effective date).
  const today = new Date();
  await seedRunningDemoProject(stack.db.pool, helsinkiDate(today));
  [admin, manager] = await Promise.all([api.token('admin'), api.token('manager')]);
  // Temporal keeps workflow ids between test runs: this run's consolidation and applicants are its own.
  seed = await seedDemoPortfolio({ baseUrl: api.baseUrl, token: admin }, { today, slug: `portfolio-${freshBusinessId().slice(0, 7)}`, applicantId: () => freshBusinessId() });
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const path = (id: string) => `/api/workflows/${encodeURIComponent(id)}`;

describe('the seeded portfolio', () => {
  test('onboardings wait at the board, the subscription and the payment; one completed, one cancelled', async () => {
    const stageOf = async (id: string) => (await api.request('GET', path(id), { token: manager })).body as { stage: string; status: string };
    const o = seed.onboardings;
    expect(await Promise.all([o.board, o.subscription, o.payment].map(stageOf))).toEqual([
      expect.objectContaining({ stage: 'board', status: 'running' }),
      expect.objectContaining({ stage: 'subscription', status: 'running' }),
      expect.objectContaining({ stage: 'payment', status: 'running' }),
    ]);
    expect((await stageOf(o.completed)).status).toBe('completed');
    expect((await stageOf(o.cancelled)).status).toBe('cancelled');
    expect(seed.alreadyThere).toEqual([]);
  });

  test('the running project has its second report overdue', async () => {
    const p = await api.request('GET', `/api/projects/${RUNNING_PROJECT_CODE}`, { token: manager });
    expect(p.status).toBe(200);
    const today = helsinkiDate(new Date());
    const second = (p.body.periods as { no: number; dueOn: string }[]).find((x) => x.no === 2);
    expect(second && second.dueOn < today).toBe(true);
    expect((p.body.reports as { period: number }[]).map((r) => r.period)).toEqual([1]);
  });
});

describe('GET /api/workflows/{id}/consolidation', () => {
  let view: ConsolidationAnswer;
  beforeAll(async () => {
    const r = await api.request('GET', `${path(seed.consolidation)}/consolidation`, { token: manager });
    expect(r.status).toBe(200);
    // The answer is what the OpenAPI document says it is.
    view = consolidationAnswer.parse(r.body) satisfies ConsolidationAnswer;
  });

  test('each party with its chain in order: the decided bodies with their references, the rest waiting', () => {
    expect(view.parties.map((p) => [p.businessId, p.role])).toEqual([
      [SOCCA_BUSINESS_ID, 'receiving'], [SOSIAALITAITO_BUSINESS_ID, 'absorbed'], [VERSO_BUSINESS_ID, 'carve-out'], [HUS_BUSINESS_ID, 'host'],
    ]);
    const verso = view.parties.find((p) => p.businessId === VERSO_BUSINESS_ID);
    expect(verso?.chain.map((s) => [s.key, s.status, s.reference])).toEqual([
      ['verso-board', 'approved', 'Verso hallitus 9/§ 5'],
      ['joint-authority-board', 'approved', 'Kuntayhtymän hallitus 11/§ 8'],
      ['joint-authority-council', 'pending', null],
    ]);
    expect(verso?.chain[0]?.decidedAt).toEqual(expect.any(String));
    // The registry names the bodies in Finnish, Swedish and English.
    expect(verso?.chain[0]?.names).toEqual({ fi: 'Verson johtokunta', sv: 'Versos direktion', en: 'Verso board' });
    expect(view.parties.find((p) => p.role === 'host')?.chain.map((s) => s.status)).toEqual(['pending']);
  });

  test('the carve-out moves the seven Itä-Uusimaa municipalities and keeps Päijät-Häme; nothing is transferred yet', () => {
    const verso = view.parties.find((p) => p.businessId === VERSO_BUSINESS_ID);
    expect([...(verso?.municipalities?.moving ?? [])].sort()).toEqual([...ITA_UUSIMAA_MUNICIPALITY_IDS].sort());
    expect([...(verso?.municipalities?.staying ?? [])].sort()).toEqual([...PAIJAT_HAME_MUNICIPALITY_IDS].sort());
    expect(verso?.transfers).toEqual({
      staff: { total: 3, transferred: 0, kept: 0 }, agreements: { total: 1, transferred: 0, kept: 0 }, projects: { total: 1, transferred: 0, kept: 0 },
    });
    expect(view.parties.find((p) => p.role === 'receiving')?.transfers).toBeNull();
  });

  test('base-funding shares before and after: Sosiaalitaito merges, Socca grows, Verso keeps a share; the cents add up', () => {
    const rows = view.funding?.rows ?? [];
    const row = (id: string) => rows.find((r) => r.centre === id);
    expect(row(SOSIAALITAITO_BUSINESS_ID)?.after).toBeNull();
    expect(row(SOCCA_BUSINESS_ID)?.after?.share).toBeGreaterThan(row(SOCCA_BUSINESS_ID)?.before?.share ?? 1);
    expect(row(VERSO_BUSINESS_ID)?.after?.share).toBeLessThan(row(VERSO_BUSINESS_ID)?.before?.share ?? 0);
    const sum = (k: 'before' | 'after') => rows.reduce((n, r) => n + (r[k]?.cents ?? 0), 0);
    expect([sum('before'), sum('after')]).toEqual([view.funding?.totalCents, view.funding?.totalCents]);
  });

  test('names the organisations in Finnish and, where the registry has one, in Swedish', () => {
    expect(view.names[PORVOO]).toEqual({ name: 'Porvoo', nameSv: 'Borgå' });
    expect(view.names[SOSIAALITAITO_BUSINESS_ID]?.nameSv).toBeNull();
  });

  test('404 for a workflow of another kind, and for a token scoped to an organisation outside it', async () => {
    expect((await api.request('GET', `${path(seed.onboardings.board)}/consolidation`, { token: manager })).status).toBe(404);
    const outsider = await api.token('manager', THL_BUSINESS_ID);
    expect((await api.request('GET', `${path(seed.consolidation)}/consolidation`, { token: outsider })).status).toBe(404);
    const verso = await api.token('manager', VERSO_BUSINESS_ID);
    expect((await api.request('GET', `${path(seed.consolidation)}/consolidation`, { token: verso })).status).toBe(200);
  });

  test('the registry answers the Swedish names', async () => {
    const porvoo = await api.request('GET', `/api/organisations/${PORVOO}`, { token: manager });
    expect([porvoo.body.name, porvoo.body.nameSv]).toEqual(['Porvoo', 'Borgå']);
  });
});

async function open(lang: Lang): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, locale: LOCALES[lang], acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(api.baseUrl);
  await page.locator('#token').fill(manager);
  await page.locator('form button[type="submit"]').click();
  await page.locator('.live').waitFor();
  return page;
}

async function violations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(TAGS).options({ resultTypes: ['violations'] }).setLegacyMode(true).analyze();
  return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}) ${n.target.join(' ')}`));
}

async function shoot(page: Page, name: string, lang: Lang) {
  await page.screenshot({ path: artefactPath(`${name}-${lang}.png`), fullPage: true });
  if (!SCREENSHOTS || lang === 'en') return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-${lang}.png`), fullPage: true });
}

describe.each(LANGS)('in %s', (lang) => {
  const texts = catalogue(lang);
  let page: Page;
  beforeAll(async () => {
    page = await open(lang);
  }, 30_000);
  afterAll(async () => {
    await page?.context().close();
  });

  test('the consolidation view: chains, transfers, carve-out and the funding chart with its table; stage and names in the language; no axe violations', async () => {
    await page.evaluate((h) => { (globalThis as any).location.hash = h; }, `#/w/${encodeURIComponent(seed.consolidation)}`);
    const view = page.getByTestId('consolidation');
    await view.locator('table.funding-table tbody tr').first().waitFor();
    expect(await page.evaluate(() => (globalThis as any).document.documentElement.lang)).toBe(lang);
    expect([await page.getByTestId('stage').getAttribute('data-stage'), await page.getByTestId('stage').textContent()]).toEqual(['decisions', texts.stageName.decisions]);
    const verso = view.locator(`.chain-party[data-party="${VERSO_BUSINESS_ID}"] li`);
    expect(await verso.evaluateAll((els) => els.map((e) => e.getAttribute('data-status')))).toEqual(['approved', 'approved', 'pending']);
    expect(await view.locator(`tr[data-party="${VERSO_BUSINESS_ID}"] td[data-kind="staff"]`).textContent()).toContain('0');
    const versoBoard = { fi: 'Verson johtokunta', sv: 'Versos direktion', en: 'Verso board' }[lang];
    expect(await verso.first().locator('strong[data-named="registry"]').textContent()).toBe(versoBoard);
    const moving = view.locator(`.carve-party[data-party="${VERSO_BUSINESS_ID}"] [data-testid="moving"] li`);
    const porvoo = lang === 'sv' ? 'Borgå' : 'Porvoo';
    expect(await moving.allTextContents()).toContain(porvoo);
    // The chart has a title and a description, and the table says the same in text.
    expect(await view.locator('svg.funding title').textContent()).toBe(texts.consolidation.fundingTitle);
    expect(await view.locator('svg.funding g[data-centre]').count()).toBe(await view.locator('table.funding-table tbody tr').count());
    expect(await violations(page)).toEqual([]);
    await shoot(page, 'consolidation', lang);
  });

  test('the portfolio timeline: the chosen workflows as a Gantt with planned and actual spans and today; no axe violations', async () => {
    await page.evaluate((h) => { (globalThis as any).location.hash = h; }, '#/portfolio');
    await page.getByRole('heading', { level: 1, name: texts.portfolio.title }).waitFor();
    const chart = page.locator('svg.portfolio-gantt');
    await chart.locator('g[data-workflow-id]').first().waitFor();
    // The seeded consolidation on the chart: its decisions stage has an actual span and a planned one (to its deadline).
    if ((await chart.locator(`g[data-workflow-id="${seed.consolidation}"]`).count()) === 0) {
      await page.locator(`input[type="checkbox"][value="${seed.consolidation}"]`).check();
    }
    const decisions = chart.locator(`g[data-workflow-id="${seed.consolidation}"] g[data-stage="decisions"]`);
    await decisions.locator('rect.actual').waitFor();
    expect(await decisions.locator('rect.planned').count()).toBe(1);
    expect(await decisions.locator('text').textContent()).toBe(texts.stageName.decisions);
    expect(await chart.locator('line.today').count()).toBe(1);
    expect(await violations(page)).toEqual([]);
    await shoot(page, 'portfolio-timeline', lang);
  });
});

describe('a Swedish reader sees no English workflow sentence on the detail pages', () => {
  let page: Page;
  beforeAll(async () => {
    page = await open('sv');
  }, 30_000);
  afterAll(async () => {
    await page?.context().close();
  });
  const show = async (id: string) => {
    await page.evaluate((h) => { (globalThis as any).location.hash = h; }, `#/w/${encodeURIComponent(id)}`);
    await page.locator('table.steps tbody tr').first().waitFor();
    return page.locator('main');
  };

  test('the consolidation: title, waiting for, approvals and steps in Swedish, its bodies named as the registry names them; no axe violations', async () => {
    const main = await show(seed.consolidation);
    await main.getByTestId('consolidation').locator('.chain-party').first().waitFor();
    const title = await main.locator('h1').textContent();
    expect(title).toMatch(/^Socca \+ Sosiaalitaito \+ Verso \(del\) → Socca från \d{1,2}\.\d{1,2}\.\d{4}$/);
    const waiting = page.locator('dt', { hasText: 'Väntar på' }).locator('xpath=following-sibling::dd');
    await eventually(async () => ((await waiting.textContent())?.includes('Samkommunens fullmäktige') ? true : undefined), 10_000, 'the registry\'s body names');
    expect(await waiting.textContent()).toContain('Sosiaalitaito: Sosiaalitaito Oy:s styrelse');
    expect(await main.locator('form.approval strong').allTextContents()).toEqual(expect.arrayContaining(['HNS styrelse', 'Samkommunens fullmäktige']));
    expect(await main.locator('table.steps tbody td').first().textContent()).toBe('Förstudien slutförd');
    const text = await main.innerText();
    for (const english of ['(part)', ' from 20', 'Sosiaalitaito board', 'Joint municipal authority council', 'HUS board', 'Verso board', 'Feasibility study completed']) {
      expect([english, text.includes(english)]).toEqual([english, false]);
    }
    expect(await violations(page)).toEqual([]);
  });

  test('an onboarding at the payment: title, waiting for, the board and the steps in Swedish', async () => {
    const main = await show(seed.onboardings.payment);
    expect(await main.locator('h1').textContent()).toMatch(/ → delägare i \d{7}-\d$/);
    const waiting = await page.locator('dt', { hasText: 'Väntar på' }).locator('xpath=following-sibling::dd').textContent();
    expect(waiting).toMatch(/: betala [\d\s\u00a0]+€$/);
    expect(await main.locator('table.steps tbody td').allTextContents()).toContain('Teckningen undertecknad');
    expect(await main.locator('ul.plain li').first().textContent()).toContain('Styrelsen för Socom Oy');
    const text = await main.innerText();
    for (const english of ['shareholder of', 'cents', 'Subscription signed', 'Board of', 'sign the subscription']) {
      expect([english, text.includes(english)]).toEqual([english, false]);
    }
  });
});

describe('the portfolio export', () => {
  let page: Page;
  beforeAll(async () => {
    page = await open('en');
    await page.evaluate((h) => { (globalThis as any).location.hash = h; }, '#/portfolio');
    await page.locator('svg.portfolio-gantt g[data-workflow-id]').first().waitFor();
  }, 30_000);
  afterAll(async () => {
    await page?.context().close();
  });

  test('SVG (from the keyboard): a standalone SVG document that parses, with the chart in it', async () => {
    const button = page.getByRole('button', { name: 'Download SVG' });
    await button.focus();
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    expect(download.suggestedFilename()).toMatch(/^fuusio-portfolio-\d{4}-\d\d-\d\d\.svg$/);
    const text = readFileSync(await download.path(), 'utf8');
    expect(text.startsWith('<?xml')).toBe(true);
    const parsed = await page.evaluate((svg) => {
      const doc = new (globalThis as any).DOMParser().parseFromString(svg, 'image/svg+xml');
      return {
        error: doc.getElementsByTagName('parsererror').length,
        root: doc.documentElement.localName,
        ns: doc.documentElement.namespaceURI,
        width: doc.documentElement.getAttribute('width'),
        groups: doc.querySelectorAll('g[data-workflow-id]').length,
        actual: doc.querySelectorAll('rect.actual').length,
        today: doc.querySelectorAll('line.today').length,
      };
    }, text);
    expect(parsed).toEqual({ error: 0, root: 'svg', ns: 'http://www.w3.org/2000/svg', width: '1100', groups: expect.any(Number), actual: expect.any(Number), today: 1 });
    expect(parsed.groups).toBeGreaterThan(0);
    expect(parsed.actual).toBeGreaterThan(0);
  });

  test('PNG: a PNG file (signature and header) twice the chart size', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download PNG' }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.png$/);
    const bytes = readFileSync(await download.path());
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(bytes.subarray(12, 16).toString('ascii')).toBe('IHDR');
    expect(bytes.readUInt32BE(16)).toBe(2200);
    expect(bytes.readUInt32BE(20)).toBeGreaterThan(100);
    expect(bytes.length).toBeGreaterThan(5_000);
  });
});

test('the organisations page names the bilingual municipalities in Swedish for a Swedish reader', async () => {
  const page = await open('sv');
  try {
    await page.evaluate((h) => { (globalThis as any).location.hash = h; }, `#/organisations/${PORVOO}`);
    await page.getByRole('heading', { level: 1, name: 'Borgå' }).waitFor();
    expect(await page.locator('main h1 [lang]').count()).toBe(0);
  } finally {
    await page.context().close();
  }
});
