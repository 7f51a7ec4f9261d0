CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public;

CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

CREATE FUNCTION public.audit_events_refuse_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE FUNCTION public.audit_personal_only_erasure() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  IF TG_OP <> 'UPDATE' THEN
    RAISE EXCEPTION 'audit_personal rows are never removed: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD.erased_at IS NOT NULL OR NEW.seq <> OLD.seq OR NEW.fields IS NOT NULL OR NEW.salt IS NOT NULL
     OR NEW.erased_at IS NULL OR NEW.erased_by IS NULL OR NEW.erasure_reason IS NULL THEN
    RAISE EXCEPTION 'audit_personal allows only an erasure (values and salt cleared, with who and why)'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;

CREATE TABLE public.api_tokens (
    id bigint NOT NULL,
    name text NOT NULL,
    role text NOT NULL,
    organisation text,
    token_hash text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    revoked_at timestamp with time zone,
    CONSTRAINT api_tokens_role_check CHECK ((role = ANY (ARRAY['admin'::text, 'manager'::text, 'auditor'::text, 'integration'::text])))
);

CREATE SEQUENCE public.api_tokens_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.api_tokens_id_seq OWNED BY public.api_tokens.id;

CREATE TABLE public.approvals (
    workflow_id text NOT NULL,
    gate text NOT NULL,
    party text NOT NULL,
    body text NOT NULL,
    status text NOT NULL,
    due_at timestamp with time zone,
    decided_at timestamp with time zone,
    decided_by text,
    comment text,
    reference text,
    CONSTRAINT approvals_status_check CHECK ((status = ANY (ARRAY['pending'::text, 'approved'::text, 'rejected'::text, 'expired'::text, 'withdrawn'::text])))
);

CREATE TABLE public.audit_events (
    seq bigint NOT NULL,
    idempotency_key text NOT NULL,
    workflow_id text,
    action text NOT NULL,
    actor text NOT NULL,
    occurred_at timestamp with time zone NOT NULL,
    payload jsonb NOT NULL,
    prev_hash text NOT NULL,
    hash text NOT NULL
);

CREATE TABLE public.audit_personal (
    seq bigint NOT NULL,
    salt text,
    fields jsonb,
    erased_at timestamp with time zone,
    erased_by text,
    erasure_reason text,
    CONSTRAINT audit_personal_check CHECK (((erased_at IS NULL) = ((fields IS NOT NULL) AND (salt IS NOT NULL))))
);

CREATE TABLE public.companies (
    business_id text NOT NULL,
    shares_issued integer DEFAULT 0 NOT NULL,
    share_price_cents bigint DEFAULT 0 NOT NULL,
    CONSTRAINT companies_share_price_cents_check CHECK ((share_price_cents >= 0)),
    CONSTRAINT companies_shares_issued_check CHECK ((shares_issued >= 0))
);

CREATE TABLE public.inbound_events (
    idempotency_key text NOT NULL,
    type text NOT NULL,
    business_key text,
    workflow_id text,
    payload jsonb NOT NULL,
    status text NOT NULL,
    detail text,
    received_by text NOT NULL,
    received_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT inbound_events_status_check CHECK ((status = ANY (ARRAY['delivered'::text, 'unmatched'::text, 'refused'::text])))
);

