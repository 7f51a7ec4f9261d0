import { isBusinessId, validateBusinessId } from '../../libs/domain/business-id';
import { allocateRange, checkRegister, type ShareRange } from '../../libs/domain/shares';
import {
  DEMO_ORGANISATIONS,
  DEMO_SOCOM_SHAREHOLDERS,
  KYMENLAAKSO_WELLBEING_COUNTY_BUSINESS_ID,
  LONG_STANDING,
  SOCOM_BUSINESS_ID,
  THL_BUSINESS_ID,
  type DemoOrganisation,
} from './demo-data';

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

function isRealDay(s: string): boolean {
  if (!ISO_DAY.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

function dayAfter(s: string): string {
  const d = new Date(`${s}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

function validOn(o: DemoOrganisation, day: string): boolean {
  return o.validFrom <= day && (o.validTo === null || day <= o.validTo);
}

function regionOn(o: DemoOrganisation, day: string): string | null {
  return o.formerRegion && day <= o.formerRegion.validTo ? o.formerRegion.region : o.region;
}

const byId = new Map(DEMO_ORGANISATIONS.map((o) => [o.businessId, o]));
const byName = (name: string): DemoOrganisation => {
  const o = DEMO_ORGANISATIONS.find((x) => x.name === name);
  if (!o) throw new Error(`no ${name}`);
  return o;
};

describe('DEMO_ORGANISATIONS', () => {
  it('every business ID is valid and written canonically', () => {
    for (const o of DEMO_ORGANISATIONS) {
      expect({ name: o.name, result: validateBusinessId(o.businessId) }).toEqual({
        name: o.name,
        result: { ok: true, value: o.businessId },
      });
      expect(isBusinessId(o.businessId)).toBe(true);
    }
  });

  it('business IDs and names are unique', () => {
    expect(byId.size).toBe(DEMO_ORGANISATIONS.length);
    expect(new Set(DEMO_ORGANISATIONS.map((o) => o.name)).size).toBe(DEMO_ORGANISATIONS.length);
  });

  it('uses THL’s real ID and demo IDs in the 9xxxxxx range for everything else', () => {
    expect(byId.get(THL_BUSINESS_ID)?.kind).toBe('research-institute');
    for (const o of DEMO_ORGANISATIONS) {
      if (o.businessId !== THL_BUSINESS_ID) expect(o.businessId).toMatch(/^9\d{6}-\d$/);
    }
  });

  it('validity ranges are real days with validFrom <= validTo', () => {
    for (const o of DEMO_ORGANISATIONS) {
      expect(isRealDay(o.validFrom)).toBe(true);
      if (o.validTo !== null) {
        expect(isRealDay(o.validTo)).toBe(true);
        expect(o.validFrom <= o.validTo).toBe(true);
      }
      if (o.formerRegion) {
        expect(isRealDay(o.formerRegion.validTo)).toBe(true);
        expect(o.validFrom <= o.formerRegion.validTo).toBe(true);
      }
    }
  });

  it('populations are positive integers or null; areas null', () => {
    for (const o of DEMO_ORGANISATIONS) {
      if (o.population !== null) expect(Number.isInteger(o.population) && o.population > 0).toBe(true);
      expect(o.areaKm2).toBeNull();
    }
  });

  it('a merged organisation ends the day before it becomes part of a target valid that day', () => {
    const merged = DEMO_ORGANISATIONS.filter((o) => o.mergedInto !== undefined);
    expect(merged.length).toBeGreaterThanOrEqual(10);
    for (const o of merged) {
      expect(o.validTo).not.toBeNull();
      const target = byId.get(o.mergedInto ?? '');
      expect(target).toBeDefined();
      if (!target || o.validTo === null) continue;
      const effective = dayAfter(o.validTo);
      expect(validOn(target, effective)).toBe(true);
      expect(validOn(target, o.validTo) ? target.validFrom < effective : target.validFrom === effective).toBe(true);
    }
  });

  it('the six North Kymenlaakso municipalities end 2008-12-31 and the new Kouvola begins 2009-01-01', () => {
    const kouvola = byName('Kouvola');
    expect(kouvola).toMatchObject({ validFrom: '2009-01-01', validTo: null, population: 78_880 });
    const six = DEMO_ORGANISATIONS.filter((o) => o.mergedInto === kouvola.businessId);
    expect(six.map((o) => o.name).sort()).toEqual(
      ['Anjalankoski', 'Elimäki', 'Jaala', 'Kouvola (before 2009)', 'Kuusankoski', 'Valkeala'].sort(),
    );
    for (const o of six) expect(o.validTo).toBe('2008-12-31');
  });

  it('records the Etelä-Karjala mergers', () => {
    const lappeenranta = byName('Lappeenranta').businessId;
    expect(byName('Joutseno')).toMatchObject({ validTo: '2008-12-31', mergedInto: lappeenranta });
    expect(byName('Ylämaa')).toMatchObject({ validTo: '2009-12-31', mergedInto: lappeenranta });
    expect(byName('Suomenniemi')).toMatchObject({ validTo: '2012-12-31', mergedInto: byName('Mikkeli').businessId });
  });

  it('Socom’s region had 17 municipalities in 2010–2012, 16 in 2013–2020 and 15 from 2021', () => {
    const count = (day: string) =>
      DEMO_ORGANISATIONS.filter(
        (o) => o.kind === 'municipality' && validOn(o, day) && ['Kymenlaakso', 'Etelä-Karjala'].includes(regionOn(o, day) ?? ''),
      ).length;
    expect(count('2010-01-01')).toBe(17);
    expect(count('2012-12-31')).toBe(17);
    expect(count('2013-01-01')).toBe(16);
    expect(count('2020-12-31')).toBe(16);
    expect(count('2021-01-01')).toBe(15);
    expect(count('2025-06-30')).toBe(15);
  });

  it('has the centres of expertise, with Socom as a company in Kaakkois-Suomi', () => {
    const socom = byId.get(SOCOM_BUSINESS_ID);
    expect(socom).toMatchObject({ kind: 'company', region: 'Kaakkois-Suomi', validTo: null });
    expect(socom?.name).toContain('Socom');
    for (const name of ['Socca', 'Sosiaalitaito', 'Verso', 'FSKC', 'Vasso', 'Pikassos', 'SONet Botnia', 'Koske', 'ISO', 'Poske']) {
      expect(DEMO_ORGANISATIONS.filter((o) => o.name.startsWith(name) && (o.kind === 'centre' || o.kind === 'company'))).toHaveLength(1);
    }
  });

  it('the Uusimaa centres are still open, so the demo can replay the 2023 consolidation', () => {
    for (const name of ['Socca', 'Sosiaalitaito', 'Verso']) {
      expect(DEMO_ORGANISATIONS.find((o) => o.name.startsWith(name))?.validTo).toBeNull();
    }
  });

  it('lists the Uusimaa municipalities by wellbeing services county', () => {
    const uusimaa = (county: string) =>
      DEMO_ORGANISATIONS.filter((o) => o.kind === 'municipality' && o.region === county)
        .map((o) => o.name)
        .sort();
    expect(uusimaa('Itä-Uusimaa')).toEqual(['Askola', 'Lapinjärvi', 'Loviisa', 'Myrskylä', 'Porvoo', 'Pukkila', 'Sipoo']);
    expect(uusimaa('Keski-Uusimaa')).toEqual(['Hyvinkää', 'Järvenpää', 'Mäntsälä', 'Nurmijärvi', 'Pornainen', 'Tuusula']);
    expect(uusimaa('Länsi-Uusimaa')).toHaveLength(10);
    expect(uusimaa('Vantaa ja Kerava')).toEqual(['Kerava', 'Vantaa']);
    expect(uusimaa('Helsinki')).toEqual(['Helsinki']);
  });

  it('the Kymenlaakso wellbeing services county starts 2023-01-01', () => {
    expect(byId.get(KYMENLAAKSO_WELLBEING_COUNTY_BUSINESS_ID)).toMatchObject({
      kind: 'wellbeing-county',
      region: 'Kymenlaakso',
      validFrom: '2023-01-01',
      validTo: null,
    });
  });

  it('marks placeholder start dates with the LONG_STANDING constant only', () => {
    for (const o of DEMO_ORGANISATIONS) {
      if (o.validFrom < '1950-01-01') expect(o.validFrom).toBe(LONG_STANDING);
    }
  });
});

describe('DEMO_SOCOM_SHAREHOLDERS', () => {
  const holders = DEMO_SOCOM_SHAREHOLDERS.map((h) => ({ ...h, org: byId.get(h.holderBusinessId) }));

  it('every holder is a known, currently valid organisation, listed once', () => {
    expect(new Set(DEMO_SOCOM_SHAREHOLDERS.map((h) => h.holderBusinessId)).size).toBe(DEMO_SOCOM_SHAREHOLDERS.length);
    for (const h of holders) {
      expect(h.org).toBeDefined();
      expect(h.org?.validTo).toBeNull();
      expect(isRealDay(h.since)).toBe(true);
      expect(h.since >= (h.org?.validFrom ?? '')).toBe(true);
      expect(h.since >= (byId.get(SOCOM_BUSINESS_ID)?.validFrom ?? '')).toBe(true);
      expect(Number.isInteger(h.shares) && h.shares > 0).toBe(true);
    }
  });

  it('has the 15 municipalities, the UASs and 7 foundations and associations', () => {
    const kinds = holders.map((h) => h.org?.kind);
    expect(kinds.filter((k) => k === 'municipality')).toHaveLength(15);
    expect(kinds.filter((k) => k === 'uas')).toHaveLength(2);
    expect(kinds.filter((k) => k === 'foundation' || k === 'association')).toHaveLength(7);
    expect(kinds).toHaveLength(24);
    for (const h of holders.filter((x) => x.org?.kind === 'municipality')) {
      expect(['Kymenlaakso', 'Etelä-Karjala']).toContain(h.org?.region);
    }
  });

  it('leaves the Kymenlaakso wellbeing services county out, for the demo to onboard', () => {
    expect(DEMO_SOCOM_SHAREHOLDERS.map((h) => h.holderBusinessId)).not.toContain(KYMENLAAKSO_WELLBEING_COUNTY_BUSINESS_ID);
  });

  it('municipal shares follow population', () => {
    const kouvola = holders.find((h) => h.org?.name === 'Kouvola');
    const miehikkälä = holders.find((h) => h.org?.name === 'Miehikkälä');
    expect(kouvola?.shares).toBe(79);
    expect(kouvola?.since).toBe('2009-01-01');
    expect(miehikkälä?.shares).toBe(2);
  });

  it('allocating the holdings in order gives a register that adds up', () => {
    let nextFree = 1;
    const ranges: ShareRange[] = DEMO_SOCOM_SHAREHOLDERS.map((h) => {
      const r = allocateRange(nextFree, h.shares);
      nextFree = r.last + 1;
      return r;
    });
    const issued = DEMO_SOCOM_SHAREHOLDERS.reduce((s, h) => s + h.shares, 0);
    expect(checkRegister(issued, ranges)).toEqual({ ok: true });
  });

  it('the new Kouvola holds exactly the shares its six predecessors held until 2008-12-31', () => {
    const kouvola = DEMO_SOCOM_SHAREHOLDERS.find((h) => h.predecessors);
    const predecessors = kouvola?.predecessors ?? [];
    const merged = DEMO_ORGANISATIONS.filter((o) => o.validTo === '2008-12-31' && o.mergedInto === kouvola?.holderBusinessId);
    expect(merged).toHaveLength(6);
    expect(predecessors.map((p) => p.holderBusinessId).sort()).toEqual(merged.map((o) => o.businessId).sort());
    expect(predecessors.reduce((n, p) => n + p.shares, 0)).toBe(kouvola?.shares);
    for (const p of predecessors) {
      expect(p.shares).toBeGreaterThan(0);
      expect(p.since < (kouvola?.since ?? '')).toBe(true);
    }
  });

  it('every organisation that ended by merging says what it merged into', () => {
    for (const o of DEMO_ORGANISATIONS.filter((x) => /[Mm]erged into/.test(x.note ?? '') && x.validTo)) {
      expect({ name: o.name, mergedInto: o.mergedInto ?? null }).toEqual({ name: o.name, mergedInto: expect.any(String) });
    }
  });
});
