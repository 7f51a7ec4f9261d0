/**
 * Demo data for seeding: organisations and Socom Oy's share register, as plain typed values (no
 * database code). Facts come from shared/design/DOMAIN.md; every row carries validity dates.
 *
 * BUSINESS IDS ARE DEMO IDENTIFIERS. Apart from THL's real 2229500-6, the business IDs below are
 * NOT the organisations' real registry numbers. They are generated deterministically from fixed
 * seven-digit bases in the 9xxxxxx range (see `demoId`) and carry a correct check digit, so they
 * pass validation; by chance one may coincide with some real company's ID, so never use them
 * outside demos and tests.
 *
 * Other illustrative parts (not facts):
 * - `LONG_STANDING` (1900-01-01) is a placeholder start for organisations that existed long before
 *   the history modelled here; it is not a founding date. The modelled municipal history starts
 *   with the 2009 mergers; earlier mergers are not included.
 * - Centres of expertise start on 2002-01-01, when the Act on social-welfare centres of expertise
 *   (1230/2001) took effect; their actual founding dates are not in DOMAIN.md.
 * - The seven foundations and associations that own Socom shares are FICTIONAL stand-ins: DOMAIN.md
 *   says there are seven but does not name them.
 * - Share counts and `since` dates in the register are illustrative (see DEMO_SOCOM_SHAREHOLDERS).
 * - `areaKm2` is null throughout: DOMAIN.md gives no areas.
 *
 * The data describes the state BEFORE the processes the demo replays:
 * - the Uusimaa centres (Socca, Sosiaalitaito, Verso) are still open-ended, so the demo can run the
 *   2023 consolidation (Verso's Itä-Uusimaa part moving to Socca from 2023-01-01);
 * - the Kymenlaakso wellbeing services county exists but is not yet in Socom's share register, so
 *   the demo can onboard it as a shareholder (it became one in 2023).
 */
import { businessIdCheckDigit } from '../../libs/domain/business-id';

export type DemoOrganisationKind =
  | 'centre'
  | 'company'
  | 'municipality'
  | 'wellbeing-county'
  | 'uas'
  | 'university'
  | 'foundation'
  | 'association'
  | 'research-institute'
  | 'ministry'
  | 'funding-authority'
  | 'joint-authority';

export type DemoOrganisation = {
  businessId: string;
  name: string;
  kind: DemoOrganisationKind;
  /** The region today (or on validTo for an organisation that has ended). */
  region: string | null;
  population: number | null;
  areaKm2: number | null;
  /** First day of validity, YYYY-MM-DD. */
  validFrom: string;
  /** Last day of validity (inclusive), YYYY-MM-DD, or null while the organisation exists. */
  validTo: string | null;
  /** Business ID of the organisation this one merged into on the day after validTo. */
  mergedInto?: string;
  /** The region before a change of region (e.g. Iitti: Kymenlaakso until 2020-12-31). */
  formerRegion?: { region: string; validTo: string };
  note?: string;
};

/** A holding a shareholder took over number for number on its `since` day (the register row it continues). */
export type DemoPredecessorHolding = { holderBusinessId: string; shares: number; since: string };
export type DemoShareholder = {
  holderBusinessId: string;
  shares: number;
  since: string;
  /** Holdings that passed to this holder on `since`, in share-number order; their shares add up to `shares`. */
  predecessors?: DemoPredecessorHolding[];
};

/** Placeholder start for organisations older than the modelled history; not a founding date. */
export const LONG_STANDING = '1900-01-01';
/** The Act on social-welfare centres of expertise (1230/2001) took effect on this day. */
const CENTRES_ACT_IN_FORCE = '2002-01-01';

/** Demo business-ID groups: the second digit of the 9xxxxxx base. */
const GROUP = {
  centre: 1,
  kymenlaakso: 2,
  eteläKarjala: 3,
  uusimaa: 4,
  county: 5,
  education: 6,
  thirdSector: 7,
} as const;

