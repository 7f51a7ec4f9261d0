import type { Pool } from 'pg';
import { withTransaction } from '../../libs/db/pool';
import { PeopleRepository } from '../../libs/db/repositories/people.repository';
import type { PersonInput, RoleInput } from '../../libs/domain/people';
import {
  HAME_ELY_BUSINESS_ID, HUS_BUSINESS_ID, SOCCA_BUSINESS_ID, SOSIAALITAITO_BUSINESS_ID, STM_BUSINESS_ID, VERSO_BUSINESS_ID,
} from './demo-consolidation';
import { KYMENLAAKSO_WELLBEING_COUNTY_BUSINESS_ID, SOCOM_BUSINESS_ID } from './demo-data';

/** Demo roles start here; they have no end. */
const SINCE = '2024-01-01';

type DemoPerson = PersonInput & { roles: Omit<RoleInput, 'validFrom'>[] };

const board = (organisation: string, body: string) => ({ organisation, role: 'board-member' as const, body });

/**
 * Fictional people for every body of the seeded processes: Socom Oy's board of five with its secretary
 * and two finance officers (four eyes on payments), the contact of its ESR project (Osallisuuden polut,
 * funded by STM), the signatory of Kymenlaakso, the deciding bodies of
 * the Uusimaa consolidation, and the funders' contacts. Names and addresses are invented.
 */
export const DEMO_PEOPLE: DemoPerson[] = [
  { id: 'socom-board-1', displayName: 'Aino Virtanen', email: 'aino.virtanen@socom.example', language: 'fi', roles: [board(SOCOM_BUSINESS_ID, 'board'), { organisation: SOCOM_BUSINESS_ID, role: 'board-chair', body: 'board' }] },
  { id: 'socom-board-2', displayName: 'Mikko Korhonen', email: 'mikko.korhonen@socom.example', language: 'fi', roles: [board(SOCOM_BUSINESS_ID, 'board')] },
  { id: 'socom-board-3', displayName: 'Ulla Lindqvist', email: 'ulla.lindqvist@socom.example', language: 'sv', roles: [board(SOCOM_BUSINESS_ID, 'board')] },
  { id: 'socom-board-4', displayName: 'Jussi Mäkinen', email: 'jussi.makinen@socom.example', language: 'fi', roles: [board(SOCOM_BUSINESS_ID, 'board')] },
  { id: 'socom-board-5', displayName: 'Sara Nieminen', email: 'sara.nieminen@socom.example', language: 'en', roles: [board(SOCOM_BUSINESS_ID, 'board')] },
  { id: 'socom-secretary', displayName: 'Leena Heikkinen', email: 'leena.heikkinen@socom.example', language: 'fi', roles: [{ organisation: SOCOM_BUSINESS_ID, role: 'board-secretary', body: 'board' }] },
  { id: 'socom-finance-1', displayName: 'Pekka Laine', email: 'pekka.laine@socom.example', language: 'fi', roles: [{ organisation: SOCOM_BUSINESS_ID, role: 'finance' }] },
  { id: 'socom-finance-2', displayName: 'Hanna Koskinen', email: 'hanna.koskinen@socom.example', language: 'fi', roles: [{ organisation: SOCOM_BUSINESS_ID, role: 'finance' }] },
  { id: 'socom-project-1', displayName: 'Minna Hiltunen', email: 'minna.hiltunen@socom.example', language: 'fi', roles: [{ organisation: SOCOM_BUSINESS_ID, role: 'project-contact' }] },
  { id: 'kymenlaakso-signatory', displayName: 'Timo Salonen', email: 'timo.salonen@kymenlaakso.example', language: 'fi', roles: [{ organisation: KYMENLAAKSO_WELLBEING_COUNTY_BUSINESS_ID, role: 'signatory' }] },
  { id: 'socca-steering-1', displayName: 'Kaisa Järvinen', email: 'kaisa.jarvinen@socca.example', language: 'fi', roles: [{ organisation: SOCCA_BUSINESS_ID, role: 'steering-group-member', body: 'socca-steering-group' }] },
  { id: 'staito-board-1', displayName: 'Olli Rantanen', email: 'olli.rantanen@sosiaalitaito.example', language: 'fi', roles: [board(SOSIAALITAITO_BUSINESS_ID, 'sosiaalitaito-board')] },
  { id: 'verso-board-1', displayName: 'Johanna Blomqvist', email: 'johanna.blomqvist@verso.example', language: 'sv', roles: [board(VERSO_BUSINESS_ID, 'verso-board')] },
  { id: 'verso-authority-board-1', displayName: 'Markus Lehtonen', email: 'markus.lehtonen@verso.example', language: 'fi', roles: [board(VERSO_BUSINESS_ID, 'joint-authority-board')] },
  { id: 'verso-council-secretary', displayName: 'Eeva Karjalainen', email: 'eeva.karjalainen@verso.example', language: 'fi', roles: [{ organisation: VERSO_BUSINESS_ID, role: 'council-secretary', body: 'joint-authority-council' }] },
  { id: 'hus-board-1', displayName: 'Anders Holm', email: 'anders.holm@hus.example', language: 'sv', roles: [board(HUS_BUSINESS_ID, 'hus-board')] },
  { id: 'hame-ely-contact', displayName: 'Riikka Peltonen', email: 'riikka.peltonen@ely.example', language: 'fi', roles: [{ organisation: HAME_ELY_BUSINESS_ID, role: 'funder-contact', body: 'funding' }] },
  { id: 'stm-contact', displayName: 'Ville Hämäläinen', email: 'ville.hamalainen@stm.example', language: 'en', roles: [{ organisation: STM_BUSINESS_ID, role: 'funder-contact', body: 'funding' }] },
];

/** Loads the demo people and their roles (after the registry). Safe to run twice. */
export async function seedDemoPeople(pool: Pool): Promise<{ people: number }> {
  const people = new PeopleRepository();
  return withTransaction(pool, async (tx) => {
    for (const { roles, ...person } of DEMO_PEOPLE) {
      await people.upsert(tx, person);
      for (const role of roles) await people.addRole(tx, person.id, { ...role, validFrom: SINCE });
    }
    return { people: DEMO_PEOPLE.length };
  });
}
