import type { Pool } from 'pg';
import { ProjectRepository } from '../../../libs/db/repositories/project.repository';
import { RegistryRepository } from '../../../libs/db/repositories/registry.repository';
import { helsinkiDate } from '../../../libs/domain/helsinki-time';
import { addDays, type ProjectInput } from '../../../libs/domain/project';
import { ApiError, type ErrorDetail } from '../common/api-error';

const registry = new RegistryRepository();
const projects = new ProjectRepository();

/**
 * Registry checks before a project starts (400 with every failing field): the funder and the
 * implementers exist and are still in force, the start is not in the past (a live workflow cannot run
 * dates that have gone; historical projects are demo data), and a continuation names a recorded
 * predecessor and starts the day after the predecessor ends.
 */
export async function checkProjectLaunch(pool: Pool, input: ProjectInput, today = helsinkiDate(Date.now())): Promise<void> {
  const problems: ErrorDetail[] = [];
  const known = async (path: string, businessId: string) => {
    const org = await registry.organisation(pool, businessId);
    if (!org) problems.push({ path, message: `${businessId} is not in the registry` });
    else if (org.validTo !== null && org.validTo < today) problems.push({ path, message: `${businessId} (${org.name}) ended on ${org.validTo}` });
  };
  await known('funder', input.funder);
  await known('lead', input.lead);
  for (const [i, id] of input.partners.entries()) await known(`partners.${i}`, id);
  for (const [i, p] of (input.ownFinancing?.partners ?? []).entries()) await known(`ownFinancing.partners.${i}.businessId`, p.businessId);
  if (input.plannedStart < today) problems.push({ path: 'plannedStart', message: `must be today (${today}) or later` });
  if (input.predecessor !== undefined) {
    const before = await projects.find(pool, input.predecessor);
    if (!before) {
      problems.push({ path: 'predecessor', message: `no project ${input.predecessor} is recorded (give its business key, e.g. project:S20220:2014-10-01)` });
    } else if (input.plannedStart !== addDays(before.endDate, 1)) {
      problems.push({ path: 'plannedStart', message: `a continuation starts the day after its predecessor ends: ${addDays(before.endDate, 1)}` });
    }
  }
  if (problems.length > 0) {
    throw ApiError.badRequest(`the project cannot start: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, problems);
  }
}
