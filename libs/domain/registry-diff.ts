/**
 * What changed in the registry between two days (organisations, service areas, centre holdings, share
 * registers) and which workflow made each change, with the decision behind it where one was recorded.
 * Pure: the repository reads the registry as it stood on each day, this compares and attributes.
 */
import { DAY_MS, isoDate } from './duration';
import { helsinkiDate } from './helsinki-time';
import { diffStates, keyed, type DiffableState, type Entity, type StateChange } from './state-diff';

export type OrganisationEntry = {
  businessId: string; name: string; kind: string; region: string | null; validFrom: string; validTo: string | null; mergedInto: string | null;
};
export type ServiceAreaEntry = { centreId: string; municipalityId: string; validFrom: string; validTo: string | null; sourceWorkflowId: string | null };
export type HoldingEntry = {
  kind: string; ref: string; organisationId: string; counterpartyId: string | null; validFrom: string; validTo: string | null;
  sourceWorkflowId: string | null; sourceStep: string | null;
};
export type ShareEntry = {
  companyId: string; holderId: string; firstNo: number; lastNo: number; acquiredOn: string; disposedOn: string | null;
  sourceWorkflowId: string | null; sourceStep: string | null;
};
export type RegistryState = {
  organisations: OrganisationEntry[]; serviceAreas: ServiceAreaEntry[]; holdings: HoldingEntry[]; shareRegister: ShareEntry[];
};

export type DecisionRef = { gate: string; party: string; body: string; decidedAt: string; reference: string | null };
export type WorkflowRef = { workflowId: string; kind: string; title: string; imported: boolean; decisions: DecisionRef[] };

/** Who else is known to have changed organisations: a centre a consolidation received into, an organisation a record ended. */
export type OrganisationAuthors = {
  receivers: { centreId: string; workflowId: string; createdCentre: boolean; effectiveDate: string }[];
  ended: { businessId: string; workflowId: string }[];
};

export type RegistryChange = StateChange & {
  /** The day the change took effect, where the rows tell it. */
  on: string | null;
  workflowId: string | null;
};

export type AttributedRegistryChange = RegistryChange & {
  workflow: Omit<WorkflowRef, 'decisions'> | null;
  /** The last decision the workflow recorded on or before the day of the change. */
  decision: DecisionRef | null;
};

export const REGISTRY_SECTIONS = ['organisations', 'serviceAreas', 'holdings', 'shareRegister'] as const;

/** The fields of a registry row that name an organisation (what a scope or an organisation filter looks at). */
const ORGANISATION_FIELDS = ['businessId', 'mergedInto', 'centreId', 'municipalityId', 'organisationId', 'counterpartyId', 'companyId', 'holderId'];

export function dayAfter(day: string): string {
  return isoDate(Date.parse(`${day}T00:00:00Z`) + DAY_MS);
}

export function registrySections(s: RegistryState): DiffableState {
  return {
    organisations: keyed(s.organisations, (o) => o.businessId),
    serviceAreas: keyed(s.serviceAreas, (a) => `${a.centreId}/${a.municipalityId}`),
    holdings: keyed(s.holdings, (h) => `${h.kind}/${h.ref}`),
    shareRegister: keyed(s.shareRegister, (r) => `${r.companyId}#${r.firstNo}-${r.lastNo}`),
  };
}

const text = (e: Entity | undefined, field: string): string | null => (e && typeof e[field] === 'string' ? (e[field] as string) : null);
const num = (e: Entity | undefined, field: string): number => (e && typeof e[field] === 'number' ? (e[field] as number) : Number.NaN);

function sides(c: StateChange): { before?: Entity; after?: Entity } {
  if (c.op === 'added') return { after: c.after };
  if (c.op === 'removed') return { before: c.before };
  const before: Entity = {};
  const after: Entity = {};
  for (const f of c.fields) {
    if (f.before !== undefined) before[f.field] = f.before;
    if (f.after !== undefined) after[f.field] = f.after;
  }
  return { before, after };
}

