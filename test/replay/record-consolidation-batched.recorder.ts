import { randomUUID } from 'node:crypto';
import {
  HAME_ELY_BUSINESS_ID, SOSIAALITAITO_BUSINESS_ID, STM_BUSINESS_ID, effectiveDateAfter, uusimaaConsolidationInput,
} from '../../infra/seed/demo-consolidation';
import { ConsolidationItemsRepository } from '../../libs/db/repositories/consolidation-items.repository';
import { consolidationInputSchema } from '../../libs/domain/consolidation';
import type { Actor } from '../../libs/domain/progress';
import type { ConsolidationResult } from '../../workflows/consolidation/consolidate-centres.workflow';
import { cancelUpdate, decideUpdate, progressQuery } from '../../workflows/kit/messages';
import { eventually } from '../support/harness';
import { studyAndDecide } from '../support/consolidation-run';
import { startConsolidationRecording, writeConsolidationFixtures } from './recording-env';

/**
 * Records test/replay/fixtures/consolidation-batched-cancelled.json (and consolidation-batched-transfer-<n>.json,
 * its children): the Uusimaa consolidation on the batched path (patch `batched-transfers`), Sosiaalitaito's
 * staff from an uploaded item list of 2,500 (three batches), the funders' consents, then a cancel while
 * waiting for the effective date that undoes every transfer in batches. The older consolidation fixtures keep
 * guarding the item-by-item path. Only on request:
 *   npm run record:histories -- test/replay/record-consolidation-batched.recorder.ts
 */
const RECORD = process.env.FUUSIO_RECORD_HISTORIES === '1';
const CLERK: Actor = { name: 'history-recorder', role: 'admin' };
const LISTED = Array.from({ length: 2_500 }, (_, i) => `STAITO-R-${String(i + 1).padStart(4, '0')}`);

const recordOrSkip = RECORD ? test : test.skip;

recordOrSkip(
  RECORD
    ? 'records the batched consolidation replay fixture from a real run'
    : 'recording the batched consolidation fixture is off; re-record with: npm run record:histories -- test/replay/record-consolidation-batched.recorder.ts',
  async () => {
    const { env, db, worker, taskQueue, close } = await startConsolidationRecording();
    try {
      await db.pool.query(
        `INSERT INTO centre_holdings (kind, ref, organisation_id, valid_from) SELECT 'staff', ref, $1, '2020-01-01' FROM unnest($2::text[]) AS ref`,
        [SOSIAALITAITO_BUSINESS_ID, LISTED],
      );
      const list = await new ConsolidationItemsRepository().createList(db.pool, {
        id: randomUUID(), organisationId: null, uploadedBy: 'history-recorder', rows: LISTED.map((ref, n) => ({ line: n + 2, kind: 'staff', ref, counterpartyId: null })),
      });
      const base = uusimaaConsolidationInput(effectiveDateAfter(new Date(await env.currentTimeMs()), 120));
      const input = consolidationInputSchema.parse({
        ...base,
        parties: base.parties.map((p) => (p.businessId === SOSIAALITAITO_BUSINESS_ID ? { ...p, itemList: list.id } : p)),
      });
      const { handle, result } = await worker.runUntil(async () => {
        const h = await env.client.workflow.start('consolidateCentres', { taskQueue, workflowId: `consolidation:${input.slug}`, args: [input] });
        const at = (stage: string) => eventually(async () => ((await h.query(progressQuery)).stage === stage ? true : undefined), 60_000, stage);
        await studyAndDecide(h, CLERK);
        await at('transfers');
        await eventually(async () => ((await h.query(progressQuery)).pendingApprovals.length === 3 ? true : undefined), 60_000, 'consent gates');
        for (const [gate, party, decision] of [
          ['consent/S21901', HAME_ELY_BUSINESS_ID, 'approve'], ['consent/S21902', HAME_ELY_BUSINESS_ID, 'approve'], ['consent/S21903', STM_BUSINESS_ID, 'reject'],
        ] as const) {
          await h.executeUpdate(decideUpdate, { args: [{ gate, party, decision, actor: CLERK }] });
        }
        await at('effective');
        await h.executeUpdate(cancelUpdate, { args: [{ reason: 'recorded cancel', actor: CLERK }] });
        return { handle: h, result: (await h.result()) as ConsolidationResult };
      });
      // 2,500 listed and 7 inline staff, 3 agreements, 2 consented projects and a refused one kept.
      expect([result.status, result.undone]).toEqual(['cancelled', 2_500 + 7 + 3 + 3]);
      const parent = await handle.fetchHistory();
      const markers = (parent.events ?? []).filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch');
      expect(markers.length).toBeGreaterThanOrEqual(1);
      await writeConsolidationFixtures(env, parent, 'consolidation-batched-cancelled', 'consolidation-batched-transfer');
    } finally {
      await close();
    }
  },
  300_000,
);
