import { ApplicationFailure, condition, setHandler } from '@temporalio/workflow';
import type { Actor } from '../../libs/domain/progress';
import { REFUSAL, cancelUpdate } from './messages';
import type { Progress } from './progress';

/**
 * Cancellation by an administrator: the update is accepted until the workflow passes its point of no
 * return (`commit()`), and answers once the cancelled state is in the projection.
 */
export class Cancellation {
  private request?: { reason: string; actor: Actor };
  private committed = false;

  constructor(progress: Progress, noReturnMessage: string) {
    setHandler(
      cancelUpdate,
      async (c) => {
        this.request = c;
        await condition(() => progress.isRecordedFinal);
        return progress.view();
      },
      {
        validator: (_request) => {
          if (progress.isFinal) throw ApplicationFailure.create({ type: REFUSAL.closed, message: 'the workflow has already ended' });
          if (this.request) throw ApplicationFailure.create({ type: REFUSAL.closed, message: 'a cancellation is already under way' });
          if (this.committed) throw ApplicationFailure.create({ type: REFUSAL.pointOfNoReturn, message: noReturnMessage });
        },
      },
    );
  }

  /** The cancel request, once one has been accepted. */
  get requested(): { reason: string; actor: Actor } | undefined {
    return this.request;
  }

  /** Call right after the last check of `requested`: from here on the workflow goes through to its end. */
  commit(): void {
    this.committed = true;
  }
}
