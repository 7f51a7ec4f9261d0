import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SOCOM_BUSINESS_ID } from '../infra/seed/demo-data';
import { findProjectRoot } from '../infra/temporal/provision';
import type { AuditBundle } from '../libs/audit/bundle';
import { STANDALONE_VERIFIER } from '../libs/audit/standalone-verifier';
import { archiveClosedRuns } from '../libs/temporal/history-archiver';
import { cli } from './support/cli';
import { eventually } from './support/harness';
import { associationLaunchBody } from './support/onboarding-fixtures';
import { startStack, type Stack } from './support/stack';
import { testEnv } from './support/test-env';

/**
 * Issue 14 §3, verification without Fuusio: an onboarding runs to its end on the real worker, its run is
 * archived, and `fuusio history --bundle` exports its audit bundle through the API. Then the API, the
 * worker and the database are gone, and `node tools/verify-bundle.cjs` — Node alone — verifies the file
 * against the published key; the same file with one byte changed (in an event, a hash, a proof node, the
 * signature, the history) fails and names where. `fuusio verify --replay` adds the replay against the
 * workflow code the histories name.
 */
const root = findProjectRoot();
const verifierFile = join(root, STANDALONE_VERIFIER);
let stack: Stack | undefined;
let dir: string;
let file: string;
let withoutHistories: string;
let text: string;
let bundle: AuditBundle;
let publishedKey: string;
let workflowId: string;

/** Runs the standalone verifier as an auditor would: `node tools/verify-bundle.cjs <file> --key <hex>`, nothing else loaded. */
function nodeVerify(path: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [verifierFile, path, ...args], { cwd: tmpdir(), env: { PATH: process.env.PATH } }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fuusio-audit-bundle-'));
  file = join(dir, 'bundle.json');
  stack = await startStack();
  const { api, db, temporal } = stack;
  const [admin, manager, auditor] = [await api.token('admin'), await api.token('manager'), await api.token('auditor')];

  // A real onboarding: launched through the API, rejected by the board with a (personal) comment.
  const launched = await api.request('POST', '/api/workflows/onboarding', { token: admin, body: associationLaunchBody() });
  expect(launched.status).toBe(201);
  workflowId = launched.body.workflowId as string;
  const path = `/api/workflows/${encodeURIComponent(workflowId)}`;
  await eventually(async () => ((await api.request('GET', path, { token: manager })).body.stage === 'board' ? true : undefined), 20_000, 'stage board');
  const decided = await api.request('POST', `${path}/decisions`, {
    token: manager, body: { gate: 'board', party: SOCOM_BUSINESS_ID, decision: 'reject', comment: 'Matti Meikäläinen objected' },
  });
  expect(decided.status).toBeLessThan(300);
  await eventually(async () => ((await api.request('GET', path, { token: manager })).body.status !== 'running' ? true : undefined), 30_000, 'the end');
  // The archiver's pass (the worker runs it on a timer): the run's history and its SHA-256 in the trail.
  await eventually(async () => {
    const pass = await archiveClosedRuns({ client: temporal.client, pool: db.pool, filter: `WorkflowId = "${workflowId}"` });
    return pass.archived.length > 0 ? true : undefined;
  }, 30_000, 'the run archived');

  // Refused to a role without audit rights; a bad query names the field; the route is in the OpenAPI document.
  expect((await api.request('GET', `${path}/bundle`, { token: manager })).status).toBe(403);
  const bad = await api.request('GET', `${path}/bundle?histories=some`, { token: auditor });
  expect(bad.status).toBe(400);
  expect(bad.body.details).toEqual([expect.objectContaining({ path: 'query.histories' })]);
  expect((await api.request('GET', '/api/docs/json')).body.paths).toHaveProperty(['/api/workflows/{id}/bundle', 'get']);

  // The auditor keeps the published key, and exports the bundle with the CLI.
  const key = await api.request('GET', '/api/audit/public-key', { token: auditor });
  publishedKey = key.body.publicKeyHex as string;
  const exported = await cli(['history', workflowId, '--bundle', file], { FUUSIO_API_URL: api.baseUrl, FUUSIO_TOKEN: auditor });
  expect(exported).toMatchObject({ code: 0, stderr: '' });
  expect(exported.stdout).toMatch(/^wrote the audit bundle of .* \(\d+ audit events, 1 runs\) to /);
  withoutHistories = join(dir, 'without-histories.json');
  const lean = await cli(['history', workflowId, '--bundle', withoutHistories, '--without-histories'], { FUUSIO_API_URL: api.baseUrl, FUUSIO_TOKEN: auditor });
  expect(lean).toMatchObject({ code: 0, stderr: '' });

  // Fuusio is gone: API, worker and database.
  await stack.stop();
  stack = undefined;
  text = readFileSync(file, 'utf8');
  bundle = JSON.parse(text) as AuditBundle;
  // FUUSIO_KEEP_BUNDLE=<dir> keeps the exported file and the key, to run the verifier by hand.
  if (process.env.FUUSIO_KEEP_BUNDLE) {
    mkdirSync(process.env.FUUSIO_KEEP_BUNDLE, { recursive: true });
    copyFileSync(file, join(process.env.FUUSIO_KEEP_BUNDLE, 'bundle.json'));
    writeFileSync(join(process.env.FUUSIO_KEEP_BUNDLE, 'published-key.hex'), `${publishedKey}\n`);
  }
}, 180_000);

