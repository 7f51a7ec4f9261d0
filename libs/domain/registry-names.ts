/**
 * Names the registry keeps in more than one language: the Finnish name is the name of record; Swedish
 * (and for bodies English) where known. Readers get the name in their language, else the Finnish one.
 */
export type NamedOrganisation = { name: string; nameSv: string | null };

/** A deciding body of an organisation, by the key its approvals and decision chains use. */
export type GoverningBody = { organisationId: string; bodyKey: string; name: string; nameSv: string | null; nameEn: string | null };