/**
 * A demo business ID: base 9 G SSSS0 (G = group, SSSS = serial). When the base's remainder is 1
 * (never issued) the base + 1 is used instead, which always has another remainder; the bases are
 * ten apart, so the result stays unique.
 */
export function demoId(group: number, serial: number): string {
  if (!Number.isInteger(group) || group < 1 || group > 9 || !Number.isInteger(serial) || serial < 1 || serial > 9999) {
    throw new RangeError(`demo business ID out of range: group ${group}, serial ${serial}`);
  }
  let base = 9_000_000 + group * 100_000 + serial * 10;
  let check = businessIdCheckDigit(String(base));
  if (check === null) {
    base += 1;
    check = businessIdCheckDigit(String(base));
  }
  if (check === null) throw new Error(`no demo business ID for ${base}`);
  return `${base}-${check}`;
}

// ---- well-known IDs ---------------------------------------------------------------------------

/** Socom Oy (demo identifier). */
export const SOCOM_BUSINESS_ID = demoId(GROUP.centre, 6);
/** THL: its real business ID (DOMAIN.md). */
export const THL_BUSINESS_ID = '2229500-6';
/** Kymenlaakso wellbeing services county: the shareholder the demo onboards (demo identifier). */
export const KYMENLAAKSO_WELLBEING_COUNTY_BUSINESS_ID = demoId(GROUP.county, 1);

const NEW_KOUVOLA = demoId(GROUP.kymenlaakso, 3);
const LAPPEENRANTA = demoId(GROUP.eteläKarjala, 2);
const MIKKELI = demoId(GROUP.eteläKarjala, 13);
const ETELÄ_KARJALA_WELLBEING_COUNTY = demoId(GROUP.county, 2);

// ---- builders ---------------------------------------------------------------------------------

type Extra = Partial<Pick<DemoOrganisation, 'population' | 'validFrom' | 'validTo' | 'mergedInto' | 'formerRegion' | 'note'>>;

function org(
  businessId: string,
  name: string,
  kind: DemoOrganisationKind,
  region: string | null,
  extra: Extra = {},
): DemoOrganisation {
  const row: DemoOrganisation = {
    businessId,
    name,
    kind,
    region,
    population: extra.population ?? null,
    areaKm2: null,
    validFrom: extra.validFrom ?? LONG_STANDING,
    validTo: extra.validTo ?? null,
  };
  if (extra.mergedInto !== undefined) row.mergedInto = extra.mergedInto;
  if (extra.formerRegion !== undefined) row.formerRegion = extra.formerRegion;
  if (extra.note !== undefined) row.note = extra.note;
  return row;
}

const centre = (serial: number, name: string, region: string | null, note?: string, kind: DemoOrganisationKind = 'centre') =>
  org(demoId(GROUP.centre, serial), name, kind, region, {
    validFrom: CENTRES_ACT_IN_FORCE,
    ...(note === undefined ? {} : { note }),
  });

// ---- centres of expertise and national bodies -------------------------------------------------

