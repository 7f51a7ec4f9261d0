/**
 * The Uusimaa consolidation, ready to launch (DOMAIN.md, process 1): Sosiaalitaito joins whole, the
 * Itä-Uusimaa part of Verso is carved out (its seven municipalities move, Verso stays with Päijät-Häme),
 * and Socca receives them with all of Uusimaa as its area. Decisions come in the real chain: Verso's
 * board → the joint municipal authority's board → its council, then the HUS board last.
 *
 * THE EFFECTIVE DATE IS NOT 2023-01-01. The real consolidation took effect on 2023-01-01, but a launch
 * with an effective date in the past is refused (400), and the demo must run. So the demo uses the same
 * structure with the effective date on the next 1 January after today (`nextNewYear`), and the
 * business key `consolidation:uusimaa-<that year>`.
 *
 * Also seeded here (what the registry needs for a carve-out), all ILLUSTRATIVE unless said otherwise:
 * - which municipalities each Uusimaa centre serves (from DOMAIN.md's list of who served whom before
 *   2023; Verso also serves Päijät-Häme), valid from 2002-01-01 (the Act on the centres);
 * - the Päijät-Häme municipalities (demo business IDs in the 98xxxxx range) apart from Iitti, which
 *   demo-data.ts already has;
 * - populations and land areas of the Uusimaa and Päijät-Häme municipalities: ROUNDED APPROXIMATIONS
 *   for the funding arithmetic, not official statistics (DOMAIN.md gives none); set only where the
 *   registry has no figure;
 * - staff as pseudonymous references only (no names anywhere), fictional project codes and agreement
 *   references.
 */
import type { Pool } from 'pg';
import { DAY_MS, isoDate } from '../../libs/domain/duration';
import { withTransaction } from '../../libs/db/pool';
import { ConsolidationRepository } from '../../libs/db/repositories/consolidation.repository';
import { RegistryRepository } from '../../libs/db/repositories/registry.repository';
import { consolidationInputSchema, type ConsolidationInput } from '../../libs/domain/consolidation';
import { DEMO_ORGANISATIONS, THL_BUSINESS_ID, demoId, type DemoOrganisation } from './demo-data';
import { SWEDISH_NAMES } from './demo-names';

const CENTRES_ACT_IN_FORCE = '2002-01-01';

function byName(prefix: string): DemoOrganisation {
  const found = DEMO_ORGANISATIONS.find((o) => o.name.startsWith(prefix));
  if (!found) throw new Error(`demo data: no organisation named ${prefix}…`);
  return found;
}
function municipality(name: string): DemoOrganisation {
  const found = DEMO_ORGANISATIONS.find((o) => o.kind === 'municipality' && o.name === name && o.validTo === null);
  if (!found) throw new Error(`demo data: no municipality ${name}`);
  return found;
}

/** Demo business IDs for the Päijät-Häme municipalities: group 8 of demo-data.ts's demo IDs (base 98SSSS0). */
function paijatHameId(serial: number): string {
  return demoId(8, serial);
}

export const SOCCA_BUSINESS_ID = byName('Socca').businessId;
export const SOSIAALITAITO_BUSINESS_ID = byName('Sosiaalitaito').businessId;
export const VERSO_BUSINESS_ID = byName('Verso').businessId;
export const HUS_BUSINESS_ID = byName('HUS').businessId;
export const HAME_ELY_BUSINESS_ID = byName('Hämeen ELY-keskus').businessId;
const HAME_ELY = HAME_ELY_BUSINESS_ID;
export const STM_BUSINESS_ID = byName('Sosiaali- ja terveysministeriö').businessId;
const STM = STM_BUSINESS_ID;
const LAUREA = byName('Laurea').businessId;

