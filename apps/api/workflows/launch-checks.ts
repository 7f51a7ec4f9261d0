import type { Pool } from 'pg';
import type { z } from 'zod';
import type { LAUNCH_KINDS, LaunchKind } from '../../../libs/domain/launch-kinds';
import { checkProjectLaunch } from '../projects/project-launch-check';
import { consolidationRegistryIssues } from '../../../activities/consolidation/consolidation-registry-check';
import { createShareholdingMergerActivities } from '../../../activities/registry/shareholding-merger.activities';
import { ApiError } from '../common/api-error';

/**
 * Checks a launch needs against the registry before anything starts (a well-formed body can still
 * name an organisation that does not exist or has ended). A check throws an ApiError (400 with the
 * field and the reason); a kind without one only gets the company check the service does for all.
 */
export type LaunchCheck<K extends LaunchKind> = (pool: Pool, input: z.output<(typeof LAUNCH_KINDS)[K]['schema']>) => Promise<void>;

export const LAUNCH_CHECKS: { [K in LaunchKind]?: LaunchCheck<K> } = {
  project: (pool, input) => checkProjectLaunch(pool, input),
  // The same check the workflow runs first, so what the transfer's writes would refuse is refused here.
  'shareholding-merger': async (pool, input) => {
    const check = await createShareholdingMergerActivities({ pool }).checkShareholdingMerger(input);
    if (!check.ok) throw ApiError.unprocessable('merger_not_possible', check.reason, [{ path: 'merging', message: check.reason }]);
  },
  consolidation: async (pool, input) => {
    const issues = await consolidationRegistryIssues(pool, input);
    if (issues.length > 0) throw ApiError.badRequest(issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
  },
};
