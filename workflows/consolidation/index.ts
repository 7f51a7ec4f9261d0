// The consolidation process family: the parent workflow and its per-party child.
export { consolidateCentres } from './consolidate-centres.workflow';
export { transferPartyAssets } from './transfer-party-assets.workflow';
