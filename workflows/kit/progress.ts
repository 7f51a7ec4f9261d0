import { log, patched, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type * as tracking from '../../activities/tracking/tracking.activities';
import type { ApprovalView, ProgressSnapshot, RunStatus, StageView, StepView } from '../../libs/domain/progress';
import type { ProgressView } from './messages';
import { publishSearchAttributes } from './search-attributes';

type TrackingActivities = ReturnType<typeof tracking.createTrackingActivities>;

// Tracking retries without a bound: it is what records every end, a failed one included.
const { track } = proxyActivities<TrackingActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 ms', maximumInterval: '30 seconds' },
});

export type StageDefinition = { key: string; title: string };
export type ProgressMeta = { kind: string; businessKey: string; title: string; organisations: string[] };

const FINAL_STATUSES: RunStatus[] = ['completed', 'rejected', 'expired', 'cancelled', 'failed'];

/**
 * Search attributes are upserted only when the stage or status changes (each upsert is a history event
 * and a visibility write). Histories from before this change upserted on every write and replay that way.
 */
const UPSERT_ON_CHANGE = 'search-attributes-on-change';

/**
 * Everything the projection knows about a run, as plain data, so a workflow that continues as new can
 * hand it to its next run (`state()`, then `new Progress(meta, stages, carried)`).
 */
export type ProgressState = {
  stages: StageView[];
  steps: StepView[];
  approvals: ApprovalView[];
  status: RunStatus;
  current: string;
  waitingFor: string[];
  nextDeadline: string | null;
  result: Record<string, unknown> | null;
  failure: string | null;
  startedAt: string;
  /** How many tracking writes the workflow has made: part of each write's key, so it must carry over runs. */
  writes: number;
};

function nowIso(): string {
  return new Date(Date.now()).toISOString();
}

/** The Progress of this workflow run (module state is per run in the workflow sandbox). */
let active: Progress | undefined;

export function activeProgress(): Progress | undefined {
  return active;
}

/**
 * The workflow's own record of where it stands. Every change goes through one tracking activity,
 * which writes the projection and the audit event together.
 */
export class Progress {
  private readonly s: ProgressState;
  // Writes go out one after another, so the projection never ends on an older snapshot than the last.
  private lastWrite: Promise<unknown> = Promise.resolve();
  private recordedFinal = false;
  /** The stage and status last published to Temporal's search attributes in this run. */
  private published: string | null = null;

  constructor(private readonly meta: ProgressMeta, stages: StageDefinition[], carried?: ProgressState) {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the run's one Progress, for recordingUnplannedEnd
    active = this;
    this.s = carried
      ? copyOf(carried)
      : {
        stages: stages.map((x) => ({ ...x, status: 'pending', startedAt: null, finishedAt: null })),
        steps: [], approvals: [], status: 'running', current: stages[0]?.key ?? 'started', waitingFor: [], nextDeadline: null,
        result: null, failure: null, startedAt: nowIso(), writes: 0,
      };
  }

  /** The state to carry into the next run over continueAsNew. */
  state(): ProgressState {
    return copyOf(this.s);
  }

  setMeta(patch: Partial<Pick<ProgressMeta, 'title'>>): void {
    if (patch.title) this.meta.title = patch.title;
  }

  get isFinal(): boolean {
    return FINAL_STATUSES.includes(this.s.status);
  }

  /** True once the final state is written to the projection, so readers of the database see it too. */
  get isRecordedFinal(): boolean {
    return this.recordedFinal;
  }

  get stage(): string {
    return this.s.current;
  }

  get nextDeadline(): string | null {
    return this.s.nextDeadline;
  }

  get waitingFor(): string[] {
    return [...this.s.waitingFor];
  }

  snapshot(): ProgressSnapshot {
    const s = this.s;
    const done = s.stages.filter((x) => x.status === 'done' || x.status === 'skipped').length;
    return {
      workflowId: workflowInfo().workflowId,
      kind: this.meta.kind,
      businessKey: this.meta.businessKey,
      title: this.meta.title,
      status: s.status,
      stage: s.current,
      percent: s.status === 'completed' ? 100 : Math.floor((done * 100) / Math.max(1, s.stages.length)),
      organisations: this.meta.organisations,
      waitingFor: [...s.waitingFor],
      nextDeadline: s.nextDeadline,
      stages: s.stages.map((x) => ({ ...x })),
      startedAt: s.startedAt,
      result: s.result,
      failure: s.failure,
    };
  }

  view(): ProgressView {
    return {
      ...this.snapshot(),
      steps: this.s.steps.map((x) => ({ ...x })),
      pendingApprovals: this.s.approvals.filter((a) => a.status === 'pending').map((a) => ({ ...a })),
    };
  }