afterAll(async () => {
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('the bundle holds the chain from its first link, one signed checkpoint, the key and the archived run; personal fields only sealed in the history', () => {
  expect(bundle).toMatchObject({ format: 'fuusio-audit-bundle/1', workflowId, notCheckpointed: 0, publicKey: { publicKeyHex: publishedKey } });
  expect(bundle.events.map((e) => e.chainSeq)).toEqual(bundle.events.map((_, i) => i + 1));
  expect(bundle.events.map((e) => e.action)).toEqual(expect.arrayContaining(['workflow.launched', 'history.archived']));
  expect(bundle.runs).toHaveLength(1);
  const archived = bundle.events.find((e) => e.action === 'history.archived')!;
  expect(archived.payload).toMatchObject({ runId: bundle.runs[0]!.runId, sha256: bundle.runs[0]!.sha256 });
  // The worker ran the global setup's workflow bundle: its build id is the SDK's, named by the history.
  const code = readFileSync(testEnv('bundle'));
  expect(bundle.buildId).toBe(`@temporalio/worker@1.24.0+${createHash('sha256').update(code).digest('hex')}`);
  // The decision's comment stays out of the chained events (their salted digest stands in for it), and the
  // history holds it only sealed, as the API sent it into Temporal (crypto-shredding).
  expect(JSON.stringify(bundle.events)).not.toContain('Meikäläinen');
  expect(bundle.events.some((e) => typeof e.payload.personalDigest === 'string')).toBe(true);
  const history = Buffer.from(bundle.runs[0]!.history, 'base64').toString('utf8');
  expect(history).not.toContain('Meikäläinen');
  expect(history).toContain('"$sealed"');
});

test('a bundle without histories holds no personal data and still verifies its events offline, saying the histories are not checked', async () => {
  const lean = JSON.parse(readFileSync(withoutHistories, 'utf8')) as AuditBundle;
  expect(lean).toMatchObject({ historiesIncluded: false, runs: [], buildId: null });
  expect(readFileSync(withoutHistories, 'utf8')).not.toContain('Meikäläinen');
  const r = await nodeVerify(withoutHistories, '--key', publishedKey);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/histories: left out at export \(personal data\): the 1 archived run\(s\) the trail names are not checked\n[\s\S]*VERIFIED\n$/);
});

test('offline, with Node alone: the exported bundle verifies against the published key', async () => {
  const r = await nodeVerify(file, '--key', publishedKey);
  expect(r).toMatchObject({ code: 0, stderr: '' });
  expect(r.stdout).toMatch(/checkpoint: tree size \d+, root [0-9a-f]{64}, signed .* signature ok/);
  expect(r.stdout).toMatch(new RegExp(`events: ${bundle.events.length} \\(${bundle.events.length} of chain workflow:${workflowId} from position 1, 0 legacy\\)`));
  expect(r.stdout).toMatch(/histories: 1 run\(s\), 1 matching the SHA-256 the trail chains/);
  expect(r.stdout).toContain(`build: ${bundle.buildId}, as the latest run's history names it`);
  expect(r.stdout).toMatch(/replay: not checked here/);
  expect(r.stdout).toMatch(/note: the checkpoint is signed with the published development key/);
  expect(r.stdout.trim().split('\n').pop()).toBe('VERIFIED');
});

/** One character of the file changed inside the text that follows `anchor`, `offset` characters in: still JSON, still canonical in shape. */
function oneByteChanged(anchor: string, offset: number): string {
  const at = text.indexOf(anchor);
  expect(at).toBeGreaterThanOrEqual(0);
  expect(text.indexOf(anchor, at + 1)).toBe(-1);
  const i = at + anchor.length + offset;
  const c = text[i]!;
  const next = /[0-8a-eA-Y]/.test(c) ? String.fromCharCode(c.charCodeAt(0) + 1) : c === '9' ? '0' : c === 'z' || c === 'Z' || c === 'f' ? 'a' : 'b';
  const changed = text.slice(0, i) + next + text.slice(i + 1);
  expect(Buffer.from(changed).length).toBe(Buffer.from(text).length);
  return changed;
}

describe('one byte changed: the verifier fails and names where', () => {
  const decision = () => bundle.events.find((e) => e.action !== 'workflow.launched' && typeof e.payload.personalDigest === 'string')!;
  const at = (e: { seq: number; chainSeq: number }) => `event ${bundle.events.findIndex((x) => x.seq === e.seq)} \\(seq ${e.seq}, chain workflow:${workflowId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} position ${e.chainSeq}\\)`;
  const cases: [string, () => string, () => RegExp][] = [
    ['an event field (the idempotency key)', () => oneByteChanged(`"idempotencyKey":"${decision().idempotencyKey}`, -3),
      () => new RegExp(`${at(decision())}: its content .* does not give its hash`)],
    ['the digest of a personal field', () => oneByteChanged(`"personalDigest":"${decision().payload.personalDigest as string}`, -10),
      () => new RegExp(`${at(decision())}: its content`)],
    ['an event hash', () => oneByteChanged(`"hash":"${bundle.events[2]!.hash}`, -1),
      () => new RegExp(`${at(bundle.events[2]!)}, field hash: was changed`)],
    ['a proof node', () => oneByteChanged(`"prevHash":"${bundle.events[1]!.prevHash}","proof":["`, 7),
      () => new RegExp(`${at(bundle.events[1]!)}, leaf \\d+, field proof: the inclusion proof does not lead to the signed root`)],
    ['the checkpoint signature', () => oneByteChanged('"signature":"', 20),
      () => /checkpoint \(tree size \d+\), field signature: does not verify against key [0-9a-f]{16}/],
    ['the history', () => oneByteChanged('"history":"', 200),
      () => /run 0 \([0-9a-f-]{36}\), field history: its SHA-256 is [0-9a-f]{64}, the bundle says/],
  ];
  test.each(cases)('%s', async (_what, change, where) => {
    const changedFile = join(dir, 'changed.json');
    writeFileSync(changedFile, change());
    const r = await nodeVerify(changedFile, '--key', publishedKey);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`NOT VERIFIED: ${where().source}`));
  });

  test('another key than the published one: refused', async () => {
    const r = await nodeVerify(file, '--key', '0'.repeat(63) + '1');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/NOT VERIFIED: publicKey, field publicKeyHex: is not the published key/);
  });
});

