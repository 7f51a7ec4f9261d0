import { SOCOM_BUSINESS_ID } from '../infra/seed/demo-data';
import { seedDemoPeople } from '../infra/seed/demo-people';
import { TokenRepository } from '../libs/db/repositories/token.repository';
import { cli } from './support/cli';
import { eventually } from './support/harness';
import { associationLaunchBody } from './support/onboarding-fixtures';
import { startStack, type Stack } from './support/stack';

/** The CLI's human output in Finnish and Swedish against a real API; --json is the same in every language. */
let stack: Stack;
let admin: NodeJS.ProcessEnv;
let member: NodeJS.ProcessEnv;
let workflowId: string;

beforeAll(async () => {
  stack = await startStack();
  await seedDemoPeople(stack.db.pool);
  admin = { FUUSIO_API_URL: stack.api.baseUrl, FUUSIO_TOKEN: await stack.api.token('admin') };
  const own = await new TokenRepository().create(stack.db.pool, { name: 'test-cli-languages', role: 'manager', personId: 'socom-board-1' });
  member = { FUUSIO_API_URL: stack.api.baseUrl, FUUSIO_TOKEN: own.token };
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

const lines = (text: string) => text.split('\n').map((l) => l.trimEnd());

describe('the CLI in Finnish and Swedish', () => {
  test('launch in Finnish (--lang fi), then the workflow in Swedish (FUUSIO_LANG=sv)', async () => {
    const launched = await cli(['launch', 'onboarding', '--json-body', JSON.stringify(associationLaunchBody()), '--lang', 'fi'], admin);
    expect([launched.code, launched.stderr]).toEqual([0, '']);
    const [heading, idLine, , statusLine] = lines(launched.stdout);
    expect(heading).toBe('käynnistetty: onboarding');
    workflowId = idLine?.replace(/^ {2}workflowId: /, '') ?? '';
    expect(workflowId).toMatch(/^onboarding:/);
    expect(statusLine).toBe('  tila:       running');

    await eventually(async () => {
      const r = await stack.api.request('GET', `/api/workflows/${encodeURIComponent(workflowId)}`, { token: admin.FUUSIO_TOKEN as string });
      return r.body.pendingApprovals?.length ? true : undefined;
    }, 20_000, 'the board decision pending');

    const shown = await cli(['show', workflowId], { ...admin, FUUSIO_LANG: 'sv' });
    expect(shown.code).toBe(0);
    const out = lines(shown.stdout);
    expect(out).toContain(`  process:         ${workflowId}`);
    expect(out.find((l) => l.startsWith('  nästa tidsfrist:'))).toBeDefined();
    expect(out).toEqual(expect.arrayContaining(['Skeden', 'Väntande beslut', 'Arbetsmoment']));
    expect(out.find((l) => l.startsWith('  BESLUTSPUNKT'))).toMatch(/^ {2}BESLUTSPUNKT +PART +ORGAN +TIDSFRIST$/);
    expect(shown.stdout).not.toMatch(/Pending approvals|Stages|Steps/);
    // The workflow's own texts too: its title and the board it waits for, from the facts behind them.
    expect(out[0]).toMatch(/ → delägare i \d{7}-\d$/);
    expect(out.find((l) => l.startsWith('  väntar på:'))).toMatch(/Styrelsen för /);
    expect(shown.stdout).not.toMatch(/shareholder of|Board of/);
    const english = await cli(['show', workflowId], admin);
    expect(lines(english.stdout)[0]).toMatch(/ → shareholder of \d{7}-\d$/);
  });

  test('the locale decides when nothing else does: LANG=fi_FI lists in Finnish, sv_SE in Swedish, en_US in English', async () => {
    const fi = await cli(['list', '--kind', 'onboarding'], { ...admin, LANG: 'fi_FI.UTF-8' });
    expect(fi.stdout.split('\n')[0]).toMatch(/^PROSESSIN TUNNUS +TYYPPI +TILA +TILANNE +VAIHE +VALMIINA +SEURAAVA MÄÄRÄAIKA +ODOTTAA$/);
    expect(fi.stdout).toContain(workflowId);
    const sv = await cli(['list', '--kind', 'no-such-kind'], { ...admin, LANG: 'sv_SE.UTF-8' });
    expect(sv.stdout).toBe('inga processer motsvarar sökningen\n');
    const en = await cli(['list', '--kind', 'no-such-kind'], { ...admin, LANG: 'en_US.UTF-8' });
    expect(en.stdout).toBe('no workflows match\n');
    // --lang wins over FUUSIO_LANG, which wins over the locale.
    const chosen = await cli(['list', '--kind', 'no-such-kind', '--lang', 'fi'], { ...admin, FUUSIO_LANG: 'sv', LANG: 'en_US.UTF-8' });
    expect(chosen.stdout).toBe('hakua vastaavia prosesseja ei ole\n');
  });

  test('a board member\'s inbox in Swedish and in Finnish', async () => {
    const sv = await cli(['inbox'], { ...member, FUUSIO_LANG: 'sv' });
    expect(sv.code).toBe(0);
    const [svHeader, ...svRows] = lines(sv.stdout).filter(Boolean);
    expect(svHeader).toMatch(/^ +tidsfrist +typ +vad +process +hur$/);
    expect(svRows.find((l) => l.includes(workflowId))).toContain(`decide --gate board --party ${SOCOM_BUSINESS_ID}`);
    const fi = await cli(['inbox', '--lang', 'fi'], member);
    expect(lines(fi.stdout)[0]).toMatch(/^ +määräaika +laji +mitä +prosessi +miten$/);
  });

  test('the registry and a person\'s mail preference in Swedish; --json is the same in every language', async () => {
    const holders = await cli(['shareholders', SOCOM_BUSINESS_ID, '--at', '2025-01-01'], { ...admin, FUUSIO_LANG: 'sv' });
    expect(holders.code).toBe(0);
    expect(lines(holders.stdout)[0]).toBe(`Delägare i ${SOCOM_BUSINESS_ID} den 2025-01-01`);
    expect(holders.stdout).toMatch(/\n {2}FO-NUMMER +NAMN +AKTIER +AKTIENUMMER\n/);
    expect(lines(holders.stdout).filter(Boolean).pop()).toMatch(/^\d+ delägare, \d+ aktier( av \d+ emitterade)?$/);

    const notify = await cli(['people', 'notify', 'socom-board-1'], { ...member, FUUSIO_LANG: 'sv' });
    expect(notify.stdout).toBe('socom-board-1: genast\n');

    for (const args of [['shareholders', SOCOM_BUSINESS_ID, '--at', '2025-01-01', '--json'], ['organisations', '--kind', 'municipality', '--json']]) {
      const [en, fi, sv] = await Promise.all([
        cli(args, admin), cli([...args, '--lang', 'fi'], admin), cli(args, { ...admin, LANG: 'sv_FI.UTF-8' }),
      ]);
      expect(JSON.parse(en.stdout)).toBeTruthy();
      expect(fi.stdout).toBe(en.stdout);
      expect(sv.stdout).toBe(en.stdout);
    }
  });

  test('a language we do not speak is a usage error (exit 2), from --lang or FUUSIO_LANG; an unknown locale gives English', async () => {
    const option = await cli(['list', '--lang', 'de'], admin);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("option '--lang <lang>' argument 'de' is invalid");
    const env = await cli(['list'], { ...admin, FUUSIO_LANG: 'de' });
    expect([env.code, env.stderr.split('\n')[0]]).toEqual([2, 'error: FUUSIO_LANG "de" is not one of fi, sv, en']);
    const locale = await cli(['list', '--kind', 'no-such-kind'], { ...admin, LANG: 'de_DE.UTF-8' });
    expect(locale.stdout).toBe('no workflows match\n');
  });
});
