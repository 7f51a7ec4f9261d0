-- iCalendar feeds: a person's or an organisation's deadlines behind an unguessable URL. Only the SHA-256 of
-- the feed's secret is kept (the URL is shown once, at creation); revoking keeps the row for the record.
CREATE TABLE calendar_feeds (
  id            bigserial PRIMARY KEY,
  secret_hash   text NOT NULL UNIQUE CHECK (secret_hash ~ '^[0-9a-f]{64}$'),
  person_id     text REFERENCES people (id),
  organisation  text REFERENCES organisations (business_id),
  label         text CHECK (label IS NULL OR length(label) BETWEEN 1 AND 200),
  created_by    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  revoked_at    timestamptz,
  revoked_by    text,
  -- A feed is of exactly one person or one organisation.
  CHECK ((person_id IS NULL) <> (organisation IS NULL)),
  CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);
CREATE INDEX calendar_feeds_person ON calendar_feeds (person_id) WHERE person_id IS NOT NULL;
CREATE INDEX calendar_feeds_organisation ON calendar_feeds (organisation) WHERE organisation IS NOT NULL;

-- How a person wants their e-mail: each message at once, or one digest per Helsinki day.
ALTER TABLE people ADD COLUMN notify text NOT NULL DEFAULT 'immediate' CHECK (notify IN ('immediate', 'daily'));

-- A message for a person who takes a daily digest waits as `held` until the sender folds it into that
-- day's digest (its own outbox row, template `digest`) and marks it `digested` with the digest's id.
ALTER TABLE outbox DROP CONSTRAINT outbox_status_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_status_check
  CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'dead', 'held', 'digested'));
ALTER TABLE outbox ADD COLUMN digest_id bigint REFERENCES outbox (id);
CREATE INDEX outbox_held ON outbox (recipient, created_at) WHERE status = 'held';

-- Who switched a webhook off, and when (a deactivated webhook receives nothing more; its row stays).
ALTER TABLE webhooks ADD COLUMN deactivated_at timestamptz;
ALTER TABLE webhooks ADD COLUMN deactivated_by text;
ALTER TABLE webhooks ADD CONSTRAINT webhooks_deactivation CHECK (active = (deactivated_at IS NULL));
