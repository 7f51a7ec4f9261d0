import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Search attributes Fuusio registers in every namespace it uses, so Temporal itself can list by them. */
export const FuusioKind = defineSearchAttributeKey('FuusioKind', SearchAttributeType.KEYWORD);
export const FuusioStage = defineSearchAttributeKey('FuusioStage', SearchAttributeType.KEYWORD);
export const FuusioStatus = defineSearchAttributeKey('FuusioStatus', SearchAttributeType.KEYWORD);
export const FuusioOrgs = defineSearchAttributeKey('FuusioOrgs', SearchAttributeType.KEYWORD_LIST);

/** Name → CLI type, as `temporal operator search-attribute create` and `start-dev --search-attribute` take them. */
export const SEARCH_ATTRIBUTE_DEFINITIONS: Readonly<Record<string, 'Keyword' | 'KeywordList'>> = {
  FuusioKind: 'Keyword',
  FuusioStage: 'Keyword',
  FuusioStatus: 'Keyword',
  FuusioOrgs: 'KeywordList',
};