CREATE TABLE public.notifications (
    id bigint NOT NULL,
    workflow_id text NOT NULL,
    step_key text NOT NULL,
    recipient_id text NOT NULL,
    subject text NOT NULL,
    body text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

CREATE SEQUENCE public.notifications_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.notifications_id_seq OWNED BY public.notifications.id;

CREATE TABLE public.organisations (
    business_id text NOT NULL,
    name text NOT NULL,
    kind text NOT NULL,
    region text,
    population integer,
    area_km2 numeric(10,2),
    valid_from date NOT NULL,
    valid_to date,
    merged_into text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT organisations_area_km2_check CHECK ((area_km2 >= (0)::numeric)),
    CONSTRAINT organisations_business_id_check CHECK ((business_id ~ '^[0-9]{7}-[0-9]$'::text)),
    CONSTRAINT organisations_check CHECK (((valid_to IS NULL) OR (valid_to >= valid_from))),
    CONSTRAINT organisations_name_check CHECK (((length(name) >= 1) AND (length(name) <= 200))),
    CONSTRAINT organisations_population_check CHECK ((population >= 0))
);

CREATE TABLE public.process_runs (
    workflow_id text NOT NULL,
    run_id text,
    kind text NOT NULL,
    business_key text NOT NULL,
    title text NOT NULL,
    status text NOT NULL,
    stage text NOT NULL,
    percent smallint DEFAULT 0 NOT NULL,
    organisations text[] DEFAULT '{}'::text[] NOT NULL,
    waiting_for text[] DEFAULT '{}'::text[] NOT NULL,
    next_deadline timestamp with time zone,
    stages jsonb DEFAULT '[]'::jsonb NOT NULL,
    result jsonb,
    failure text,
    started_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT process_runs_percent_check CHECK (((percent >= 0) AND (percent <= 100))),
    CONSTRAINT process_runs_status_check CHECK ((status = ANY (ARRAY['running'::text, 'completed'::text, 'rejected'::text, 'expired'::text, 'cancelled'::text, 'failed'::text])))
);

CREATE TABLE public.process_steps (
    workflow_id text NOT NULL,
    step_key text NOT NULL,
    stage text NOT NULL,
    title text NOT NULL,
    status text NOT NULL,
    started_at timestamp with time zone,
    finished_at timestamp with time zone,
    due_at timestamp with time zone,
    detail jsonb DEFAULT '{}'::jsonb NOT NULL,
    CONSTRAINT process_steps_status_check CHECK ((status = ANY (ARRAY['pending'::text, 'running'::text, 'done'::text, 'failed'::text, 'skipped'::text])))
);

CREATE TABLE public.schema_migrations (
    version integer NOT NULL,
    name text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamp with time zone DEFAULT now() NOT NULL
);

CREATE TABLE public.share_register (
    id bigint NOT NULL,
    company_id text NOT NULL,
    holder_id text NOT NULL,
    first_no integer NOT NULL,
    last_no integer NOT NULL,
    acquired_on date NOT NULL,
    disposed_on date,
    source_workflow_id text,
    source_step text,
    recorded_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT share_register_check CHECK ((last_no >= first_no)),
    CONSTRAINT share_register_check1 CHECK (((disposed_on IS NULL) OR (disposed_on > acquired_on))),
    CONSTRAINT share_register_first_no_check CHECK ((first_no >= 1))
);

CREATE SEQUENCE public.share_register_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.share_register_id_seq OWNED BY public.share_register.id;

CREATE TABLE public.share_reservations (
    workflow_id text NOT NULL,
    company_id text NOT NULL,
    applicant_id text NOT NULL,
    shares integer NOT NULL,
    status text NOT NULL,
    reserved_at timestamp with time zone DEFAULT now() NOT NULL,
    closed_at timestamp with time zone,
    CONSTRAINT share_reservations_shares_check CHECK ((shares > 0)),
    CONSTRAINT share_reservations_status_check CHECK ((status = ANY (ARRAY['reserved'::text, 'released'::text, 'registered'::text])))
);

ALTER TABLE ONLY public.api_tokens ALTER COLUMN id SET DEFAULT nextval('public.api_tokens_id_seq'::regclass);

ALTER TABLE ONLY public.notifications ALTER COLUMN id SET DEFAULT nextval('public.notifications_id_seq'::regclass);

ALTER TABLE ONLY public.share_register ALTER COLUMN id SET DEFAULT nextval('public.share_register_id_seq'::regclass);

ALTER TABLE ONLY public.api_tokens
    ADD CONSTRAINT api_tokens_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.api_tokens
    ADD CONSTRAINT api_tokens_token_hash_key UNIQUE (token_hash);

ALTER TABLE ONLY public.approvals
    ADD CONSTRAINT approvals_pkey PRIMARY KEY (workflow_id, gate, party);

ALTER TABLE ONLY public.audit_events
    ADD CONSTRAINT audit_events_idempotency_key_key UNIQUE (idempotency_key);

ALTER TABLE ONLY public.audit_events
    ADD CONSTRAINT audit_events_pkey PRIMARY KEY (seq);

ALTER TABLE ONLY public.audit_personal
    ADD CONSTRAINT audit_personal_pkey PRIMARY KEY (seq);

ALTER TABLE ONLY public.companies
    ADD CONSTRAINT companies_pkey PRIMARY KEY (business_id);

ALTER TABLE ONLY public.inbound_events
    ADD CONSTRAINT inbound_events_pkey PRIMARY KEY (idempotency_key);

ALTER TABLE ONLY public.notifications
    ADD CONSTRAINT notifications_once UNIQUE (workflow_id, step_key, recipient_id);

ALTER TABLE ONLY public.notifications
    ADD CONSTRAINT notifications_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.organisations
    ADD CONSTRAINT organisations_pkey PRIMARY KEY (business_id);

ALTER TABLE ONLY public.process_runs
    ADD CONSTRAINT process_runs_pkey PRIMARY KEY (workflow_id);

ALTER TABLE ONLY public.process_steps
    ADD CONSTRAINT process_steps_pkey PRIMARY KEY (workflow_id, step_key);

ALTER TABLE ONLY public.schema_migrations
    ADD CONSTRAINT schema_migrations_pkey PRIMARY KEY (version);

ALTER TABLE ONLY public.share_register
    ADD CONSTRAINT share_numbers_unique_in_time EXCLUDE USING gist (company_id WITH =, int4range(first_no, last_no, '[]'::text) WITH &&, daterange(acquired_on, disposed_on, '[)'::text) WITH &&);

ALTER TABLE ONLY public.share_register
    ADD CONSTRAINT share_register_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.share_register
    ADD CONSTRAINT share_register_step_once UNIQUE (source_workflow_id, source_step, holder_id, first_no);

ALTER TABLE ONLY public.share_reservations
    ADD CONSTRAINT share_reservations_pkey PRIMARY KEY (workflow_id);

CREATE INDEX audit_events_workflow ON public.audit_events USING btree (workflow_id, seq);

CREATE INDEX organisations_kind_region ON public.organisations USING btree (kind, region);

CREATE INDEX process_runs_business_key_trgm ON public.process_runs USING gin (business_key public.gin_trgm_ops);

CREATE INDEX process_runs_keyset ON public.process_runs USING btree (updated_at DESC, workflow_id DESC);

CREATE INDEX process_runs_kind_keyset ON public.process_runs USING btree (kind, updated_at DESC, workflow_id DESC);

CREATE INDEX process_runs_orgs ON public.process_runs USING gin (organisations);

CREATE INDEX process_runs_running_deadline ON public.process_runs USING btree (next_deadline) WHERE (status = 'running'::text);

CREATE INDEX process_runs_stage_keyset ON public.process_runs USING btree (stage, updated_at DESC, workflow_id DESC);

CREATE INDEX process_runs_status_keyset ON public.process_runs USING btree (status, updated_at DESC, workflow_id DESC);

CREATE INDEX process_runs_title_trgm ON public.process_runs USING gin (title public.gin_trgm_ops);

CREATE INDEX process_runs_workflow_id_trgm ON public.process_runs USING gin (workflow_id public.gin_trgm_ops);

CREATE INDEX share_register_holder ON public.share_register USING btree (holder_id);

CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON public.audit_events FOR EACH STATEMENT EXECUTE FUNCTION public.audit_events_refuse_change();

CREATE TRIGGER audit_events_no_update_or_delete BEFORE DELETE OR UPDATE ON public.audit_events FOR EACH ROW EXECUTE FUNCTION public.audit_events_refuse_change();

CREATE TRIGGER audit_personal_erasure_only BEFORE DELETE OR UPDATE ON public.audit_personal FOR EACH ROW EXECUTE FUNCTION public.audit_personal_only_erasure();

CREATE TRIGGER audit_personal_no_truncate BEFORE TRUNCATE ON public.audit_personal FOR EACH STATEMENT EXECUTE FUNCTION public.audit_personal_only_erasure();

ALTER TABLE ONLY public.approvals
    ADD CONSTRAINT approvals_workflow_id_fkey FOREIGN KEY (workflow_id) REFERENCES public.process_runs(workflow_id);

ALTER TABLE ONLY public.audit_personal
    ADD CONSTRAINT audit_personal_seq_fkey FOREIGN KEY (seq) REFERENCES public.audit_events(seq);

ALTER TABLE ONLY public.companies
    ADD CONSTRAINT companies_business_id_fkey FOREIGN KEY (business_id) REFERENCES public.organisations(business_id);

ALTER TABLE ONLY public.organisations
    ADD CONSTRAINT organisations_merged_into_fkey FOREIGN KEY (merged_into) REFERENCES public.organisations(business_id);

ALTER TABLE ONLY public.process_steps
    ADD CONSTRAINT process_steps_workflow_id_fkey FOREIGN KEY (workflow_id) REFERENCES public.process_runs(workflow_id);

ALTER TABLE ONLY public.share_register
    ADD CONSTRAINT share_register_company_id_fkey FOREIGN KEY (company_id) REFERENCES public.companies(business_id);

ALTER TABLE ONLY public.share_register
    ADD CONSTRAINT share_register_holder_id_fkey FOREIGN KEY (holder_id) REFERENCES public.organisations(business_id);

ALTER TABLE ONLY public.share_reservations
    ADD CONSTRAINT share_reservations_company_id_fkey FOREIGN KEY (company_id) REFERENCES public.companies(business_id);
