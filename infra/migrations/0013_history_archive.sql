-- Temporal deletes a closed run's history after the namespace retention (days); the records of a
-- process live for years. Every closed run's full history (children and continued-as-new runs
-- included) is kept here, gzip-compressed protobuf (temporal.api.history.v1.History), with the SHA-256
-- of the uncompressed bytes, which is also written to the workflow's audit trail.
CREATE TABLE history_archive (
  workflow_id         text NOT NULL,
  run_id              text NOT NULL,
  workflow_type       text NOT NULL,
  -- The workflow that started this one as a child (null for a top-level workflow).
  parent_workflow_id  text,
  parent_run_id       text,
  -- Temporal's close status: completed, failed, cancelled, terminated, timed_out, continued_as_new.
  close_status        text NOT NULL CHECK (close_status IN ('completed', 'failed', 'cancelled', 'terminated', 'timed_out', 'continued_as_new')),
  started_at          timestamptz NOT NULL,
  closed_at           timestamptz NOT NULL,
  events_count        integer NOT NULL CHECK (events_count > 0),
  sha256              text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  history             bytea NOT NULL,
  archived_at         timestamptz NOT NULL DEFAULT now(),
  -- Kept as long as the process's records (a project's retentionYears); null until a rule sets it.
  retain_until        date,
  PRIMARY KEY (workflow_id, run_id)
);
CREATE INDEX history_archive_parent ON history_archive (parent_workflow_id, workflow_id) WHERE parent_workflow_id IS NOT NULL;
CREATE INDEX history_archive_closed ON history_archive (closed_at);

-- How far the archiver is known to be complete, per scope (its visibility filter, e.g. one task queue):
-- every run closed before complete_until was archived, so a pass lists only runs closed after it (less a
-- look-back for visibility's lag). Only a pass that got through everything moves it.
CREATE TABLE history_archive_progress (
  scope           text PRIMARY KEY,
  complete_until  timestamptz NOT NULL
);

-- An archived history is evidence: the application may add and (at the end of retention) delete, never rewrite.
REVOKE UPDATE, TRUNCATE ON history_archive FROM fuusio_app;
GRANT UPDATE (retain_until) ON history_archive TO fuusio_app;