/** Approximate population and land area (km²) per municipality: illustrative, rounded. */
const FIGURES: Record<string, [population: number, areaKm2: number]> = {
  Helsinki: [656_000, 214], Espoo: [305_000, 312], Vantaa: [240_000, 238], Kauniainen: [10_000, 6],
  Askola: [4_900, 349], Lapinjärvi: [2_600, 330], Loviisa: [14_700, 820], Myrskylä: [1_800, 201], Porvoo: [51_000, 654],
  Pukkila: [1_900, 146], Sipoo: [22_000, 339],
  Hyvinkää: [47_000, 322], Järvenpää: [45_000, 37], Mäntsälä: [21_000, 581], Nurmijärvi: [44_000, 362], Pornainen: [5_000, 147],
  Tuusula: [39_000, 219], Kerava: [38_000, 31],
  Hanko: [8_000, 117], Inkoo: [5_400, 350], Karkkila: [8_600, 243], Kirkkonummi: [41_000, 366], Lohja: [46_000, 942],
  Raasepori: [27_000, 1_146], Siuntio: [6_200, 241], Vihti: [29_000, 522],
  Iitti: [6_600, 659],
};

/** Päijät-Häme municipalities other than Iitti (illustrative figures). */
const PAIJAT_HAME: [serial: number, name: string, population: number, areaKm2: number][] = [
  [1, 'Asikkala', 8_000, 563], [2, 'Hartola', 2_800, 529], [3, 'Heinola', 18_500, 677], [4, 'Hollola', 23_500, 659],
  [5, 'Kärkölä', 4_300, 254], [6, 'Lahti', 120_000, 459], [7, 'Orimattila', 16_000, 786], [8, 'Padasjoki', 2_900, 531],
  [9, 'Sysmä', 3_600, 667],
];

export const ITA_UUSIMAA = ['Askola', 'Lapinjärvi', 'Loviisa', 'Myrskylä', 'Porvoo', 'Pukkila', 'Sipoo'];
const SOCCA_AREA = ['Helsinki', 'Espoo', 'Kauniainen', 'Vantaa'];
const SOSIAALITAITO_AREA = [
  'Hyvinkää', 'Järvenpää', 'Mäntsälä', 'Nurmijärvi', 'Pornainen', 'Tuusula', 'Kerava',
  'Hanko', 'Inkoo', 'Karkkila', 'Kirkkonummi', 'Lohja', 'Raasepori', 'Siuntio', 'Vihti',
];

export const PAIJAT_HAME_MUNICIPALITY_IDS = [...PAIJAT_HAME.map(([serial]) => paijatHameId(serial)), municipality('Iitti').businessId];
export const ITA_UUSIMAA_MUNICIPALITY_IDS = ITA_UUSIMAA.map((n) => municipality(n).businessId);
export const SOSIAALITAITO_MUNICIPALITY_IDS = SOSIAALITAITO_AREA.map((n) => municipality(n).businessId);

/** Who holds what before the consolidation: pseudonymous staff, fictional projects and agreements. */
const HOLDINGS: { organisationId: string; kind: 'staff' | 'project' | 'agreement'; ref: string; counterpartyId?: string }[] = [
  ...['VERSO-S-101', 'VERSO-S-102', 'VERSO-S-103'].map((ref) => ({ organisationId: VERSO_BUSINESS_ID, kind: 'staff' as const, ref })),
  // Verso staff who stay in Päijät-Häme: not named in the launch, so they do not move.
  ...['VERSO-S-201', 'VERSO-S-202'].map((ref) => ({ organisationId: VERSO_BUSINESS_ID, kind: 'staff' as const, ref })),
  ...['STAITO-S-001', 'STAITO-S-002', 'STAITO-S-003', 'STAITO-S-004'].map((ref) => ({ organisationId: SOSIAALITAITO_BUSINESS_ID, kind: 'staff' as const, ref })),
  { organisationId: VERSO_BUSINESS_ID, kind: 'project', ref: 'S21901', counterpartyId: HAME_ELY },
  { organisationId: SOSIAALITAITO_BUSINESS_ID, kind: 'project', ref: 'S21902', counterpartyId: HAME_ELY },
  { organisationId: SOSIAALITAITO_BUSINESS_ID, kind: 'project', ref: 'S21903', counterpartyId: STM },
  { organisationId: VERSO_BUSINESS_ID, kind: 'agreement', ref: 'VERSO-SOP-2021-03', counterpartyId: municipality('Porvoo').businessId },
  { organisationId: SOSIAALITAITO_BUSINESS_ID, kind: 'agreement', ref: 'STAITO-SOP-2020-11', counterpartyId: LAUREA },
  { organisationId: SOSIAALITAITO_BUSINESS_ID, kind: 'agreement', ref: 'STAITO-SOP-2022-02', counterpartyId: THL_BUSINESS_ID },
];

