-- Consolidations of realistic size (a wellbeing services county has ~19,000 staff): the items a
-- consolidation moves live here, not in workflow inputs, results or histories. The workflow carries
-- a reference and counts; its activities move and undo them in set-based batches.

-- An uploaded item list (CSV or JSON lines): staff references and agreements of one party, validated
-- row by row before anything is stored. A launch names it per party instead of inline arrays.
CREATE TABLE consolidation_item_lists (
  id              uuid PRIMARY KEY,
  -- The uploading token's organisation (null for an administrator of every organisation): only a
  -- token of the same scope may launch with the list.
  organisation_id text,
  uploaded_by     text NOT NULL,
  staff           integer NOT NULL CHECK (staff >= 0),
  agreements      integer NOT NULL CHECK (agreements >= 0),
  uploaded_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE consolidation_item_list_rows (
  list_id         uuid NOT NULL REFERENCES consolidation_item_lists (id) ON DELETE CASCADE,
  -- The line of the upload (1 is the first line, a CSV header included), so a row is traceable.
  line            integer NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('staff', 'agreement')),
  ref             text NOT NULL,
  counterparty_id text,
  PRIMARY KEY (list_id, kind, ref)
);
CREATE INDEX consolidation_item_list_rows_line ON consolidation_item_list_rows (list_id, line);

-- The items of one consolidation (keyed by its workflow id), stored once by its *prepared* stage from
-- the inline arrays and the referenced lists: each party's staff, agreements and projects in input
-- order. `position` orders the whole consolidation; batches page through it by (party, kind, position).
CREATE TABLE consolidation_items (
  workflow_id     text NOT NULL,
  party_id        text NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('staff', 'project', 'agreement')),
  ref             text NOT NULL,
  counterparty_id text,
  position        integer NOT NULL,
  -- An item belongs to one party and moves once.
  PRIMARY KEY (workflow_id, kind, ref),
  CONSTRAINT consolidation_item_position_once UNIQUE (workflow_id, position)
);
CREATE INDEX consolidation_items_batch ON consolidation_items (workflow_id, party_id, kind, position);

-- Undo batches take the newest moves not yet undone.
CREATE INDEX consolidation_transfers_pending_undo ON consolidation_transfers (workflow_id, seq) WHERE undone_at IS NULL;

-- A batch finds its items' holdings by (kind, ref) a thousand at a time: a btree answers that in
-- milliseconds where the exclusion constraint's GiST index takes a tenth of a second.
CREATE INDEX centre_holdings_item ON centre_holdings (kind, ref);