const CENTRES: DemoOrganisation[] = [
  centre(
    1,
    'Socca – Pääkaupunkiseudun sosiaalialan osaamiskeskus',
    'Etelä-Suomi',
    'Network on a cooperation agreement of Helsinki, Espoo, Vantaa, Kauniainen, the University of Helsinki and Metropolia; hosted with HUS; units: Heikki Waris Institute, VKK-Metro. Its area became all of Uusimaa from 2023-01-01.',
  ),
  centre(
    2,
    'Sosiaalitaito Oy',
    'Etelä-Suomi',
    'Centre of expertise run as a company; Central and West Uusimaa (Keski- and Länsi-Uusimaa, Kerava); strong in information management.',
    'company',
  ),
  centre(
    3,
    'Verso – sosiaalialan osaamiskeskus',
    'Etelä-Suomi',
    'Itä-Uusimaa and Päijät-Häme; develops Swedish-language services. From 2023-01-01 its Itä-Uusimaa operations moved to Socca (transfer of undertaking) and the rest continues as an expert unit of the Päijät-Häme wellbeing services county: the demo replays this.',
  ),
  centre(4, 'FSKC – Finlandssvenskt kompetenscentrum inom det sociala området', null, 'Swedish-language centre for the whole country.'),
  centre(5, 'Vasso – Varsinais-Suomen sosiaalialan osaamiskeskus', 'Varsinais-Suomi'),
  centre(
    6,
    'Socom Oy – Kaakkois-Suomen sosiaalialan osaamiskeskus',
    'Kaakkois-Suomi',
    'Centre of expertise run as a limited company, owned by the region’s municipalities, universities of applied sciences and seven foundations and associations; offices in Kouvola and Lappeenranta.',
    'company',
  ),
  centre(7, 'Pikassos – sosiaalialan osaamiskeskus', 'Häme-Satakunta'),
  centre(8, 'SONet Botnia – sosiaalialan osaamiskeskus', 'Pohjanmaa'),
  centre(9, 'Koske – Keski-Suomen sosiaalialan osaamiskeskus', 'Keski-Suomi'),
  centre(10, 'ISO – Itä-Suomen sosiaalialan osaamiskeskus', 'Itä-Suomi'),
  centre(11, 'Poske – Pohjois-Suomen sosiaalialan osaamiskeskus', 'Pohjois-Suomi'),
];

const NATIONAL: DemoOrganisation[] = [
  org(THL_BUSINESS_ID, 'Terveyden ja hyvinvoinnin laitos THL (Finnish Institute for Health and Welfare)', 'research-institute', null, {
    validFrom: '2009-01-01',
    note: 'Real business ID. Start date from public knowledge, not DOMAIN.md. Main implementer of the Sokra ESR project (EURA S20220).',
  }),
  org(demoId(GROUP.centre, 20), 'Sosiaali- ja terveysministeriö STM (Ministry of Social Affairs and Health)', 'ministry', null, {
    note: 'Funds the centres’ base funding and national ESR priority-axis-5 projects; responsible authority for Sokra.',
  }),
  org(demoId(GROUP.centre, 21), 'Hämeen ELY-keskus (Häme ELY Centre)', 'funding-authority', 'Etelä-Suomi', {
    validFrom: '2010-01-01',
    note: 'Makes ESR funding decisions and supervises projects for Southern Finland. Start date (ELY centres, 2010) from public knowledge, not DOMAIN.md.',
  }),
];

// ---- Socom's region: Kymenlaakso --------------------------------------------------------------

const POP_2023 = 'Population at 2023-12-31.';
const POP_2020 = 'Population at 2020-12-31.';
const INTO_KOUVOLA = 'Merged into the new Kouvola on 2009-01-01.';

const KYMENLAAKSO: DemoOrganisation[] = [
  org(demoId(GROUP.kymenlaakso, 1), 'Hamina', 'municipality', 'Kymenlaakso', { population: 19_534, note: POP_2023 }),
  org(demoId(GROUP.kymenlaakso, 2), 'Kotka', 'municipality', 'Kymenlaakso', { population: 50_500, note: POP_2023 }),
  org(NEW_KOUVOLA, 'Kouvola', 'municipality', 'Kymenlaakso', {
    population: 78_880,
    validFrom: '2009-01-01',
    note: `New municipality formed 2009-01-01 from six North Kymenlaakso municipalities (about 89,000 residents then). ${POP_2023}`,
  }),
  org(demoId(GROUP.kymenlaakso, 4), 'Miehikkälä', 'municipality', 'Kymenlaakso', { population: 1_752, note: POP_2023 }),
  org(demoId(GROUP.kymenlaakso, 5), 'Pyhtää', 'municipality', 'Kymenlaakso', { population: 5_065, note: POP_2023 }),
  org(demoId(GROUP.kymenlaakso, 6), 'Virolahti', 'municipality', 'Kymenlaakso', { population: 2_927, note: POP_2023 }),
  org(demoId(GROUP.kymenlaakso, 7), 'Iitti', 'municipality', 'Päijät-Häme', {
    formerRegion: { region: 'Kymenlaakso', validTo: '2020-12-31' },
    note: 'In Kymenlaakso (Socom’s region) until 2020-12-31; in Päijät-Häme from 2021-01-01.',
  }),
  // The six municipalities that formed the new Kouvola.
  ...(
    [
      [11, 'Anjalankoski'],
      [12, 'Elimäki'],
      [13, 'Jaala'],
      [14, 'Kouvola (before 2009)'],
      [15, 'Kuusankoski'],
      [16, 'Valkeala'],
    ] as const
  ).map(([serial, name]) =>
    org(demoId(GROUP.kymenlaakso, serial), name, 'municipality', 'Kymenlaakso', {
      validTo: '2008-12-31',
      mergedInto: NEW_KOUVOLA,
      note: INTO_KOUVOLA,
    }),
  ),
];

