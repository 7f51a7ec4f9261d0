-- An organisation's name in Swedish, where the registry has one: the bilingual municipalities
-- (Porvoo – Borgå, Loviisa – Lovisa, …), the state authorities and the centres with a Swedish name.
-- The Finnish `name` stays the name of record; the dashboard shows the Swedish one to Swedish readers.
ALTER TABLE organisations ADD COLUMN name_sv text CHECK (name_sv IS NULL OR length(name_sv) BETWEEN 1 AND 200);

-- The deciding bodies of an organisation by the key approvals and decision chains use (`board`,
-- `verso-board`, `joint-authority-council`), with their names: Finnish, and Swedish and English where known.
CREATE TABLE governing_bodies (
  organisation_id text NOT NULL REFERENCES organisations (business_id),
  body_key        text NOT NULL CHECK (body_key ~ '^[a-z0-9][a-z0-9-]{0,79}$'),
  name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  name_sv         text CHECK (name_sv IS NULL OR length(name_sv) BETWEEN 1 AND 200),
  name_en         text CHECK (name_en IS NULL OR length(name_en) BETWEEN 1 AND 200),
  PRIMARY KEY (organisation_id, body_key)
);
