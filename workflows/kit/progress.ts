import { log, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type * as tracking from '../../activities/tracking/tracking.activities';
import type { ApprovalView, ProgressSnapshot, RunStatus, StageView, StepView } from '../../libs/domain/progress';
import type { ProgressView } from './messages';
import { publishSearchAttributes } from './search-attributes';

type TrackingActivities = ReturnType<typeof tracking.createTrackingActivities>;

const { track } = proxyActivities<TrackingActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 ms', maximumInterval: '30 seconds' },
});

export type StageDefinition = { key: string; title: string };
export type ProgressMeta = { kind: string; businessKey: string; title: string; organisations: string[] };

const FINAL_STATUSES: RunStatus[] = ['completed', 'rejected', 'expired', 'cancelled', 'failed'];

function nowIso(): string {
  return new Date(Date.now()).toISOString();
}

/**
 * The workflow's own record of where it stands. Every change goes through one tracking activity,
 * which writes the projection and the audit event together.
 */
export class Progress {
  private readonly stages: StageView[];
  private readonly steps = new Map<string, StepView>();
  private readonly approvals = new Map<string, ApprovalView>();
  private status: RunStatus = 'running';
  private current: string;
  private waitingFor: string[] = [];
  private nextDeadline: string | null = null;
  private result: Record<string, unknown> | null = null;
  private failure: string | null = null;
  private readonly startedAt = nowIso();
  private writes = 0;
  // Writes go out one after another, so the projection never ends on an older snapshot than the last.
  private lastWrite: Promise<unknown> = Promise.resolve();
  private recordedFinal = false;

  constructor(private readonly meta: ProgressMeta, stages: StageDefinition[]) {
    this.stages = stages.map((s) => ({ ...s, status: 'pending', startedAt: null, finishedAt: null }));
    this.current = stages[0]?.key ?? 'started';
  }

  get isFinal(): boolean {
    return FINAL_STATUSES.includes(this.status);
  }

  /** True once the final state is written to the projection, so readers of the database see it too. */
  get isRecordedFinal(): boolean {
    return this.recordedFinal;
  }

  get stage(): string {
    return this.current;
  }

  snapshot(): ProgressSnapshot {
    const done = this.stages.filter((s) => s.status === 'done' || s.status === 'skipped').length;
    return {
      workflowId: workflowInfo().workflowId,
      kind: this.meta.kind,
      businessKey: this.meta.businessKey,
      title: this.meta.title,
      status: this.status,
      stage: this.current,
      percent: this.status === 'completed' ? 100 : Math.floor((done * 100) / Math.max(1, this.stages.length)),
      organisations: this.meta.organisations,
      waitingFor: this.waitingFor,
      nextDeadline: this.nextDeadline,
      stages: this.stages.map((s) => ({ ...s })),
      startedAt: this.startedAt,
      result: this.result,
      failure: this.failure,
    };
  }

  view(): ProgressView {
    return {
      ...this.snapshot(),
      steps: [...this.steps.values()],
      pendingApprovals: [...this.approvals.values()].filter((a) => a.status === 'pending'),
    };
  }

  /** Starts a stage; approvals it opens are recorded in the same write, so no view shows one without the other. */
  async enterStage(
    key: string,
    opts: { waitingFor?: string[]; deadline?: string | null; actor?: string; approvals?: ApprovalView[] } = {},
  ): Promise<void> {
    const stage = this.stageView(key);
    this.current = key;
    stage.status = 'running';
    stage.startedAt = nowIso();
    if (opts.deadline) stage.plannedAt = opts.deadline;
    this.waitingFor = opts.waitingFor ?? [];
    this.nextDeadline = opts.deadline ?? null;
    for (const a of opts.approvals ?? []) this.approvals.set(`${a.gate}/${a.party}`, a);
    await this.write(`stage.${key}.started`, opts.actor, opts.approvals ? { approvals: opts.approvals } : {});
  }

  async completeStage(key: string, details?: Record<string, unknown>, actor?: string): Promise<void> {
    const stage = this.stageView(key);
    stage.status = 'done';
    stage.finishedAt = nowIso();
    this.waitingFor = [];
    this.nextDeadline = null;
    await this.write(`stage.${key}.completed`, actor, { details });
  }

  /** Ends the run; the current stage is marked failed unless the run completed. */
  async finish(
    status: Exclude<RunStatus, 'running'>,
    opts: { result?: Record<string, unknown>; reason?: string; actor?: string } = {},
  ): Promise<void> {
    this.status = status;
    if (status !== 'completed') {
      const stage = this.stageView(this.current);
      if (stage.status === 'running') {
        stage.status = 'failed';
        stage.finishedAt = nowIso();
      }
    }
    this.result = opts.result ?? null;
    this.failure = opts.reason ?? null;
    this.waitingFor = [];
    this.nextDeadline = null;
    for (const a of this.approvals.values()) if (a.status === 'pending') a.status = 'withdrawn';
    await this.write(`workflow.${status}`, opts.actor, {
      approvals: [...this.approvals.values()],
      details: { ...(opts.reason ? { reason: opts.reason } : {}), ...(opts.result ? { result: opts.result } : {}) },
    });
    this.recordedFinal = true;
  }

  async recordStep(step: Omit<StepView, 'stage'> & { stage?: string }, actor?: string, details?: Record<string, unknown>): Promise<void> {
    const full: StepView = { ...step, stage: step.stage ?? this.current };
    this.steps.set(full.key, full);
    await this.write(`step.${full.key}.${full.status}`, actor, { steps: [full], details });
  }

  async recordApprovals(approvals: ApprovalView[], action: string, actor?: string, details?: Record<string, unknown>): Promise<void> {
    for (const a of approvals) this.approvals.set(`${a.gate}/${a.party}`, a);
    await this.write(action, actor, { approvals, details });
  }

  setWaiting(waitingFor: string[], deadline: string | null = this.nextDeadline): void {
    this.waitingFor = waitingFor;
    this.nextDeadline = deadline;
  }

  private stageView(key: string): StageView {
    const stage = this.stages.find((s) => s.key === key);
    if (!stage) throw new Error(`unknown stage ${key}`);
    return stage;
  }

  private async write(
    action: string,
    actor = 'system:fuusio',
    extra: { steps?: StepView[]; approvals?: ApprovalView[]; details?: Record<string, unknown> } = {},
  ): Promise<void> {
    this.writes += 1;
    publishSearchAttributes({ stage: this.current, status: this.status });
    const details = extra.details && Object.keys(extra.details).length > 0 ? extra.details : undefined;
    const request = {
      key: `${this.writes}:${action}`,
      action,
      actor,
      run: this.snapshot(),
      ...(extra.steps ? { steps: extra.steps } : {}),
      ...(extra.approvals ? { approvals: extra.approvals } : {}),
      ...(details ? { details } : {}),
    };
    // The SDK adds workflowId and runId to this line, and drops it during replay.
    log.info(action, { stage: this.current, status: this.status, actor });
    const write = this.lastWrite.then(() => track(request));
    this.lastWrite = write.catch(() => undefined);
    await write;
  }
}
