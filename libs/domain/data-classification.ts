/**
 * Every free-text field that enters Fuusio through the API, with its class and how it is erased.
 * test/data-classification.test.ts walks the API's input schemas and fails on a string field that is
 * not constrained (no enum, pattern or format) and not listed here; docs/personal-data.md explains it.
 *
 * A path is `<input>.<field>`: `launch.<kind>`, `event.<type>` (the payload of a typed event), `decision`,
 * `cancel`, `event` (the envelope of `POST /api/events` and `/workflows/{id}/events`), `person`, `webhook`, …;
 * `[]` stands for any element of an array.
 */

/**
 * - `personal`: may name people. Sealed in Temporal under a key per workflow and author, lifted out of the
 *   audit chain (only a salted digest is chained), erasable (`POST /api/audit/erasures`).
 * - `directory`: a person's own record (name, e-mail); erased by `POST /api/people/{id}/erasure`.
 * - `payload`: an event payload of a type without a schema; may hold anything a sending system puts in it.
 * - `business`: must not name people (organisations, titles, public documents); the API says so where
 *   a caller could be tempted, and the field is chained and kept as part of the record.
 * - `pseudonymous`: stands for a person or a client without naming them (token names, actor labels).
 * - `identifier`: names a thing in Fuusio (a gate, a body key, a business key, an idempotency key, a query).
 */
export type DataClass = 'personal' | 'directory' | 'payload' | 'business' | 'pseudonymous' | 'identifier';

/** `warned`: the field's description in the API (OpenAPI) tells callers not to name people there. */
export type FieldClassification = { class: DataClass; why: string; warned?: true };

/** What the API says of a business text a caller could be tempted to put a name in. */
export const NO_PEOPLE_HERE = 'Do not name people here: this text is kept in the audit trail as it is and cannot be erased.';

/** A field's description for the API, with the warning. */
export function noPeopleHere(description: string): string {
  return `${description}. ${NO_PEOPLE_HERE}`;
}

const personal = (why: string): FieldClassification => ({ class: 'personal', why });
const business = (why: string): FieldClassification => ({ class: 'business', why });
/** Business text the API warns callers about (noPeopleHere in the field's description). */
const warned = (why: string): FieldClassification => ({ class: 'business', why, warned: true });
const identifier = (why: string): FieldClassification => ({ class: 'identifier', why });

const ORG_NAME = business('the name of an organisation or municipality, from the registry or a public decision');
const REGION = business('a region (maakunta) name');
const BODY = identifier('the key of a deciding body, e.g. "board"');
const REFERENCE = warned('a document or decision reference (e.g. "Hallitus 3/2026 § 4"), chained as it is');
const TITLE = warned('the title of a task, indicator or publication');
const OWNER_ROLE = warned('an owner as a role or unit ("Communications"), never a person');
const WHY_TEXT = warned('the workflow reads it (its failure text and result), so it cannot be sealed; chained as it is');

/** The classification. Keep it in the order of the API's inputs. */
export const FREE_TEXT_FIELDS: Readonly<Record<string, FieldClassification>> = {
  // Decisions and the event envelope
  'decision.gate': identifier('the gate being decided, e.g. "board"'),
  'decision.party': identifier('the deciding party, a business id or a party key'),
  'decision.body': BODY,
  'decision.comment': personal('free text by the decider; may name people (a PERSONAL_KEYS field)'),
  'decision.reference': REFERENCE,
  'cancel.reason': WHY_TEXT,
  'event.idempotencyKey': identifier("the sending system's key for the event"),
  'event.businessKey': identifier('routes the event to its workflow'),
  'event.payload': {
    class: 'payload',
    why: 'a payload of a type without a schema (e.g. subscription.signed with signedBy) may name people: sealed whole on its way into '
      + 'Temporal (no workflow reads it), never chained, removed from exported bundles, cleared from inbound_events by an erasure of '
      + 'its workflow or business key (or of its sender)',
  },
  // Typed event payloads
  'event.payment.received.reference': REFERENCE,
  'event.payment.confirmed.payment': identifier('the idempotency key of the payment being confirmed'),
  'event.study.completed.findings': warned('the workflow checks the findings as text and keeps them in its result, so they cannot be sealed'),
  'event.task.completed.task': identifier('the key of a checklist task'),
  'event.tasks.closed.reason': WHY_TEXT,
  'event.application.submitted.reference': REFERENCE,
  'event.funding.decided.reference': REFERENCE,
  'event.funding.decided.comment': personal("the funder's free text; may name people (a PERSONAL_KEYS field)"),
  'event.report.submitted.reference': REFERENCE,
  'event.indicator.recorded.key': identifier('the key of an indicator'),
  'event.change.requested.reference': REFERENCE,
  'event.closing.approved.reference': REFERENCE,
  'event.results.published.where': business('where results were published (a journal, a web address)'),
  'event.results.published.title': TITLE,
  // Launch inputs
  'launch.onboarding.applicant.name': ORG_NAME,
  'launch.onboarding.applicant.kind': identifier('the kind of applicant, checked against the kinds the company admits'),
  'launch.onboarding.applicant.region': REGION,
  'launch.shareholding-merger.into.name': ORG_NAME,
  'launch.shareholding-merger.into.region': REGION,
  'launch.consolidation.parties[].label': business('a short label of an organisation, e.g. "Verso"'),
  'launch.consolidation.parties[].activities[]': business('an activity that moves, e.g. "Swedish-language service development"'),
  'launch.consolidation.parties[].decisionChain[].body': BODY,
  'launch.consolidation.receiving.region': REGION,
  'launch.consolidation.receiving.name': ORG_NAME,
  'launch.consolidation.host.label': business('a short label of an organisation'),
  'launch.consolidation.host.decisionChain[].body': BODY,
  'launch.consolidation.feasibility.owner': OWNER_ROLE,
  'launch.consolidation.integration[].title': TITLE,
  'launch.consolidation.integration[].owner': OWNER_ROLE,
  'launch.project.name': business("the project's name"),
  'launch.project.region': REGION,
  'launch.project.ownFinancing.partners[].name': ORG_NAME,
  'launch.project.indicators[].title': TITLE,
  'launch.project.predecessor': identifier('the code of a predecessor project'),
  // People, delegations and what reaches them
  'person.displayName': { class: 'directory', why: "a person's name; erased by the people erasure, which clears every copy" },
  'webhook.url': business("a receiving system's address; the API refuses credentials in it"),
  'calendar.label': business("a feed's label for its owner (e.g. \"board calendar\"); not shown to anyone else"),
  // Historical records
  'historical.title': business('the title of a public decision'),
  'historical.decisions[].body': BODY,
  'historical.decisions[].reference': business('the minutes or decision number of a public decision'),
  'historical.source': business('the public document the facts come from'),
  // Tokens, audit requests
  'token.name': { class: 'pseudonymous', why: "the token's owner as the audit trail labels its actor (role:name); a login name, not a person's name" },
  'token.expiresAt': identifier('a moment or a duration, parsed by the service'),
  'revocation.reason': warned('why a token was revoked, chained as it is'),
  'erasure.workflowId': identifier('the workflow whose personal data is erased, or the business key of unmatched events'),
  'erasure.reason': warned('the ground of the erasure (e.g. a request number), chained as it is'),
  'replay.workflowIds[]': identifier('workflow ids'),
  'replay.query': identifier('a list filter such as "kind=onboarding&status=completed"'),
};

