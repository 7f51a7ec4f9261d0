// What the worker bundles: every workflow type Fuusio runs.
export { onboardShareholder } from './onboarding/onboard-shareholder.workflow';
export { mergeShareholdings } from './shareholding-merger/merge-shareholdings.workflow';
export { consolidateCentres, transferPartyAssets } from './consolidation';
export { projectLifecycle } from './project-lifecycle/project-lifecycle.workflow';
