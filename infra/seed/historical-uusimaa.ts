/**
 * The Uusimaa consolidation as it really happened, for POST /api/historical-records: Verso's Itä-Uusimaa
 * operations moved to Socca (hosted with HUS) from 2023-01-01 by transfer of undertaking, after the
 * decision chain Verso's board 2022-10-14 → the joint municipal authority's board 2022-11-08 → its
 * council 2022-11-30 → the HUS board 2022-12-14 (the final one), and Socca's area became all of
 * Uusimaa: Sosiaalitaito's Keski- and Länsi-Uusimaa municipalities too. No decision date of
 * Sosiaalitaito's own is on record here, so none is invented; Verso and Sosiaalitaito are not ended
 * (Verso continues in Päijät-Häme).
 *
 * Sources: DOMAIN.md, "Facts checked against public records" (What happened in Uusimaa; Uusimaa
 * municipalities by wellbeing services county), and Socca's announcement of 2022-04-25 "Uudenmaan
 * sosiaalialan osaamiskeskustoiminnan yhteistyötä tiivistetään vuonna 2022" (shared/seeds/002).
 * The dates and which centre served which municipality are real; the business IDs are the demo registry's.
 *
 * NOT loaded by the demo seed: the demo launches the same consolidation for the next 1 January
 * (demo-consolidation.ts), which needs Verso still serving Itä-Uusimaa. Record it where that demo is
 * not run: POST this body as an admin (the integration test does).
 */
import type { HistoricalRecordInput } from '../../libs/domain/historical-record';
import {
  HUS_BUSINESS_ID, ITA_UUSIMAA_MUNICIPALITY_IDS, SOCCA_BUSINESS_ID, SOSIAALITAITO_BUSINESS_ID, SOSIAALITAITO_MUNICIPALITY_IDS, VERSO_BUSINESS_ID,
} from './demo-consolidation';

export const UUSIMAA_2023_SOURCE =
  'DOMAIN.md, Facts checked against public records: What happened in Uusimaa (decision chain and effective date); ' +
  'Socca 2022-04-25, "Uudenmaan sosiaalialan osaamiskeskustoiminnan yhteistyötä tiivistetään vuonna 2022" ' +
  '(Socca in the metropolitan area, Sosiaalitaito in Keski- and Länsi-Uusimaa, part of Verso in Itä-Uusimaa; merger studied from the start of 2023)';

export const UUSIMAA_2023_EFFECTIVE = '2023-01-01';

/** The body of POST /api/historical-records for the 2023 Uusimaa consolidation. */
export function uusimaa2023Record(): HistoricalRecordInput {
  return {
    kind: 'consolidation',
    businessKey: 'consolidation:uusimaa-2023',
    title: 'Uusimaa centres of expertise: Verso’s Itä-Uusimaa operations to Socca (2023)',
    effectiveDate: UUSIMAA_2023_EFFECTIVE,
    organisations: [SOCCA_BUSINESS_ID, SOSIAALITAITO_BUSINESS_ID, VERSO_BUSINESS_ID, HUS_BUSINESS_ID],
    decisions: [
      { body: 'Verso board', party: VERSO_BUSINESS_ID, decidedOn: '2022-10-14' },
      { body: 'Joint municipal authority board', party: VERSO_BUSINESS_ID, decidedOn: '2022-11-08' },
      { body: 'Joint municipal authority council', party: VERSO_BUSINESS_ID, decidedOn: '2022-11-30' },
      { body: 'HUS board', party: HUS_BUSINESS_ID, decidedOn: '2022-12-14' },
    ],
    changes: [
      ...ITA_UUSIMAA_MUNICIPALITY_IDS.map((municipality) => ({
        type: 'serviceArea.moved' as const, municipality, fromCentre: VERSO_BUSINESS_ID, toCentre: SOCCA_BUSINESS_ID,
      })),
      ...SOSIAALITAITO_MUNICIPALITY_IDS.map((municipality) => ({
        type: 'serviceArea.moved' as const, municipality, fromCentre: SOSIAALITAITO_BUSINESS_ID, toCentre: SOCCA_BUSINESS_ID,
      })),
    ],
    source: UUSIMAA_2023_SOURCE,
  };
}
