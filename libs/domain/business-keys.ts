/**
 * Every workflow kind's business key (its workflow id), in one zod-free module: the workflows compute
 * their own key, the API the same one at launch. Only the input types come from the schemas.
 */
import type { ConsolidationInput } from './consolidation';
import type { ProjectInput } from './project';
import type { OnboardingInput, ShareholdingMergerInput } from './schemas';

export function onboardingBusinessKey(i: Pick<OnboardingInput, 'company' | 'applicant'>): string {
  return `onboarding:${i.company}:${i.applicant.businessId}`;
}

export function shareholdingMergerBusinessKey(i: Pick<ShareholdingMergerInput, 'company' | 'into' | 'effectiveDate'>): string {
  return `shareholding-merger:${i.company}:${i.into.businessId}:${i.effectiveDate}`;
}

export function consolidationBusinessKey(i: Pick<ConsolidationInput, 'slug'>): string {
  return `consolidation:${i.slug}`;
}

/** Lower-case ASCII words joined by dashes: "Sokra II" → "sokra-ii". */
export function projectSlug(name: string): string {
  return name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'project';
}

/**
 * The workflow id. A continuation phase keeps its EURA code (Sokra I and II are both S20220), so the
 * start date is part of the key: `project:S20220:2017-10-01`. Without a code yet, the name's slug.
 */
export function projectBusinessKey(i: Pick<ProjectInput, 'euraCode' | 'name' | 'plannedStart'>): string {
  return `project:${i.euraCode ?? projectSlug(i.name)}:${i.plannedStart}`;
}
