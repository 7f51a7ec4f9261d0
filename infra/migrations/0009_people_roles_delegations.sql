-- People who act in processes, their roles in organisations and their substitutes.
-- A person is known by a pseudonymous id; the display name and e-mail are the only personal data and
-- an erasure clears them (the id stays, so decisions already recorded keep their actor).
CREATE TABLE people (
  id            text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{2,39}$'),
  display_name  text CHECK (display_name IS NULL OR length(display_name) BETWEEN 1 AND 200),
  email         text CHECK (email IS NULL OR length(email) <= 320),
  language      text NOT NULL CHECK (language IN ('fi', 'sv', 'en')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  erased_at     timestamptz,
  CHECK (erased_at IS NULL OR (display_name IS NULL AND email IS NULL))
);

-- What a person is in an organisation for a time, e.g. a member of Socom's board (body "board").
-- `body` names the deciding body where the role sits in one (the key approvals and decision chains use).
CREATE TABLE person_roles (
  id            bigserial PRIMARY KEY,
  person_id     text NOT NULL REFERENCES people (id),
  organisation  text NOT NULL REFERENCES organisations (business_id),
  role          text NOT NULL,
  body          text,
  valid_from    date NOT NULL,
  valid_to      date CHECK (valid_to IS NULL OR valid_to >= valid_from),
  CONSTRAINT person_role_once UNIQUE NULLS NOT DISTINCT (person_id, organisation, role, body, valid_from)
);
CREATE INDEX person_roles_organisation ON person_roles (organisation, role);
CREATE INDEX person_roles_person ON person_roles (person_id);

-- A person hands one of their roles to a substitute for a date range [valid_from, valid_to].
-- One role of one person has at most one substitute on any day.
CREATE TABLE delegations (
  id            bigserial PRIMARY KEY,
  from_person   text NOT NULL REFERENCES people (id),
  to_person     text NOT NULL REFERENCES people (id),
  organisation  text NOT NULL REFERENCES organisations (business_id),
  role          text NOT NULL,
  valid_from    date NOT NULL,
  valid_to      date NOT NULL,
  created_by    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  CHECK (from_person <> to_person),
  CHECK (valid_to >= valid_from),
  CONSTRAINT delegations_no_overlap EXCLUDE USING gist (
    from_person WITH =, organisation WITH =, role WITH =,
    daterange(valid_from, valid_to, '[]') WITH &&
  )
);
CREATE INDEX delegations_to_person ON delegations (to_person);

-- A token may belong to a person; the audit trail then names that person as the actor.
ALTER TABLE api_tokens ADD COLUMN person_id text REFERENCES people (id);

-- Approvals decided by several people: who may decide, how many must approve, and the votes so far.
ALTER TABLE approvals ADD COLUMN quorum integer CHECK (quorum IS NULL OR quorum >= 1);
ALTER TABLE approvals ADD COLUMN members text[];
ALTER TABLE approvals ADD COLUMN votes jsonb NOT NULL DEFAULT '[]';