// ---- Socom's region: Etelä-Karjala ------------------------------------------------------------

const ETELÄ_KARJALA: DemoOrganisation[] = [
  org(demoId(GROUP.eteläKarjala, 1), 'Imatra', 'municipality', 'Etelä-Karjala', { population: 26_075, note: POP_2020 }),
  org(LAPPEENRANTA, 'Lappeenranta', 'municipality', 'Etelä-Karjala', {
    population: 72_662,
    note: `Joutseno merged into it 2009-01-01 and Ylämaa 2010-01-01. ${POP_2020}`,
  }),
  org(demoId(GROUP.eteläKarjala, 3), 'Lemi', 'municipality', 'Etelä-Karjala', { population: 2_964, note: POP_2020 }),
  org(demoId(GROUP.eteläKarjala, 4), 'Luumäki', 'municipality', 'Etelä-Karjala', { population: 4_543, note: POP_2020 }),
  org(demoId(GROUP.eteläKarjala, 5), 'Parikkala', 'municipality', 'Etelä-Karjala', { population: 4_655, note: POP_2020 }),
  org(demoId(GROUP.eteläKarjala, 6), 'Rautjärvi', 'municipality', 'Etelä-Karjala', { population: 3_146, note: POP_2020 }),
  org(demoId(GROUP.eteläKarjala, 7), 'Ruokolahti', 'municipality', 'Etelä-Karjala', { population: 4_922, note: POP_2020 }),
  org(demoId(GROUP.eteläKarjala, 8), 'Savitaipale', 'municipality', 'Etelä-Karjala', { population: 3_326, note: POP_2020 }),
  org(demoId(GROUP.eteläKarjala, 9), 'Taipalsaari', 'municipality', 'Etelä-Karjala', { population: 4_628, note: POP_2020 }),
  org(demoId(GROUP.eteläKarjala, 10), 'Joutseno', 'municipality', 'Etelä-Karjala', {
    validTo: '2008-12-31',
    mergedInto: LAPPEENRANTA,
    note: 'Merged into Lappeenranta on 2009-01-01.',
  }),
  org(demoId(GROUP.eteläKarjala, 11), 'Ylämaa', 'municipality', 'Etelä-Karjala', {
    validTo: '2009-12-31',
    mergedInto: LAPPEENRANTA,
    note: 'Merged into Lappeenranta on 2010-01-01.',
  }),
  org(demoId(GROUP.eteläKarjala, 12), 'Suomenniemi', 'municipality', 'Etelä-Karjala', {
    validTo: '2012-12-31',
    mergedInto: MIKKELI,
    note: 'Merged into Mikkeli (Etelä-Savo) on 2013-01-01.',
  }),
  org(MIKKELI, 'Mikkeli', 'municipality', 'Etelä-Savo', { note: 'Outside Socom’s region; Suomenniemi merged into it 2013-01-01.' }),
];

// ---- Uusimaa municipalities by wellbeing services county ---------------------------------------

