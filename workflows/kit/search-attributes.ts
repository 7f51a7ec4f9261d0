import { upsertSearchAttributes } from '@temporalio/workflow';
import { FuusioStage, FuusioStatus } from '../../libs/temporal/search-attributes';
import type { ProgressSnapshot } from '../../libs/domain/progress';

/** Keeps Temporal's own listing (by stage and status) in step with the projection. */
export function publishSearchAttributes(s: Pick<ProgressSnapshot, 'stage' | 'status'>): void {
  upsertSearchAttributes([
    { key: FuusioStage, value: s.stage },
    { key: FuusioStatus, value: s.status },
  ]);
}
