import type { Pool } from 'pg';
import type { z } from 'zod';
import type { LAUNCH_KINDS, LaunchKind } from '../../../libs/domain/launch-kinds';

/**
 * Checks a launch needs against the registry before anything starts (a well-formed body can still
 * name an organisation that does not exist or has ended). A check throws an ApiError (400 with the
 * field and the reason); a kind without one only gets the company check the service does for all.
 */
export type LaunchCheck<K extends LaunchKind> = (pool: Pool, input: z.output<(typeof LAUNCH_KINDS)[K]['schema']>) => Promise<void>;

export const LAUNCH_CHECKS: { [K in LaunchKind]?: LaunchCheck<K> } = {};