const UUSIMAA_BY_COUNTY: readonly (readonly [county: string, centre: string, municipalities: readonly string[]])[] = [
  ['Itä-Uusimaa', 'Verso', ['Askola', 'Lapinjärvi', 'Loviisa', 'Myrskylä', 'Porvoo', 'Pukkila', 'Sipoo']],
  ['Keski-Uusimaa', 'Sosiaalitaito', ['Hyvinkää', 'Järvenpää', 'Mäntsälä', 'Nurmijärvi', 'Pornainen', 'Tuusula']],
  ['Länsi-Uusimaa', 'Socca', ['Espoo', 'Kauniainen']],
  ['Länsi-Uusimaa', 'Sosiaalitaito', ['Hanko', 'Inkoo', 'Karkkila', 'Kirkkonummi', 'Lohja', 'Raasepori', 'Siuntio', 'Vihti']],
  ['Vantaa ja Kerava', 'Socca', ['Vantaa']],
  ['Vantaa ja Kerava', 'Sosiaalitaito', ['Kerava']],
  ['Helsinki', 'Socca', ['Helsinki']],
];

let uusimaaSerial = 0;
const UUSIMAA: DemoOrganisation[] = UUSIMAA_BY_COUNTY.flatMap(([county, servedBy, municipalities]) =>
  municipalities.map((name) =>
    org(demoId(GROUP.uusimaa, ++uusimaaSerial), name, 'municipality', county, {
      note:
        county === 'Helsinki'
          ? `Organises its social and health services itself (no wellbeing services county); served by ${servedBy} before 2023.`
          : `Region is its wellbeing services county (from 2023-01-01); served by ${servedBy} before 2023.`,
    }),
  ),
);

// ---- wellbeing services counties and joint authorities ---------------------------------------

const COUNTY_START = '2023-01-01';

const COUNTIES: DemoOrganisation[] = [
  org(KYMENLAAKSO_WELLBEING_COUNTY_BUSINESS_ID, 'Kymenlaakson hyvinvointialue (Kymenlaakso wellbeing services county)', 'wellbeing-county', 'Kymenlaakso', {
    population: 158_658,
    validFrom: COUNTY_START,
    note: 'Became a Socom shareholder in 2023; left out of DEMO_SOCOM_SHAREHOLDERS so the demo can onboard it. Population: sum of its six municipalities at 2023-12-31.',
  }),
  org(ETELÄ_KARJALA_WELLBEING_COUNTY, 'Etelä-Karjalan hyvinvointialue (Etelä-Karjala wellbeing services county)', 'wellbeing-county', 'Etelä-Karjala', {
    validFrom: COUNTY_START,
  }),
  org(demoId(GROUP.county, 3), 'Päijät-Hämeen hyvinvointialue (Päijät-Häme wellbeing services county)', 'wellbeing-county', 'Päijät-Häme', {
    validFrom: COUNTY_START,
    note: 'Verso continues here as an expert unit from 2023-01-01.',
  }),
  ...(
    [
      [4, 'Itä-Uudenmaan hyvinvointialue (Itä-Uusimaa wellbeing services county)', 'Itä-Uusimaa'],
      [5, 'Keski-Uudenmaan hyvinvointialue (Keski-Uusimaa wellbeing services county)', 'Keski-Uusimaa'],
      [6, 'Länsi-Uudenmaan hyvinvointialue (Länsi-Uusimaa wellbeing services county)', 'Länsi-Uusimaa'],
      [7, 'Vantaan ja Keravan hyvinvointialue (Vantaa and Kerava wellbeing services county)', 'Vantaa ja Kerava'],
    ] as const
  ).map(([serial, name, region]) => org(demoId(GROUP.county, serial), name, 'wellbeing-county', region, { validFrom: COUNTY_START })),
  org(demoId(GROUP.county, 20), 'Etelä-Karjalan sosiaali- ja terveyspiiri Eksote (social and health district)', 'joint-authority', 'Etelä-Karjala', {
    population: 134_000,
    validFrom: '2010-01-01',
    validTo: '2022-12-31',
    mergedInto: ETELÄ_KARJALA_WELLBEING_COUNTY,
    note: 'One social and health district for Etelä-Karjala from 2010-01-01; population is approximate (about 134,000). Its services passed to the wellbeing services county on 2023-01-01.',
  }),
  org(demoId(GROUP.county, 21), 'HUS – Helsingin ja Uudenmaan sairaanhoitopiirin kuntayhtymä (Hospital District of Helsinki and Uusimaa)', 'joint-authority', 'Uusimaa', {
    note: 'Hosts Socca; its board made the final decision on the Uusimaa consolidation on 2022-12-14.',
  }),
];

