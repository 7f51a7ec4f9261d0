import type { Pool } from 'pg';
import { createConsolidationActivities } from './consolidation/consolidation.activities';
import { createOnboardingActivities } from './registry/onboarding.activities';
import { createShareholdingMergerActivities } from './registry/shareholding-merger.activities';
import { createProjectActivities } from './projects/project.activities';
import { createTrackingActivities } from './tracking/tracking.activities';

export type ActivityDeps = { pool: Pool };

/** Every activity the worker registers, built from its dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createTrackingActivities(deps),
    ...createOnboardingActivities(deps),
    ...createShareholdingMergerActivities(deps),
    ...createConsolidationActivities(deps),
    ...createProjectActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
