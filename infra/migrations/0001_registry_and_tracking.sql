-- Registry: organisations, companies and their share registers.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE organisations (
  business_id text PRIMARY KEY CHECK (business_id ~ '^[0-9]{7}-[0-9]$'),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  kind        text NOT NULL,
  region      text,
  population  integer CHECK (population >= 0),
  area_km2    numeric(10, 2) CHECK (area_km2 >= 0),
  valid_from  date NOT NULL,
  valid_to    date CHECK (valid_to IS NULL OR valid_to >= valid_from),
  merged_into text REFERENCES organisations (business_id),
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX organisations_kind_region ON organisations (kind, region);

-- A company with a share register: shares_issued always equals the shares currently held.
CREATE TABLE companies (
  business_id   text PRIMARY KEY REFERENCES organisations (business_id),
  shares_issued integer NOT NULL DEFAULT 0 CHECK (shares_issued >= 0),
  share_price_cents bigint NOT NULL DEFAULT 0 CHECK (share_price_cents >= 0)
);

-- One row per holder and share-number range for the time it was held: [acquired_on, disposed_on).
CREATE TABLE share_register (
  id            bigserial PRIMARY KEY,
  company_id    text NOT NULL REFERENCES companies (business_id),
  holder_id     text NOT NULL REFERENCES organisations (business_id),
  first_no      integer NOT NULL CHECK (first_no >= 1),
  last_no       integer NOT NULL CHECK (last_no >= first_no),
  acquired_on   date NOT NULL,
  disposed_on   date CHECK (disposed_on IS NULL OR disposed_on > acquired_on),
  source_workflow_id text,
  source_step   text,
  -- No share number is held twice at the same time.
  CONSTRAINT share_numbers_unique_in_time EXCLUDE USING gist (
    company_id WITH =,
    int4range(first_no, last_no, '[]') WITH &&,
    daterange(acquired_on, disposed_on, '[)') WITH &&
  ),
  -- A workflow step writes its register rows once, whatever the retries.
  CONSTRAINT share_register_step_once UNIQUE (source_workflow_id, source_step, holder_id, first_no)
);
CREATE INDEX share_register_holder ON share_register (holder_id);

-- Shares promised to an applicant between the board decision and registration.
CREATE TABLE share_reservations (
  workflow_id   text PRIMARY KEY,
  company_id    text NOT NULL REFERENCES companies (business_id),
  applicant_id  text NOT NULL,
  shares        integer NOT NULL CHECK (shares > 0),
  status        text NOT NULL CHECK (status IN ('reserved', 'released', 'registered')),
  reserved_at   timestamptz NOT NULL DEFAULT now(),
  closed_at     timestamptz
);

CREATE TABLE notifications (
  id            bigserial PRIMARY KEY,
  workflow_id   text NOT NULL,
  step_key      text NOT NULL,
  recipient_id  text NOT NULL,
  subject       text NOT NULL,
  body          text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT notifications_once UNIQUE (workflow_id, step_key, recipient_id)
);

-- Progress projection: what managers read.
CREATE TABLE process_runs (
  workflow_id   text PRIMARY KEY,
  run_id        text,
  kind          text NOT NULL,
  business_key  text NOT NULL,
  title         text NOT NULL,
  status        text NOT NULL CHECK (status IN ('running', 'completed', 'rejected', 'expired', 'cancelled', 'failed')),
  stage         text NOT NULL,
  percent       smallint NOT NULL DEFAULT 0 CHECK (percent BETWEEN 0 AND 100),
  organisations text[] NOT NULL DEFAULT '{}',
  waiting_for   text[] NOT NULL DEFAULT '{}',
  next_deadline timestamptz,
  stages        jsonb NOT NULL DEFAULT '[]',
  result        jsonb,
  failure       text,
  started_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL
);
CREATE INDEX process_runs_keyset ON process_runs (updated_at DESC, workflow_id DESC);
CREATE INDEX process_runs_kind_status ON process_runs (kind, status);
CREATE INDEX process_runs_orgs ON process_runs USING gin (organisations);

CREATE TABLE process_steps (
  workflow_id   text NOT NULL REFERENCES process_runs (workflow_id),
  step_key      text NOT NULL,
  stage         text NOT NULL,
  title         text NOT NULL,
  status        text NOT NULL CHECK (status IN ('pending', 'running', 'done', 'failed', 'skipped')),
  started_at    timestamptz,
  finished_at   timestamptz,
  due_at        timestamptz,
  detail        jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (workflow_id, step_key)
);

CREATE TABLE approvals (
  workflow_id   text NOT NULL REFERENCES process_runs (workflow_id),
  gate          text NOT NULL,
  party         text NOT NULL,
  body          text NOT NULL,
  status        text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'expired', 'withdrawn')),
  due_at        timestamptz,
  decided_at    timestamptz,
  decided_by    text,
  comment       text,
  reference     text,
  PRIMARY KEY (workflow_id, gate, party)
);

-- Append-only audit trail; each row chains the previous row's hash.
CREATE TABLE audit_events (
  seq           bigint PRIMARY KEY,
  idempotency_key text NOT NULL UNIQUE,
  workflow_id   text,
  action        text NOT NULL,
  actor         text NOT NULL,
  occurred_at   timestamptz NOT NULL,
  payload       jsonb NOT NULL,
  prev_hash     text NOT NULL,
  hash          text NOT NULL
);
CREATE INDEX audit_events_workflow ON audit_events (workflow_id, seq);

-- Business events from people and other systems; an event that matches no workflow stays here as unmatched.
CREATE TABLE inbound_events (
  idempotency_key text PRIMARY KEY,
  type          text NOT NULL,
  business_key  text,
  workflow_id   text,
  payload       jsonb NOT NULL,
  status        text NOT NULL CHECK (status IN ('delivered', 'unmatched', 'refused')),
  detail        text,
  received_by   text NOT NULL,
  received_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_tokens (
  id            bigserial PRIMARY KEY,
  name          text NOT NULL,
  role          text NOT NULL CHECK (role IN ('admin', 'manager', 'auditor', 'integration')),
  organisation  text,
  token_hash    text NOT NULL UNIQUE,
  created_at    timestamptz NOT NULL DEFAULT now(),
  revoked_at    timestamptz
);