/** The registry changes between the two days, each with the day it took effect and the workflow that made it (when known). */
export function registryChanges(from: RegistryState, to: RegistryState, authors: OrganisationAuthors): RegistryChange[] {
  const toSections = registrySections(to);
  const raw = diffStates(registrySections(from), toSections);
  const added = raw.filter((c): c is Extract<StateChange, { op: 'added' }> => c.op === 'added');
  return raw.map((c) => {
    const current = c.op === 'removed' ? undefined : toSections[c.section]?.[c.key];
    if (c.section === 'organisations') return { ...c, ...organisationAuthor(c, authors) };
    if (c.op !== 'removed') {
      const startField = c.section === 'shareRegister' ? 'acquiredOn' : 'validFrom';
      return { ...c, on: text(current, startField), workflowId: text(current, 'sourceWorkflowId') };
    }
    // A removed row ended; whoever opened its successor on the next day ended it.
    const ended = c.section === 'shareRegister' ? text(c.before, 'disposedOn') : nextDay(text(c.before, 'validTo'));
    const successor = added.find((a) => a.section === c.section && text(a.after, c.section === 'shareRegister' ? 'acquiredOn' : 'validFrom') === ended && succeeds(c.section, c.before, a.after));
    return { ...c, on: ended, workflowId: successor ? text(successor.after, 'sourceWorkflowId') : null };
  });
}

function nextDay(day: string | null): string | null {
  return day === null ? null : dayAfter(day);
}

/** The added row takes the removed row's place: the same municipality, or a share range within the removed one. */
function succeeds(section: string, before: Entity, after: Entity): boolean {
  if (section === 'serviceAreas') return text(before, 'municipalityId') === text(after, 'municipalityId');
  if (section === 'shareRegister') {
    return text(before, 'companyId') === text(after, 'companyId') && num(after, 'firstNo') >= num(before, 'firstNo') && num(after, 'lastNo') <= num(before, 'lastNo');
  }
  return false;
}

function organisationAuthor(c: StateChange, authors: OrganisationAuthors): { on: string | null; workflowId: string | null } {
  const { before, after } = sides(c);
  if (c.op === 'added') {
    const on = text(after, 'validFrom');
    const by = authors.receivers.find((r) => r.createdCentre && r.centreId === c.key && r.effectiveDate === on);
    return { on, workflowId: by?.workflowId ?? null };
  }
  if (c.op === 'removed') {
    const on = nextDay(text(before, 'validTo'));
    const record = authors.ended.find((e) => e.businessId === c.key);
    const receiver = authors.receivers.find((r) => r.centreId === text(before, 'mergedInto') && r.effectiveDate === on);
    return { on, workflowId: record?.workflowId ?? receiver?.workflowId ?? null };
  }
  return { on: null, workflowId: null };
}

/** The change names the organisation in any row it touches (before or after). */
export function involves(c: StateChange, businessId: string): boolean {
  const { before, after } = sides(c);
  const keyNames = c.section === 'organisations' && c.key === businessId;
  return keyNames || ORGANISATION_FIELDS.some((f) => text(before, f) === businessId || text(after, f) === businessId);
}

/** The decision behind a change on `on`: the workflow's last decision on or before that day (its last one when the day is unknown). */
export function decisionBehind(w: WorkflowRef, on: string | null): DecisionRef | null {
  const before = on === null ? w.decisions : w.decisions.filter((d) => helsinkiDate(d.decidedAt) <= on);
  return before[before.length - 1] ?? null;
}

/** Each change with its workflow's title and kind and the decision behind it. */
export function attribute(changes: readonly RegistryChange[], workflows: readonly WorkflowRef[]): AttributedRegistryChange[] {
  return changes.map((c) => {
    const w = c.workflowId === null ? undefined : workflows.find((x) => x.workflowId === c.workflowId);
    if (!w) return { ...c, workflow: null, decision: null };
    const { decisions: _decisions, ...workflow } = w;
    return { ...c, workflow, decision: decisionBehind(w, c.on) };
  });
}
