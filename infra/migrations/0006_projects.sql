-- ESR development projects (kind `project`): the record the lifecycle workflow keeps up to date, its
-- gap-free payment-application periods and their reports, indicators, closing documents and rooting
-- publications. Written only by the project activities (one transaction each, idempotent); read by
-- GET /api/projects. Historical projects (Sokra I and II) are seeded here directly.

CREATE TABLE projects (
  workflow_id      text PRIMARY KEY,
  eura_code        text CHECK (eura_code ~ '^[A-Z][0-9]{5}$'),
  name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  funder_id        text NOT NULL,
  lead_id          text NOT NULL,
  partner_ids      text[] NOT NULL DEFAULT '{}',
  region           text,
  start_date       date NOT NULL,
  end_date         date NOT NULL CHECK (end_date >= start_date),
  planned_end_date date NOT NULL,
  budget_cents     bigint NOT NULL CHECK (budget_cents > 0),
  approved_cents   bigint CHECK (approved_cents > 0),
  own_financing    jsonb,
  reporting_period_months integer NOT NULL CHECK (reporting_period_months BETWEEN 1 AND 24),
  -- The workflow id of the phase this one continues (Sokra II → Sokra I).
  predecessor_id   text REFERENCES projects (workflow_id),
  status           text NOT NULL CHECK (status IN ('planned', 'applied', 'rejected', 'running', 'closing', 'rooting', 'archived', 'cancelled')),
  decided_on       date,
  decision_reference text,
  archived_on      date,
  retain_until     date,
  note             text,
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX projects_eura_code ON projects (eura_code, start_date);
CREATE INDEX projects_predecessor ON projects (predecessor_id);

-- One row per payment-application period; reported_on is set once, by the report.
CREATE TABLE project_periods (
  workflow_id  text NOT NULL REFERENCES projects (workflow_id),
  period_no    integer NOT NULL CHECK (period_no >= 1),
  starts_on    date NOT NULL,
  ends_on      date NOT NULL CHECK (ends_on >= starts_on),
  due_on       date NOT NULL CHECK (due_on >= ends_on),
  reported_on  date,
  costs_cents  bigint CHECK (costs_cents >= 0),
  report_reference text,
  escalated_on date,
  PRIMARY KEY (workflow_id, period_no)
);

CREATE TABLE project_indicators (
  workflow_id  text NOT NULL REFERENCES projects (workflow_id),
  key          text NOT NULL,
  title        text NOT NULL,
  target       numeric NOT NULL CHECK (target >= 0),
  actual       numeric CHECK (actual >= 0),
  recorded_on  date,
  PRIMARY KEY (workflow_id, key)
);

-- Closing documents (final report, final monitoring form, final payment application), the last
-- instalment and rooting publications: each written once.
CREATE TABLE project_documents (
  workflow_id  text NOT NULL REFERENCES projects (workflow_id),
  kind         text NOT NULL CHECK (kind IN ('final-report', 'monitoring-form', 'final-payment', 'last-instalment', 'rooting')),
  doc_key      text NOT NULL,
  recorded_on  date NOT NULL,
  detail       jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (workflow_id, kind, doc_key)
);
