import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { findProjectRoot } from '../../infra/temporal/provision';
import type { TestDatabase, TestTemporal } from './harness';
import { testEnv } from './test-env';

const root = findProjectRoot();

/** Compiles the worker program; incremental, so quick when nothing changed. */
export function buildWorkerProgram(): void {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], { cwd: root });
}

/**
 * The real worker program (`dist/apps/worker/main.js`) as its own process, as `npm start` runs it;
 * `env` adds settings (e.g. `SMTP_URL` for its outbox sender).
 */
export function startWorkerProcess(
  db: TestDatabase, temporal: Pick<TestTemporal, 'address' | 'namespace' | 'taskQueue'>, env: Record<string, string> = {},
): ChildProcess {
  return spawn(process.execPath, [join(root, 'dist', 'apps', 'worker', 'main.js')], {
    env: {
      ...process.env,
      DATABASE_URL: db.url,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: temporal.namespace,
      TEMPORAL_TASK_QUEUE: temporal.taskQueue,
      FUUSIO_WORKFLOW_BUNDLE: testEnv('bundle'),
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
      // The crash suites count what the workflows write; the archiver is tested on its own (history-archive.test.ts).
      ARCHIVE_EVERY_MS: '0',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

export function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
}
