-- Processes that happened before Fuusio, recorded by an admin as imported records: the real decision
-- dates and the registry changes they made, so the registry's as-of reads and a workflow's state at a
-- past time answer for them. Each has a completed process_runs row (marked imported) and audit events
-- dated when the decisions and the effective date really were.
CREATE TABLE historical_records (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workflow_id     text NOT NULL UNIQUE REFERENCES process_runs (workflow_id),
  kind            text NOT NULL,
  title           text NOT NULL,
  effective_date  date NOT NULL,
  -- [{ body, party, decidedOn, reference? }], oldest first.
  decisions       jsonb NOT NULL,
  -- The registry changes as given ([{ type, … }]): the rows they wrote carry workflow_id as their source.
  changes         jsonb NOT NULL,
  -- Where the facts come from (a public document or decision record).
  source          text NOT NULL CHECK (length(source) BETWEEN 1 AND 2000),
  imported_by     text NOT NULL,
  imported_at     timestamptz NOT NULL DEFAULT now()
);

-- A run recorded from outside (a historical record), not run by Fuusio: lists and details say so.
ALTER TABLE process_runs ADD COLUMN imported boolean NOT NULL DEFAULT false;
