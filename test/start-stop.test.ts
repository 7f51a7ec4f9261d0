import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { createTestDatabase, eventually, type TestDatabase } from './support/harness';
import { freePort } from '../infra/provision/net';

// `npm start` under a supervisor: SIGTERM to npm must reach the starter through npm and its shell, and
// the starter must stop the API, the worker and the Temporal dev server it started, leaving no process
// and no port behind. The build step is skipped (`npm run start:built`, the same chain npm start ends
// in) so that this file does not rebuild dist/ under the other test files.

const ROOT = join(__dirname, '..');
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

const listening = (port: number) => new Promise<boolean>((resolve) => {
  const socket = connect({ host: '127.0.0.1', port });
  socket.once('connect', () => { socket.destroy(); resolve(true); });
  socket.once('error', () => resolve(false));
});

/** Processes whose command line mentions `marker` (our unique ports), other than the `ps` itself. */
const processesWith = (marker: string) => execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
  .split('\n').filter((line) => line.includes(marker) && !line.includes('ps -eo'));

it('SIGTERM to `npm start` stops the API, the worker and the Temporal dev server it started', async () => {
  const [apiPort, temporalPort] = [await freePort(), await freePort()];
  const uiPort = temporalPort + 1000;
  const child: ChildProcess = spawn('npm', ['run', 'start:built'], {
    cwd: ROOT,
    env: {
      ...process.env, DATABASE_URL: db.url, PORT: String(apiPort), TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
      TEMPORAL_NAMESPACE: 'fuusio-start-stop', LOG_LEVEL: 'warn', LOG_FORMAT: 'json',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr?.on('data', (d: Buffer) => { output += d.toString(); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  try {
    await eventually(async () => (output.includes('Fuusio is running.') ? true : undefined), 180_000, 'npm start to be ready');
  } catch (err) {
    throw new Error(`${(err as Error).message}; it printed:\n${output}`);
  }
  expect(await listening(apiPort)).toBe(true);
  expect(await listening(temporalPort)).toBe(true);
  expect(processesWith(`--port ${temporalPort}`)).toHaveLength(1);

  child.kill('SIGTERM'); // npm's own pid, as a supervisor or `timeout` signals it
  expect(await exited).toBe(0);
  expect(output).toContain('SIGTERM: stopping');
  for (const port of [apiPort, temporalPort, uiPort]) expect([port, await listening(port)]).toEqual([port, false]);
  expect(processesWith(`--port ${temporalPort}`)).toEqual([]);
  expect(processesWith(join('dist', 'apps', 'api', 'main.js')).filter((l) => l.includes(String(apiPort)))).toEqual([]);
}, 240_000);
