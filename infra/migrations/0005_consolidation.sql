-- Consolidating centres of expertise: what a centre serves and holds over time, and the
-- consolidation workflow's own record (snapshot, transfer log, receiving centre).

-- Which municipalities a centre serves, for which period ([valid_from, valid_to], inclusive).
-- A carve-out ends some of a party's rows the day before the effective date and opens the same
-- municipalities for the receiving centre from that date.
CREATE TABLE service_areas (
  id              bigserial PRIMARY KEY,
  centre_id       text NOT NULL REFERENCES organisations (business_id),
  municipality_id text NOT NULL REFERENCES organisations (business_id),
  valid_from      date NOT NULL,
  valid_to        date CHECK (valid_to IS NULL OR valid_to >= valid_from),
  source_workflow_id text,
  source_step     text,
  -- A centre serves a municipality at most once at any time.
  CONSTRAINT service_area_once_in_time EXCLUDE USING gist (
    centre_id WITH =, municipality_id WITH =, daterange(valid_from, valid_to, '[]') WITH &&
  )
);
CREATE INDEX service_areas_municipality ON service_areas (municipality_id);
CREATE INDEX service_areas_workflow ON service_areas (source_workflow_id) WHERE source_workflow_id IS NOT NULL;

-- What a centre holds over time: its staff (pseudonymous references ONLY, never names), running
-- development projects (with their funder) and cooperation agreements (with the counterparty).
-- A transfer ends the party's row the day before the effective date and opens one for the receiver.
CREATE TABLE centre_holdings (
  id              bigserial PRIMARY KEY,
  kind            text NOT NULL CHECK (kind IN ('staff', 'project', 'agreement')),
  ref             text NOT NULL CHECK (ref ~ '^[A-Za-z0-9][A-Za-z0-9/-]{1,79}$'),
  organisation_id text NOT NULL REFERENCES organisations (business_id),
  counterparty_id text REFERENCES organisations (business_id),
  valid_from      date NOT NULL,
  valid_to        date CHECK (valid_to IS NULL OR valid_to >= valid_from),
  source_workflow_id text,
  source_step     text,
  -- One holder per item at any time.
  CONSTRAINT centre_holding_once_in_time EXCLUDE USING gist (
    kind WITH =, ref WITH =, daterange(valid_from, valid_to, '[]') WITH &&
  ),
  CONSTRAINT centre_holding_step_once UNIQUE (source_workflow_id, source_step)
);
CREATE INDEX centre_holdings_org ON centre_holdings (organisation_id, kind);

-- The registry rows a consolidation touches, as they were before it wrote anything: compensation
-- restores exactly these, and tests compare against them.
CREATE TABLE consolidation_snapshots (
  workflow_id text PRIMARY KEY,
  taken_at    timestamptz NOT NULL DEFAULT now(),
  rows        jsonb NOT NULL
);

-- The receiving centre's record as established before the effective date (new, or the surviving
-- party with its new region) and when the effective-date changes were applied.
CREATE TABLE consolidation_receiving (
  workflow_id     text PRIMARY KEY,
  centre_id       text NOT NULL,
  created_centre  boolean NOT NULL,
  region_after    text NOT NULL,
  effective_date  date NOT NULL,
  established_at  timestamptz NOT NULL DEFAULT now(),
  effective_applied_at timestamptz,
  effective_summary jsonb,
  undone_at       timestamptz
);

-- One row per item a consolidation moved (or kept), in the order it moved: compensation undoes
-- them in reverse `seq` order. `step` is the natural key of the write (workflow + step).
CREATE TABLE consolidation_transfers (
  seq          bigserial PRIMARY KEY,
  workflow_id  text NOT NULL,
  step         text NOT NULL,
  party_id     text NOT NULL,
  kind         text NOT NULL CHECK (kind IN ('staff', 'project', 'agreement', 'shareholding')),
  ref          text NOT NULL,
  outcome      text NOT NULL CHECK (outcome IN ('transferred', 'kept')),
  -- The party's row the transfer ended (centre_holdings, or share_register for a shareholding) and
  -- its valid_to / disposed_on before, so an undo restores it exactly.
  ended_row_id bigint,
  ended_valid_to date,
  undone_at    timestamptz,
  recorded_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT consolidation_transfer_once UNIQUE (workflow_id, step)
);