test('fuusio verify --replay: the same checks, and the histories replay against the build they name', async () => {
  const ok = await cli(['verify', file, '--key', publishedKey, '--replay', '--workflow-bundle', testEnv('bundle')]);
  expect(ok).toMatchObject({ code: 0, stderr: '' });
  expect(ok.stdout).toContain(`replay: 1 run(s) replayed against build ${bundle.buildId}, the one the histories name: ok`);
  expect(ok.stdout.trim().split('\n').pop()).toBe('VERIFIED');

  const changedFile = join(dir, 'changed-for-cli.json');
  writeFileSync(changedFile, oneByteChanged('"signature":"', 5));
  const broken = await cli(['verify', changedFile, '--replay']);
  expect(broken.code).toBe(1);
  expect(broken.stdout).toMatch(/replay: not attempted[\s\S]*NOT VERIFIED: checkpoint \(tree size \d+\), field signature/);

  // Code of another build is refused before anything is replayed.
  const other = join(dir, 'other-bundle.js');
  writeFileSync(other, `${readFileSync(testEnv('bundle'), 'utf8')}\n// another build\n`);
  const wrongBuild = await cli(['verify', file, '--replay', '--workflow-bundle', other]);
  expect(wrongBuild.code).toBe(1);
  expect(wrongBuild.stdout).toMatch(/replay: the workflow bundle given is build @temporalio\/worker@1\.24\.0\+[0-9a-f]{64}; the histories name /);
});