// ---- universities ------------------------------------------------------------------------------

const XAMK = demoId(GROUP.education, 1);
const LAB = demoId(GROUP.education, 2);

const EDUCATION: DemoOrganisation[] = [
  org(XAMK, 'Kaakkois-Suomen ammattikorkeakoulu Xamk (South-Eastern Finland UAS)', 'uas', 'Kaakkois-Suomi', {
    validFrom: '2017-01-01',
    note: 'Campuses include Kouvola and Kotka. Start date from public knowledge, not DOMAIN.md.',
  }),
  org(LAB, 'LAB-ammattikorkeakoulu (LAB University of Applied Sciences)', 'uas', 'Etelä-Karjala', {
    validFrom: '2020-01-01',
    note: 'Campuses in Lappeenranta and Lahti. Start date from public knowledge, not DOMAIN.md.',
  }),
  org(demoId(GROUP.education, 3), 'Diakonia-ammattikorkeakoulu Diak (Diaconia UAS)', 'uas', null, {
    note: 'Sub-implementer of Sokra (East and North Finland regional coordination); an educational partner of Socca.',
  }),
  org(demoId(GROUP.education, 4), 'Metropolia Ammattikorkeakoulu (Metropolia UAS)', 'uas', 'Uusimaa', {
    note: 'Party to Socca’s cooperation agreement.',
  }),
  org(demoId(GROUP.education, 5), 'Laurea-ammattikorkeakoulu (Laurea UAS)', 'uas', 'Uusimaa', { note: 'Educational partner of Socca.' }),
  org(demoId(GROUP.education, 6), 'Helsingin yliopisto (University of Helsinki)', 'university', 'Uusimaa', {
    note: 'Party to Socca’s cooperation agreement (Dept. of Social Research, Dept. of Teacher Education).',
  }),
];

// ---- foundations and associations (fictional) -------------------------------------------------

const FICTIONAL = 'Fictional demo organisation (Socom’s real foundation and association owners are not named in DOMAIN.md).';

const THIRD_SECTOR: DemoOrganisation[] = (
  [
    [1, 'Kymen Tukikotisäätiö sr', 'foundation', 'Kymenlaakso', '1987-03-01'],
    [2, 'Säätiö Karjalan Kotiranta sr', 'foundation', 'Etelä-Karjala', '1992-09-15'],
    [3, 'Ruukinrannan Palvelusäätiö sr', 'foundation', 'Kymenlaakso', '1998-01-01'],
    [4, 'Saimaan Lähimmäispalvelusäätiö sr', 'foundation', 'Etelä-Karjala', '2001-05-01'],
    [5, 'Kaakon Vertaistuki ry', 'association', 'Kaakkois-Suomi', '1979-11-20'],
    [6, 'Kouvolan Seudun Arjen Apu ry', 'association', 'Kymenlaakso', '1995-02-10'],
    [7, 'Etelä-Karjalan Sosiaalialan Kehittäjät ry', 'association', 'Etelä-Karjala', '2000-08-24'],
  ] as const
).map(([serial, name, kind, region, validFrom]) => org(demoId(GROUP.thirdSector, serial), name, kind, region, { validFrom, note: FICTIONAL }));

/** All demo organisations. Business IDs (other than THL's) are demo identifiers, see the top of the file. */
export const DEMO_ORGANISATIONS: DemoOrganisation[] = [
  ...CENTRES,
  ...NATIONAL,
  ...KYMENLAAKSO,
  ...ETELÄ_KARJALA,
  ...UUSIMAA,
  ...COUNTIES,
  ...EDUCATION,
  ...THIRD_SECTOR,
];

