import type { GoverningBody } from '../../libs/domain/registry-names';
import { DEMO_ORGANISATIONS } from './demo-data';

/**
 * Swedish names of the demo registry's organisations, keyed by the registry's Finnish name. The
 * municipalities' names are their official Swedish names (public knowledge; DOMAIN.md names Porvoo,
 * Loviisa, Sipoo, Lapinjärvi and Myrskylä as bilingual). The Swedish names of Socca, HUS, the
 * universities and the state authorities are public knowledge too; Verso's is ILLUSTRATIVE (DOMAIN.md
 * says it develops Swedish-language services but gives no Swedish name). Organisations without a
 * Swedish name (Sosiaalitaito Oy, Askola, Pukkila, …) are left out: the dashboard then shows the
 * Finnish name.
 */
export const SWEDISH_NAMES: Readonly<Record<string, string>> = {
  // Itä-Uusimaa: the bilingual municipalities of Verso's carve-out.
  Porvoo: 'Borgå', Loviisa: 'Lovisa', Sipoo: 'Sibbo', Lapinjärvi: 'Lappträsk', Myrskylä: 'Mörskom',
  // The rest of Uusimaa.
  Helsinki: 'Helsingfors', Espoo: 'Esbo', Vantaa: 'Vanda', Kauniainen: 'Grankulla', Kerava: 'Kervo',
  Hyvinkää: 'Hyvinge', Järvenpää: 'Träskända', Tuusula: 'Tusby', Pornainen: 'Borgnäs',
  Hanko: 'Hangö', Inkoo: 'Ingå', Karkkila: 'Högfors', Kirkkonummi: 'Kyrkslätt', Lohja: 'Lojo',
  Raasepori: 'Raseborg', Siuntio: 'Sjundeå', Vihti: 'Vichtis',
  // Päijät-Häme and Socom's region.
  Lahti: 'Lahtis', Iitti: 'Itis', Hamina: 'Fredrikshamn', Pyhtää: 'Pyttis', Virolahti: 'Vederlax',
  Lappeenranta: 'Villmanstrand',
  // Centres and authorities.
  'Socca – Pääkaupunkiseudun sosiaalialan osaamiskeskus': 'Socca – Huvudstadsregionens kompetenscentrum inom det sociala området',
  'Verso – sosiaalialan osaamiskeskus': 'Verso – kompetenscentrum inom det sociala området',
  'Terveyden ja hyvinvoinnin laitos THL (Finnish Institute for Health and Welfare)': 'Institutet för hälsa och välfärd THL',
  'Sosiaali- ja terveysministeriö STM (Ministry of Social Affairs and Health)': 'Social- och hälsovårdsministeriet SHM',
  'Hämeen ELY-keskus (Häme ELY Centre)': 'NTM-centralen i Tavastland',
  'HUS – Helsingin ja Uudenmaan sairaanhoitopiirin kuntayhtymä (Hospital District of Helsinki and Uusimaa)': 'HNS – Samkommunen Helsingfors och Nylands sjukvårdsdistrikt',
  'Diakonia-ammattikorkeakoulu Diak (Diaconia UAS)': 'Diakonia-yrkeshögskolan Diak',
  'Metropolia Ammattikorkeakoulu (Metropolia UAS)': 'Yrkeshögskolan Metropolia',
  'Laurea-ammattikorkeakoulu (Laurea UAS)': 'Laurea-yrkeshögskolan',
  'Helsingin yliopisto (University of Helsinki)': 'Helsingfors universitet',
};


function idOf(prefix: string): string {
  const found = DEMO_ORGANISATIONS.find((o) => o.name.startsWith(prefix));
  if (!found) throw new Error(`demo data: no organisation named ${prefix}…`);
  return found.businessId;
}

const body = (prefix: string, bodyKey: string, name: string, nameSv: string, nameEn: string): GoverningBody =>
  ({ organisationId: idOf(prefix), bodyKey, name, nameSv, nameEn });

/**
 * The deciding bodies of the seeded processes, by the keys their approvals and decision chains use
 * (demo-consolidation.ts, Socom's onboarding board), named in Finnish, Swedish and English. Verso as a
 * municipal enterprise had a direktion (johtokunta); its owner was a joint municipal authority with a
 * board and a council (DOMAIN.md). The Swedish names are the usual terms, not quoted from the bodies.
 */
export const DEMO_BODIES: readonly GoverningBody[] = [
  body('Socom Oy', 'board', 'Socom Oy:n hallitus', 'Socom Oy:s styrelse', 'Socom board'),
  body('Socca', 'socca-steering-group', 'Soccan ohjausryhmä', 'Soccas styrgrupp', 'Socca steering group'),
  body('Sosiaalitaito', 'sosiaalitaito-board', 'Sosiaalitaito Oy:n hallitus', 'Sosiaalitaito Oy:s styrelse', 'Sosiaalitaito board'),
  body('Verso', 'verso-board', 'Verson johtokunta', 'Versos direktion', 'Verso board'),
  body('Verso', 'joint-authority-board', 'Kuntayhtymän hallitus', 'Samkommunens styrelse', 'Joint municipal authority board'),
  body('Verso', 'joint-authority-council', 'Kuntayhtymän valtuusto', 'Samkommunens fullmäktige', 'Joint municipal authority council'),
  body('HUS', 'hus-board', 'HUS:n hallitus', 'HNS styrelse', 'HUS board'),
];
