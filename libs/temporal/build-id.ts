import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { temporal } from '@temporalio/proto';

/**
 * The build id of the worker that completed a history's last workflow task. Fuusio's workers name no
 * build id of their own, so the SDK's default stands: `@temporalio/worker@<version>+<SHA-256 of the
 * workflow bundle code>`, recorded by Temporal in every WORKFLOW_TASK_COMPLETED event.
 */
export function buildIdOfHistory(history: temporal.api.history.v1.IHistory): string | null {
  let id: string | null = null;
  for (const e of history.events ?? []) {
    const done = e.workflowTaskCompletedEventAttributes;
    const named = done?.workerVersion?.buildId || done?.binaryChecksum;
    if (named) id = named;
  }
  return id;
}

/** The build id the SDK gives a worker that runs this workflow bundle code (the same formula as the SDK's). */
export function buildIdOfCode(code: string): string {
  const { name, version } = JSON.parse(readFileSync(require.resolve('@temporalio/worker/package.json'), 'utf8')) as { name: string; version: string };
  return `${name}@${version}+${createHash('sha256').update(code).digest('hex')}`;
}