// ---- Socom's share register -----------------------------------------------------------------

function byName(name: string, rows: readonly DemoOrganisation[]): DemoOrganisation {
  const found = rows.find((o) => o.name === name);
  if (!found) throw new Error(`demo data: no organisation named ${name}`);
  return found;
}

/**
 * The six municipalities that formed the new Kouvola held its shares until 2008-12-31, so the register
 * has a holder for every share on every day and the 2009 merger moved them number for number.
 * ILLUSTRATIVE: the new Kouvola's shares split as evenly as whole shares allow, in register order.
 */
function kouvolaPredecessorHoldings(shares: number): DemoPredecessorHolding[] {
  const merged = KYMENLAAKSO.filter((o) => o.mergedInto === NEW_KOUVOLA);
  return merged.map((o, i) => ({
    holderBusinessId: o.businessId,
    shares: Math.floor(shares / merged.length) + (i < shares % merged.length ? 1 : 0),
    since: CENTRES_ACT_IN_FORCE,
  }));
}

/** Illustrative: one share per started 1,000 residents. */
function sharesForPopulation(population: number | null): number {
  if (population === null) throw new Error('demo data: a municipal shareholder needs a population');
  return Math.ceil(population / 1000);
}

const UAS_SHARES = 10;
const THIRD_SECTOR_SHARES = 2;

const SHAREHOLDER_MUNICIPALITIES = [
  ...['Hamina', 'Kotka', 'Kouvola', 'Miehikkälä', 'Pyhtää', 'Virolahti'].map((n) => byName(n, KYMENLAAKSO)),
  ...['Imatra', 'Lappeenranta', 'Lemi', 'Luumäki', 'Parikkala', 'Rautjärvi', 'Ruokolahti', 'Savitaipale', 'Taipalsaari'].map((n) =>
    byName(n, ETELÄ_KARJALA),
  ),
];

/**
 * Socom Oy's shareholders today, in register order (a seeder allocates share numbers in this
 * order, from 1): the 15 municipalities of Kymenlaakso and Etelä-Karjala, the region's two
 * universities of applied sciences, and the seven (fictional) foundations and associations.
 *
 * Share counts are ILLUSTRATIVE, not Socom's real register: municipalities one share per started
 * 1,000 residents, universities of applied sciences 10, foundations and associations 2 each.
 * `since` dates are illustrative too: the centres' start (2002-01-01), or the holder's own start
 * when later (the new Kouvola holds the six merged municipalities' shares from 2009-01-01; Xamk and
 * LAB took over their predecessors' holdings).
 *
 * Deliberately NOT included: the Kymenlaakso wellbeing services county
 * (KYMENLAAKSO_WELLBEING_COUNTY_BUSINESS_ID). It became a shareholder in 2023, and that onboarding is
 * what the demo replays.
 */
export const DEMO_SOCOM_SHAREHOLDERS: DemoShareholder[] = [
  ...SHAREHOLDER_MUNICIPALITIES.map((m) => {
    const shares = sharesForPopulation(m.population);
    const predecessors = m.businessId === NEW_KOUVOLA ? kouvolaPredecessorHoldings(shares) : undefined;
    return {
      holderBusinessId: m.businessId,
      shares,
      since: m.validFrom > CENTRES_ACT_IN_FORCE ? m.validFrom : CENTRES_ACT_IN_FORCE,
      ...(predecessors ? { predecessors } : {}),
    };
  }),
  { holderBusinessId: XAMK, shares: UAS_SHARES, since: '2017-01-01' },
  { holderBusinessId: LAB, shares: UAS_SHARES, since: '2020-01-01' },
  ...THIRD_SECTOR.map((o) => ({ holderBusinessId: o.businessId, shares: THIRD_SECTOR_SHARES, since: CENTRES_ACT_IN_FORCE })),
];
