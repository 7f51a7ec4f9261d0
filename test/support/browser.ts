import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { testEnv } from './test-env';

export const ROOT = join(__dirname, '..', '..');
export const WEB_DIST = join(ROOT, 'apps', 'web', 'dist');
export const ARTEFACTS = join(ROOT, '.fuusio', 'test');

/** Builds the dashboard with vite when apps/web/dist is missing or older than its sources (npm run build makes it too). */
export function ensureDashboardBuilt(): void {
  const built = join(WEB_DIST, 'index.html');
  if (existsSync(built) && newestSource() <= statSync(built).mtimeMs) return;
  execFileSync('npx', ['vite', 'build', '--config', 'apps/web/vite.config.mjs'], { cwd: ROOT, stdio: 'inherit' });
}

function newestSource(): number {
  const web = join(ROOT, 'apps', 'web');
  const files = [join(web, 'index.html'), join(web, 'vite.config.mjs'),
    ...readdirSync(join(web, 'src'), { recursive: true, encoding: 'utf8' }).map((f) => join(web, 'src', f))];
  return Math.max(...files.map((f) => statSync(f).mtimeMs));
}

/** The Chromium the global setup found or installed (infra/browser/chromium.ts), driven by playwright-core. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: testEnv('chromium'),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export function artefactPath(name: string): string {
  mkdirSync(ARTEFACTS, { recursive: true });
  return join(ARTEFACTS, name);
}
