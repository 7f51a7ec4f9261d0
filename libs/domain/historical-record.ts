/**
 * A process that happened before Fuusio, recorded afterwards by an admin: its real decisions (body,
 * party, date), its effective date and the registry changes it made. It is stored as an imported,
 * completed run whose audit events carry the real dates, so "state at" and the registry's as-of reads
 * answer for the days before and after it. Pure: the schema and the run snapshots the import writes.
 */
import { z } from 'zod';
import { dayBefore } from './duration';
import { helsinkiDayStartMs } from './helsinki-time';
import type { ApprovalView, ProgressSnapshot, StageView, StepView } from './progress';
import { businessIdSchema, isoDateSchema } from './schemas';

const holdingRefSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9/-]{1,79}$/, 'must be a reference such as "VERSO-S-101" or "S21901"');

export const historicalChangeSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('serviceArea.moved'),
    municipality: businessIdSchema,
    fromCentre: businessIdSchema,
    toCentre: businessIdSchema,
  }),
  z.object({
    type: z.literal('holding.moved'),
    kind: z.enum(['staff', 'project', 'agreement']),
    ref: holdingRefSchema,
    fromOrganisation: businessIdSchema,
    toOrganisation: businessIdSchema,
  }),
  z.object({
    type: z.literal('shares.transferred'),
    company: businessIdSchema,
    fromHolder: businessIdSchema,
    toHolder: businessIdSchema,
  }),
  z.object({
    type: z.literal('organisation.ended'),
    businessId: businessIdSchema,
    mergedInto: businessIdSchema.optional(),
  }),
], { error: 'must be a change of type serviceArea.moved, holding.moved, shares.transferred or organisation.ended' });
export type HistoricalChange = z.infer<typeof historicalChangeSchema>;

export const historicalDecisionSchema = z.object({
  body: z.string().trim().min(2).max(200).describe('the deciding body, e.g. "HUS board"'),
  party: businessIdSchema.describe('the organisation whose body decided'),
  decidedOn: isoDateSchema,
  reference: z.string().trim().min(1).max(300).optional().describe('the minutes or decision number'),
});
export type HistoricalDecision = z.infer<typeof historicalDecisionSchema>;

export const historicalRecordSchema = z
  .object({
    kind: z.enum(['consolidation', 'shareholding-merger', 'onboarding']),
    title: z.string().trim().min(3).max(200),
    businessKey: z.string().trim().min(3).max(200).regex(/^[a-z0-9][a-z0-9:._-]*$/, 'must be lower-case letters, digits and : . _ -'),
    effectiveDate: isoDateSchema,
    organisations: z.array(businessIdSchema).min(1).max(50),
    decisions: z.array(historicalDecisionSchema).min(1).max(50),
    changes: z.array(historicalChangeSchema).max(500),
    source: z.string().trim().min(3).max(2000).describe('the public document the facts come from'),
  })
  .superRefine((r, ctx) => {
    r.decisions.forEach((d, i) => {
      // Strictly before: the changes take effect at the first moment of the effective day.
      if (d.decidedOn >= r.effectiveDate) {
        ctx.addIssue({ code: 'custom', path: ['decisions', i, 'decidedOn'], message: `must be before the effective date ${r.effectiveDate}` });
      }
      if (!r.organisations.includes(d.party)) {
        ctx.addIssue({ code: 'custom', path: ['decisions', i, 'party'], message: 'must be one of the organisations' });
      }
    });
  });
export type HistoricalRecordInput = z.infer<typeof historicalRecordSchema>;

/** The workflow id an imported record lives under: never one a launch could take (launches use the business key). */
export function historicalWorkflowId(businessKey: string): string {
  return `imported:${businessKey}`;
}

/** A historical record answers only for the past: its effective date and decisions must lie before today. */
export function notYetHappened(r: Pick<HistoricalRecordInput, 'effectiveDate'>, today: string): boolean {
  return r.effectiveDate >= today;
}

