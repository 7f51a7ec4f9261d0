import type { LaunchKind } from '../domain/schemas';

/** Which workflow function runs each launch kind. */
export const WORKFLOW_TYPE_BY_KIND: Record<LaunchKind, string> = {
  onboarding: 'onboardShareholder',
  'shareholding-merger': 'mergeShareholdings',
};