/** Loads service areas, the Päijät-Häme municipalities, illustrative figures and the centres' holdings. Safe to run twice. */
export async function seedConsolidationDemo(pool: Pool): Promise<{ serviceAreas: number; holdings: number }> {
  const registry = new RegistryRepository();
  const repo = new ConsolidationRepository();
  return withTransaction(pool, async (tx) => {
    for (const [serial, name, population, areaKm2] of PAIJAT_HAME) {
      await registry.upsertOrganisation(tx, { businessId: paijatHameId(serial), name, kind: 'municipality', region: 'Päijät-Häme', population, areaKm2, validFrom: '1900-01-01' });
    }
    for (const [name, [population, areaKm2]] of Object.entries(FIGURES)) {
      await tx.query(
        `UPDATE organisations SET population = COALESCE(population, $2), area_km2 = COALESCE(area_km2, $3)
          WHERE business_id = $1`,
        [municipality(name).businessId, population, areaKm2],
      );
    }
    const areas: [string, string[]][] = [
      [SOCCA_BUSINESS_ID, SOCCA_AREA.map((n) => municipality(n).businessId)],
      [SOSIAALITAITO_BUSINESS_ID, SOSIAALITAITO_AREA.map((n) => municipality(n).businessId)],
      [VERSO_BUSINESS_ID, [...ITA_UUSIMAA_MUNICIPALITY_IDS, ...PAIJAT_HAME_MUNICIPALITY_IDS]],
    ];
    let serviceAreas = 0;
    for (const [centreId, municipalities] of areas) {
      for (const municipalityId of municipalities) {
        await repo.addServiceArea(tx, { centreId, municipalityId, validFrom: CENTRES_ACT_IN_FORCE });
        serviceAreas += 1;
      }
    }
    for (const h of HOLDINGS) await repo.addHolding(tx, { ...h, validFrom: '2021-01-01' });
    // The Päijät-Häme municipalities added here have Swedish names too (Lahti – Lahtis).
    await registry.setSwedishNames(tx, SWEDISH_NAMES);
    return { serviceAreas, holdings: HOLDINGS.length };
  });
}

/** Fewer days than this before a new year leave too little time to prepare: the demo takes the one after. */
const MIN_LEAD_DAYS = 30;

/** The next 1 January at least 30 days after `today` (UTC), as YYYY-MM-DD. */
export function nextNewYear(today: Date = new Date()): string {
  const next = Date.UTC(today.getUTCFullYear() + 1, 0, 1);
  const year = next - today.getTime() < MIN_LEAD_DAYS * DAY_MS ? today.getUTCFullYear() + 2 : today.getUTCFullYear() + 1;
  return `${year}-01-01`;
}

/**
 * The day `leadDays` after `today` (UTC), as YYYY-MM-DD. Tests date their consolidations this way, so the
 * time between launch and the effective date (and so every deadline check) is the same on any calendar day;
 * the next 1 January is 30 to 395 days away depending on the month.
 */
export function effectiveDateAfter(today: Date, leadDays: number): string {
  return isoDate(today.getTime() + leadDays * DAY_MS);
}

/**
 * Deadlines that fit before the effective date (the launch refuses longer ones): of the days left, 30 %
 * for the study, 40 % for the decisions and 20 % for the funders' consents.
 */
