-- Transactional outbox: the tracking write that opens an approval or sends a reminder or escalation also
-- writes here, in the same transaction; the worker's sender delivers and records each outcome.
CREATE TABLE webhooks (
  id            bigserial PRIMARY KEY,
  organisation  text NOT NULL REFERENCES organisations (business_id),
  url           text NOT NULL CHECK (length(url) <= 2000),
  -- Shared with the receiver, which verifies x-fuusio-signature with it; shown once at creation.
  secret        text NOT NULL,
  created_by    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  active        boolean NOT NULL DEFAULT true
);
CREATE INDEX webhooks_organisation ON webhooks (organisation) WHERE active;

CREATE TABLE outbox (
  id               bigserial PRIMARY KEY,
  -- <workflow>:<step>:<recipient>:<channel>; a retried activity inserts nothing twice, and the key is the
  -- e-mail Message-ID and the webhook delivery id, so a receiver can tell a redelivery.
  idempotency_key  text NOT NULL UNIQUE,
  workflow_id      text NOT NULL,
  step_key         text NOT NULL,
  channel          text NOT NULL CHECK (channel IN ('email', 'webhook')),
  -- A person id (email) or a webhook id (webhook).
  recipient        text NOT NULL,
  language         text NOT NULL CHECK (language IN ('fi', 'sv', 'en')),
  template         text NOT NULL,
  params           jsonb NOT NULL DEFAULT '{}',
  -- sending: handed to the channel, outcome not yet recorded (a crash there leaves it in doubt).
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'dead')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  last_error       text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  sent_at          timestamptz
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status IN ('pending', 'failed', 'sending');
CREATE INDEX outbox_workflow ON outbox (workflow_id, id);
CREATE INDEX outbox_dead ON outbox (id) WHERE status = 'dead';
