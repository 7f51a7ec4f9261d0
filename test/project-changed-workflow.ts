// A deliberately NOT replay-safe change of the project lifecycle, only in a run that continues from
// carried state: a timer before the real code. The recorded later runs (project-run-2 …) must fail to
// replay on it, while the first run, which carries nothing, still replays.
import { sleep } from '@temporalio/workflow';
import type { ProjectInput } from '../libs/domain/project';
import { projectLifecycle as real, type ProjectCarry, type ProjectResult } from '../workflows/project-lifecycle/project-lifecycle.workflow';

export async function projectLifecycle(input: ProjectInput, carried?: ProjectCarry): Promise<ProjectResult> {
  if (carried) await sleep('1 ms');
  return real(input, carried);
}
