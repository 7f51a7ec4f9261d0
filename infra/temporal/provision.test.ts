import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTE_DEFINITIONS } from '../../libs/temporal/search-attributes';
import { ensureDevServer, findTemporalCli, isServerUp, type DevServer } from './provision';
import { freePort } from '../provision/net';

jest.setTimeout(120_000);

const NAMESPACE = 'fuusio-provision-test';
// Not given at start-up, so the reuse path has to register it and add its search attributes.
const LATE_NAMESPACE = 'fuusio-provision-test-late';

describe('Temporal provisioning', () => {
  let dataDir: string;
  let server: DevServer | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'fuusio-temporal-'));
  });

  afterAll(async () => {
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('finds a Temporal CLI that runs', async () => {
    const cli = await findTemporalCli();
    const { stdout } = await promisify(execFile)(cli, ['--version']);
    expect(stdout).toMatch(/temporal version/);
  });

  it('starts a dev server, reuses it, registers search attributes and stops it', async () => {
    const address = `127.0.0.1:${await freePort()}`;

    server = await ensureDevServer({ address, namespaces: [NAMESPACE], dataDir, headless: true });
    expect(server).toMatchObject({ address, started: true });

    const again = await ensureDevServer({ address, namespaces: [NAMESPACE, LATE_NAMESPACE], dataDir });
    expect(again.started).toBe(false);
    await again.stop();
    expect(await isServerUp(address)).toBe(true);

    const connection = await Connection.connect({ address });
    try {
      for (const namespace of [NAMESPACE, LATE_NAMESPACE]) {
        const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
        expect(Object.keys(customAttributes ?? {})).toEqual(expect.arrayContaining(Object.keys(SEARCH_ATTRIBUTE_DEFINITIONS)));
      }
    } finally {
      await connection.close();
    }

    await server.stop();
    server = undefined;
    expect(await isServerUp(address)).toBe(false);
  });
});