function demoDeadlines(effectiveDate: string, today: Date) {
  const lead = Math.floor((Date.parse(`${effectiveDate}T00:00:00Z`) - today.getTime()) / DAY_MS);
  const days = (share: number) => `${Math.max(1, Math.floor(lead * share))} days`;
  return { study: days(0.3), decisions: days(0.4), consents: days(0.2) };
}

/**
 * Every body of the Uusimaa decision chain, in an order the chain accepts (Verso's council after the
 * others' boards, HUS last): what drivers of the demo (tests, recorders, the bench) approve.
 */
export const UUSIMAA_DECISIONS: ReadonlyArray<readonly [party: string, body: string]> = [
  [VERSO_BUSINESS_ID, 'verso-board'], [VERSO_BUSINESS_ID, 'joint-authority-board'], [SOCCA_BUSINESS_ID, 'socca-steering-group'],
  [SOSIAALITAITO_BUSINESS_ID, 'sosiaalitaito-board'], [VERSO_BUSINESS_ID, 'joint-authority-council'], [HUS_BUSINESS_ID, 'hus-board'],
];

/** The Uusimaa consolidation's launch body with the effective date on `effectiveDate` (default: the next 1 January). */
export function uusimaaConsolidationInput(effectiveDate: string = nextNewYear()): ConsolidationInput {
  return consolidationInputSchema.parse(uusimaaLaunchBody(effectiveDate));
}

/** The same as plain JSON, as `POST /api/workflows/consolidation` takes it. */
export function uusimaaLaunchBody(effectiveDate: string = nextNewYear(), today: Date = new Date()) {
  const deadlines = demoDeadlines(effectiveDate, today);
  return {
    slug: `uusimaa-${effectiveDate.slice(0, 4)}`,
    effectiveDate,
    parties: [
      {
        businessId: SOCCA_BUSINESS_ID, label: 'Socca', joins: 'whole',
        decisionChain: [{ key: 'socca-steering-group', body: 'Socca steering group' }],
      },
      {
        businessId: SOSIAALITAITO_BUSINESS_ID, label: 'Sosiaalitaito', joins: 'whole',
        decisionChain: [{ key: 'sosiaalitaito-board', body: 'Sosiaalitaito board' }],
        staff: ['STAITO-S-001', 'STAITO-S-002', 'STAITO-S-003', 'STAITO-S-004'],
        projects: [{ code: 'S21902', funder: HAME_ELY }, { code: 'S21903', funder: STM }],
        agreements: [{ reference: 'STAITO-SOP-2020-11', counterparty: LAUREA }, { reference: 'STAITO-SOP-2022-02', counterparty: THL_BUSINESS_ID }],
      },
      {
        businessId: VERSO_BUSINESS_ID, label: 'Verso', joins: 'part',
        municipalities: ITA_UUSIMAA_MUNICIPALITY_IDS,
        activities: ['Swedish-language service development in Itä-Uusimaa'],
        decisionChain: [
          { key: 'verso-board', body: 'Verso board' },
          { key: 'joint-authority-board', body: 'Joint municipal authority board' },
          { key: 'joint-authority-council', body: 'Joint municipal authority council' },
        ],
        staff: ['VERSO-S-101', 'VERSO-S-102', 'VERSO-S-103'],
        projects: [{ code: 'S21901', funder: HAME_ELY }],
        agreements: [{ reference: 'VERSO-SOP-2021-03', counterparty: municipality('Porvoo').businessId }],
      },
    ],
    receiving: { kind: 'existing', businessId: SOCCA_BUSINESS_ID, region: 'Uusimaa' },
    host: { businessId: HUS_BUSINESS_ID, label: 'HUS', decisionChain: [{ key: 'hus-board', body: 'HUS board' }] },
    feasibility: { owner: 'Uusimaa centres’ joint preparation group', deadline: deadlines.study },
    decisions: { deadline: deadlines.decisions, reminders: ['2 days'] },
    consentDeadline: deadlines.consents,
  };
}