const gateOf = (i: number) => `decision-${i + 1}`;
/** A decision is dated by its day; it is placed at Helsinki noon of that day. */
const decidedAt = (day: string) => new Date(helsinkiDayStartMs(day) + 12 * 3_600_000).toISOString();

/** One tracked write of the import, at the moment it really happened. */
export type HistoricalTrackStep = { key: string; action: string; occurredAt: string; run: ProgressSnapshot; steps: StepView[]; approvals: ApprovalView[] };

/**
 * The tracked writes that replay the process on its real dates: each decision on its day (the run
 * waiting for the next), then the effective date (the run completed). Oldest first.
 */
export function historicalTrack(r: HistoricalRecordInput, workflowId: string): HistoricalTrackStep[] {
  const decisions = [...r.decisions].map((d, i) => ({ d, i })).sort((a, b) => (a.d.decidedOn < b.d.decidedOn ? -1 : a.d.decidedOn > b.d.decidedOn ? 1 : a.i - b.i));
  const first = decisions[0]!.d.decidedOn;
  const approval = (d: HistoricalDecision, i: number): ApprovalView => ({
    gate: gateOf(i), party: d.party, body: d.body, status: 'approved', dueAt: null,
    decidedAt: decidedAt(d.decidedOn), decidedBy: d.body, reference: d.reference ?? null,
  });
  const stages = (decided: boolean, effective: boolean, at: string): StageView[] => [
    { key: 'decisions', title: 'Decisions', status: decided ? 'done' : 'running', startedAt: decidedAt(first), finishedAt: decided ? at : null },
    { key: 'effective', title: `Effective ${r.effectiveDate}`, status: effective ? 'done' : decided ? 'running' : 'pending', startedAt: decided ? at : null, finishedAt: effective ? at : null },
  ];
  const snapshot = (p: Pick<ProgressSnapshot, 'status' | 'stage' | 'percent' | 'waitingFor' | 'stages'>): ProgressSnapshot => ({
    workflowId, kind: r.kind, businessKey: r.businessKey, title: r.title, organisations: [...r.organisations].sort(),
    nextDeadline: null, startedAt: decidedAt(first), result: null, failure: null, ...p,
  });
  const out: HistoricalTrackStep[] = decisions.map(({ d, i }, n) => {
    const last = n === decisions.length - 1;
    const at = decidedAt(d.decidedOn);
    const next = decisions[n + 1];
    return {
      key: `imported:decision:${i + 1}`,
      action: 'historical.decision-recorded',
      occurredAt: at,
      run: snapshot({
        status: 'running', stage: last ? 'effective' : 'decisions', percent: Math.round(((n + 1) / (decisions.length + 1)) * 100),
        waitingFor: next ? [next.d.body] : [`effective date ${r.effectiveDate}`], stages: stages(last, false, at),
      }),
      steps: [],
      // Only the decision made: a pending approval would open (and notify) a decision that was taken long ago.
      approvals: [approval(d, i)],
    };
  });
  // In effect from the first moment of the effective Helsinki day.
  const effectiveAt = new Date(helsinkiDayStartMs(r.effectiveDate)).toISOString();
  out.push({
    key: 'imported:effective',
    action: 'historical.effective',
    occurredAt: effectiveAt,
    run: { ...snapshot({ status: 'completed', stage: 'effective', percent: 100, waitingFor: [], stages: stages(true, true, effectiveAt) }), result: { imported: true, effectiveDate: r.effectiveDate, changes: r.changes.length } },
    steps: [{ key: 'registry-changes', stage: 'effective', title: 'Registry changes in effect', status: 'done', startedAt: effectiveAt, finishedAt: effectiveAt, detail: { changes: r.changes.length, dayBefore: dayBefore(r.effectiveDate) } }],
    approvals: [],
  });
  return out;
}
