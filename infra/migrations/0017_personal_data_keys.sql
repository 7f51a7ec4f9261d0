-- Personal free text (a decision's comment, a note) travels into Temporal's histories, which Fuusio can
-- neither edit nor delete before retention, and into the history archive. Such values are sealed there
-- (AES-256-GCM) under a key per workflow and author; erasing the author's personal data destroys the key
-- (crypto-shredding): the history still replays, the sealed values can no longer be read by anyone.
CREATE TABLE personal_data_keys (
  key_id        text PRIMARY KEY,
  workflow_id   text NOT NULL,
  -- The audit trail's actor label of the author (e.g. "manager:maija"); null for values with no author.
  author        text,
  -- 32 random bytes while readable; null once shredded.
  secret        bytea CHECK (secret IS NULL OR octet_length(secret) = 32),
  created_at    timestamptz NOT NULL DEFAULT now(),
  shredded_at   timestamptz,
  shredded_by   text,
  shred_reason  text,
  CHECK ((secret IS NULL) = (shredded_at IS NOT NULL))
);
-- One readable key per workflow and author at a time; after a shredding, values sent later get a new key.
CREATE UNIQUE INDEX personal_data_keys_readable ON personal_data_keys (workflow_id, coalesce(author, '')) WHERE shredded_at IS NULL;
CREATE INDEX personal_data_keys_workflow ON personal_data_keys (workflow_id, author);

-- A shredded key never comes back: the application may create keys and shred them, not restore or delete.
REVOKE DELETE, TRUNCATE ON personal_data_keys FROM fuusio_app;

CREATE FUNCTION personal_data_key_stays_shredded() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.shredded_at IS NOT NULL THEN
    RAISE EXCEPTION 'personal data key % was shredded on %: it cannot change', OLD.key_id, OLD.shredded_at;
  END IF;
  IF NEW.key_id <> OLD.key_id OR NEW.workflow_id <> OLD.workflow_id OR NEW.author IS DISTINCT FROM OLD.author
     OR (NEW.secret IS NOT NULL AND NEW.secret <> OLD.secret) THEN
    RAISE EXCEPTION 'personal data key %: only shredding may change it', OLD.key_id;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER personal_data_keys_shred_only BEFORE UPDATE ON personal_data_keys
  FOR EACH ROW EXECUTE FUNCTION personal_data_key_stays_shredded();
