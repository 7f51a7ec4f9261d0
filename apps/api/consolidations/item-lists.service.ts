import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { Pool } from 'pg';
import { PG_POOL } from '../../../libs/db/db.module';
import { withTransaction } from '../../../libs/db/pool';
import { ConsolidationItemsRepository, type ItemListSummary, type ItemPageRow } from '../../../libs/db/repositories/consolidation-items.repository';
import type { TokenOwner } from '../../../libs/db/repositories/token.repository';
import { CONSOLIDATION_LIMITS, type ConsolidationInput } from '../../../libs/domain/consolidation';
import { ItemListReader, itemListFormat } from '../../../libs/domain/item-list';
import { ApiError, type ErrorDetail } from '../common/api-error';
import type { ItemsQuery } from './item-answers';

/** Uploads are read line by line; this many bytes of (unzipped) body at most. */
export const ITEM_LIST_MAX_BYTES = 8 * 1024 * 1024;

export type UploadedItemList = { id: string; staff: number; agreements: number; lines: number };

/** Item lists: uploads validated row by row, what a launch may name, and the items of a run page by page. */
@Injectable()
export class ItemListsService {
  private readonly items = new ConsolidationItemsRepository();

  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /**
   * Reads an upload line by line (CSV subset or JSON lines, plain or gzipped) and stores it only when every
   * line is valid; otherwise answers 400 naming each bad line, its field and the reason, having written nothing.
   */
  async upload(body: Readable, headers: { contentType?: string; contentEncoding?: string }, user: TokenOwner): Promise<UploadedItemList> {
    const format = itemListFormat(headers.contentType);
    if (!format) {
      throw new ApiError(415, 'unsupported_media_type', 'an item list is text/csv (header kind,ref,counterparty) or application/x-ndjson (one JSON object a line)', [
        { path: '(header) content-type', message: 'must be text/csv or application/x-ndjson' },
      ]);
    }
    const reader = new ItemListReader(format);
    let bytes = 0;
    const source = (headers.contentEncoding ?? '').trim().toLowerCase() === 'gzip' ? body.pipe(createGunzip()) : body;
    source.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > ITEM_LIST_MAX_BYTES) source.destroy(ApiError.badRequest(`the item list is larger than ${ITEM_LIST_MAX_BYTES} bytes`, [{ path: '(body)', message: 'too large' }]));
    });
    try {
      for await (const line of createInterface({ input: source, crlfDelay: Infinity })) reader.add(line);
    } catch (e) {
      if (e instanceof ApiError) throw e;
      throw ApiError.badRequest('the item list could not be read (a gzip body that is not gzip?)', [{ path: '(body)', message: 'unreadable' }]);
    }
    const read = reader.finish();
    if (!read.ok) {
      const details: ErrorDetail[] = read.issues.map((i) => ({ path: `line ${i.line}: ${i.field}`, message: i.message }));
      const more = read.total > read.issues.length ? ` (the first ${read.issues.length} of ${read.total} shown)` : '';
      throw ApiError.badRequest(`the item list has ${read.total} problem(s)${more}; nothing was stored`, details);
    }
    const stored = await withTransaction(this.pool, (tx) => this.items.createList(tx, {
      id: randomUUID(), organisationId: user.organisation, uploadedBy: user.personId ?? user.name,
      rows: read.rows.map((r) => ({ line: r.line, kind: r.kind, ref: r.ref, counterpartyId: r.kind === 'agreement' ? r.counterparty : null })),
    }));
    return { id: stored.id, staff: stored.staff, agreements: stored.agreements, lines: reader.lines };
  }

  /**
   * What a launch that names item lists needs: each list exists and was uploaded in the token's scope, no
   * party exceeds its limits, the whole stays within the consolidation's, and no item is named by two parties.
   */
  async checkLaunch(input: ConsolidationInput, user: TokenOwner): Promise<void> {
    const ids = input.parties.flatMap((p) => (p.itemList ? [p.itemList] : []));
    const lists = new Map<string, ItemListSummary>((await this.items.lists(this.pool, ids)).map((l) => [l.id, l]));
    const issues: ErrorDetail[] = [];
    let total = 0;
    for (const [n, p] of input.parties.entries()) {
      const list = p.itemList ? lists.get(p.itemList) : undefined;
      if (p.itemList && (!list || (user.organisation !== null && list.organisationId !== user.organisation))) {
        issues.push({ path: `parties.${n}.itemList`, message: `item list ${p.itemList} was not found` });
        continue;
      }
      const staff = p.staff.length + (list?.staff ?? 0);
      const agreements = p.agreements.length + (list?.agreements ?? 0);
      if (staff > CONSOLIDATION_LIMITS.staffPerParty) issues.push({ path: `parties.${n}.staff`, message: `${staff} staff; at most ${CONSOLIDATION_LIMITS.staffPerParty} a party` });
      if (agreements > CONSOLIDATION_LIMITS.agreementsPerParty) {
        issues.push({ path: `parties.${n}.agreements`, message: `${agreements} agreements; at most ${CONSOLIDATION_LIMITS.agreementsPerParty} a party` });
      }
      total += staff + agreements + p.projects.length;
    }
    if (total > CONSOLIDATION_LIMITS.itemsPerConsolidation) {
      issues.push({ path: 'parties', message: `${total} items; a consolidation moves at most ${CONSOLIDATION_LIMITS.itemsPerConsolidation}` });
    }
    if (issues.length === 0 && ids.length > 0) {
      const parties = input.parties.map((p) => ({ partyId: p.businessId, staff: p.staff, agreements: p.agreements, projects: p.projects, itemList: p.itemList }));
      for (const r of await this.items.repeatedItems(this.pool, parties)) {
        issues.push({ path: `parties.${r.parties[1]}.itemList`, message: `${r.kind} ${r.ref} is also named by parties.${r.parties[0]}` });
      }
    }
    if (issues.length > 0) throw ApiError.badRequest(issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
  }

  /** A page of a consolidation's items and what happened to each (the caller checked the run is readable). */
  async page(workflowId: string, q: ItemsQuery): Promise<{ items: ItemPageRow[]; nextAfter: number | null }> {
    const items = await this.items.page(this.pool, { workflowId, partyId: q.party, kind: q.kind, status: q.status, after: q.after, limit: q.limit });
    const last = items[items.length - 1];
    return { items, nextAfter: items.length === q.limit && last ? last.position : null };
  }
}