  /** Starts a stage; approvals it opens are recorded in the same write, so no view shows one without the other. */
  async enterStage(
    key: string,
    opts: { waitingFor?: string[]; deadline?: string | null; actor?: string; approvals?: ApprovalView[] } = {},
  ): Promise<void> {
    const stage = this.stageView(key);
    this.s.current = key;
    stage.status = 'running';
    stage.startedAt = nowIso();
    if (opts.deadline) stage.plannedAt = opts.deadline;
    this.s.waitingFor = opts.waitingFor ?? [];
    this.s.nextDeadline = opts.deadline ?? null;
    for (const a of opts.approvals ?? []) this.putApproval(a);
    await this.write(`stage.${key}.started`, opts.actor, opts.approvals ? { approvals: opts.approvals } : {});
  }

  async completeStage(key: string, details?: Record<string, unknown>, actor?: string): Promise<void> {
    const stage = this.stageView(key);
    stage.status = 'done';
    stage.finishedAt = nowIso();
    this.s.waitingFor = [];
    this.s.nextDeadline = null;
    await this.write(`stage.${key}.completed`, actor, { details });
  }

  /** Ends the run; the current stage is marked failed unless the run completed. */
  async finish(
    status: Exclude<RunStatus, 'running'>,
    opts: { result?: Record<string, unknown>; reason?: string; actor?: string } = {},
  ): Promise<void> {
    const s = this.s;
    s.status = status;
    if (status !== 'completed') {
      const stage = this.stageView(s.current);
      if (stage.status === 'running') {
        stage.status = 'failed';
        stage.finishedAt = nowIso();
      }
    }
    s.result = opts.result ?? null;
    s.failure = opts.reason ?? null;
    s.waitingFor = [];
    s.nextDeadline = null;
    for (const a of s.approvals) if (a.status === 'pending') a.status = 'withdrawn';
    await this.write(`workflow.${status}`, opts.actor, {
      approvals: s.approvals.map((a) => ({ ...a })),
      details: { ...(opts.reason ? { reason: opts.reason } : {}), ...(opts.result ? { result: opts.result } : {}) },
    });
    this.recordedFinal = true;
  }

  async recordStep(step: Omit<StepView, 'stage'> & { stage?: string }, actor?: string, details?: Record<string, unknown>): Promise<void> {
    const full: StepView = { ...step, stage: step.stage ?? this.s.current };
    const at = this.s.steps.findIndex((x) => x.key === full.key);
    if (at >= 0) this.s.steps[at] = full;
    else this.s.steps.push(full);
    await this.write(`step.${full.key}.${full.status}`, actor, { steps: [full], details });
  }

  async recordApprovals(approvals: ApprovalView[], action: string, actor?: string, details?: Record<string, unknown>): Promise<void> {
    for (const a of approvals) this.putApproval(a);
    await this.write(action, actor, { approvals, details });
  }

  /** Changes what the run waits for (shown with the next write); true when that differs from what it waited for. */
  setWaiting(waitingFor: string[], deadline: string | null = this.s.nextDeadline): boolean {
    const changed = deadline !== this.s.nextDeadline || waitingFor.join('\n') !== this.s.waitingFor.join('\n');
    this.s.waitingFor = waitingFor;
    this.s.nextDeadline = deadline;
    return changed;
  }

  /** Writes the snapshot as it stands (e.g. after setWaiting) under an action of its own. */
  async note(action: string, details?: Record<string, unknown>): Promise<void> {
    await this.write(action, undefined, { details });
  }

  private putApproval(a: ApprovalView): void {
    const at = this.s.approvals.findIndex((x) => x.gate === a.gate && x.party === a.party);
    if (at >= 0) this.s.approvals[at] = { ...a };
    else this.s.approvals.push({ ...a });
  }

  private stageView(key: string): StageView {
    const stage = this.s.stages.find((x) => x.key === key);
    if (!stage) throw new Error(`unknown stage ${key}`);
    return stage;
  }

  private async write(
    action: string,
    actor = 'system:fuusio',
    extra: { steps?: StepView[]; approvals?: ApprovalView[]; details?: Record<string, unknown> } = {},
  ): Promise<void> {
    this.s.writes += 1;
    const searchable = `${this.s.current}\n${this.s.status}`;
    if (searchable !== this.published || !patched(UPSERT_ON_CHANGE)) {
      publishSearchAttributes({ stage: this.s.current, status: this.s.status });
      this.published = searchable;
    }
    const details = extra.details && Object.keys(extra.details).length > 0 ? extra.details : undefined;
    const request = {
      key: `${this.s.writes}:${action}`,
      action,
      actor,
      run: this.snapshot(),
      ...(extra.steps ? { steps: extra.steps } : {}),
      ...(extra.approvals ? { approvals: extra.approvals } : {}),
      ...(details ? { details } : {}),
    };
    // The SDK adds workflowId and runId to this line, and drops it during replay.
    log.info(action, { stage: this.s.current, status: this.s.status, actor });
    const write = this.lastWrite.then(() => track(request));
    this.lastWrite = write.catch(() => undefined);
    await write;
  }
}

function copyOf<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}
