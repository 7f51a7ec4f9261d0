import { startApi, type TestApi } from './support/api-harness';
import { connectTemporal, createTestDatabase, type TestDatabase, type TestTemporal } from './support/harness';

// The API under load and in a browser: a per-client rate limit (429 with Retry-After, counted per token,
// probes exempt) and security headers on every answer, a strict content security policy for the dashboard.

let db: TestDatabase;
let temporal: TestTemporal;
let api: TestApi;
const LIMIT = 8;

beforeAll(async () => {
  db = await createTestDatabase();
  temporal = await connectTemporal();
  api = await startApi(db, temporal, { rateLimit: { limit: LIMIT } });
});

afterAll(async () => {
  await api?.close();
  await temporal?.close();
  await db?.drop();
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${api.baseUrl}${path}`, { headers });

it('a client over its limit gets 429 with Retry-After; another token and the probes are not held back', async () => {
  const [one, other] = [await api.token('manager'), await api.token('manager')];
  const statuses: number[] = [];
  let refused: Response | undefined;
  for (let i = 0; i < LIMIT + 2; i += 1) {
    const r = await get('/api/workflows', { authorization: `Bearer ${one}` });
    statuses.push(r.status);
    if (r.status === 429) refused = r;
  }
  expect(statuses.slice(0, LIMIT)).toEqual(Array(LIMIT).fill(200));
  expect(statuses.slice(LIMIT)).toEqual([429, 429]);
  expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(await refused?.json()).toMatchObject({ error: 'rate_limited' });

  expect((await get('/api/workflows', { authorization: `Bearer ${other}` })).status).toBe(200);
  for (let i = 0; i < LIMIT + 2; i += 1) expect((await get('/healthz')).status).toBe(200);
  // Guessing tokens is limited like everything else: the same wrong token, over and over.
  const guesses: number[] = [];
  for (let i = 0; i < LIMIT + 1; i += 1) guesses.push((await get('/api/workflows', { authorization: 'Bearer guess' })).status);
  expect(guesses.slice(0, LIMIT)).toEqual(Array(LIMIT).fill(401));
  expect(guesses[LIMIT]).toBe(429);
});

it('every answer carries security headers; the API and the dashboard a strict content security policy', async () => {
  const r = await get('/healthz');
  expect(r.headers.get('x-content-type-options')).toBe('nosniff');
  expect(r.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  expect(r.headers.get('referrer-policy')).toBe('no-referrer');
  expect(r.headers.get('x-powered-by')).toBeNull();
  const csp = r.headers.get('content-security-policy') ?? '';
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).not.toContain('unsafe-eval');
  // Swagger UI runs inline scripts: its page alone has no policy, but the other headers still.
  const docs = await get('/api/docs');
  expect(docs.headers.get('content-security-policy')).toBeNull();
  expect(docs.headers.get('x-content-type-options')).toBe('nosniff');
});
