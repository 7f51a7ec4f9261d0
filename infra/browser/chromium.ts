import { existsSync } from 'node:fs';
import { canActAsRoot, findOnPath, type Log, runAsRoot } from '../provision/process-utils';

/**
 * The browser for the dashboard tests: Debian's chromium, driven by playwright-core (Playwright's own
 * browser download cannot work here). FUUSIO_CHROMIUM names another binary.
 */

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
const ON_PATH = ['chromium', 'chromium-browser', 'google-chrome'];

export const INSTALL_HINT = 'install Debian\'s chromium (`sudo apt-get install -y chromium`) or set FUUSIO_CHROMIUM to a Chromium binary';

/** The browser binary, or undefined when the machine has none. */
export async function findChromium(): Promise<string | undefined> {
  const configured = process.env.FUUSIO_CHROMIUM;
  if (configured) {
    if (!existsSync(configured)) throw new Error(`FUUSIO_CHROMIUM=${configured} does not exist: ${INSTALL_HINT}`);
    return configured;
  }
  const found = CANDIDATES.find((c) => existsSync(c));
  if (found) return found;
  for (const name of ON_PATH) {
    const onPath = await findOnPath(name);
    if (onPath) return onPath;
  }
  return undefined;
}

/** Finds the browser, or installs Debian's chromium when this process may (root or passwordless sudo); else says what to install. */
export async function ensureChromium(log: Log): Promise<string> {
  const found = await findChromium();
  if (found) return found;
  if (!(await canActAsRoot()) || !(await findOnPath('apt-get'))) {
    throw new Error(`no Chromium found for the dashboard's browser tests: ${INSTALL_HINT}`);
  }
  log('no Chromium found: installing Debian\'s chromium with apt-get (about a minute)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await runAsRoot('apt-get', ['update', '-qq'], { env });
  await runAsRoot('apt-get', ['install', '-y', '-qq', 'chromium'], { env });
  const installed = await findChromium();
  if (!installed) throw new Error(`apt-get installed chromium but no binary was found: ${INSTALL_HINT}`);
  log(`installed ${installed}`);
  return installed;
}
