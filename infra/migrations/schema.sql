CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public;

CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

CREATE FUNCTION public.audit_append(p_chain text, p_key text, p_workflow text, p_action text, p_actor text, p_at timestamp with time zone, p_payload jsonb, p_digest text) RETURNS TABLE(seq bigint, chain_seq bigint, prev_hash text, hash text)
    LANGUAGE plpgsql
    AS $$
DECLARE
  head_seq  bigint;
  head_hash text;
  new_seq   bigint;
  new_hash  text;
BEGIN
  -- The chain's lock: an advisory lock on a hash of its id (in memory, no row lock to write), held to
  -- the end of the transaction. Two chains whose ids hash alike only take turns.
  PERFORM pg_advisory_xact_lock(4242012, hashtext(p_chain));
  SELECT h.chain_seq, h.hash INTO head_seq, head_hash FROM audit_chain_heads h WHERE h.chain_id = p_chain;
  IF NOT FOUND THEN
    INSERT INTO audit_chain_heads (chain_id, chain_seq, hash) VALUES (p_chain, 0, repeat('0', 64));
    head_seq := 0;
    head_hash := repeat('0', 64);
  END IF;
  -- A fresh snapshot after the lock: a retry of the same key that committed meanwhile is seen.
  IF EXISTS (SELECT 1 FROM audit_events e WHERE e.idempotency_key = p_key) THEN
    RETURN;
  END IF;
  new_seq := nextval('audit_events_seq');
  new_hash := encode(sha256(convert_to(head_hash || E'\n' || (head_seq + 1) || E'\n' || new_seq || E'\n' || p_digest, 'UTF8')), 'hex');
  INSERT INTO audit_events (seq, idempotency_key, workflow_id, action, actor, occurred_at, payload, prev_hash, hash, chain_id, chain_seq)
  VALUES (new_seq, p_key, p_workflow, p_action, p_actor, p_at, p_payload, head_hash, new_hash, p_chain, head_seq + 1);
  UPDATE audit_chain_heads h SET chain_seq = head_seq + 1, hash = new_hash, prev_hash = head_hash, seq = new_seq WHERE h.chain_id = p_chain;
  RETURN QUERY SELECT new_seq, head_seq + 1, head_hash, new_hash;
END;
$$;

CREATE FUNCTION public.audit_events_refuse_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE FUNCTION public.audit_log_refuse_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
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

CREATE FUNCTION public.erase_audit_personal(p_seqs bigint[], p_erased_by text, p_reason text) RETURNS SETOF bigint
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $$
  UPDATE audit_personal SET fields = NULL, salt = NULL, erased_at = now(), erased_by = p_erased_by, erasure_reason = p_reason
   WHERE seq = ANY (p_seqs) AND erased_at IS NULL
  RETURNING seq;
$$;

CREATE FUNCTION public.personal_data_key_stays_shredded() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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

CREATE TABLE public.api_tokens (
    id bigint NOT NULL,
    name text NOT NULL,
    role text NOT NULL,
    organisation text,
    token_hash text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    revoked_at timestamp with time zone,
    expires_at timestamp with time zone,
    person_id text,
    CONSTRAINT api_tokens_expiry_after_creation CHECK (((expires_at IS NULL) OR (expires_at > created_at))),
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
    quorum integer,
    members text[],
    votes jsonb DEFAULT '[]'::jsonb NOT NULL,
    CONSTRAINT approvals_quorum_check CHECK (((quorum IS NULL) OR (quorum >= 1))),
    CONSTRAINT approvals_status_check CHECK ((status = ANY (ARRAY['pending'::text, 'approved'::text, 'rejected'::text, 'expired'::text, 'withdrawn'::text])))
);

CREATE TABLE public.audit_chain_heads (
    chain_id text NOT NULL,
    chain_seq bigint NOT NULL,
    hash text NOT NULL,
    prev_hash text,
    seq bigint,
    CONSTRAINT audit_chain_heads_chain_seq_check CHECK ((chain_seq >= 0))
);

CREATE TABLE public.audit_checkpoints (
    tree_size bigint NOT NULL,
    root_hash text NOT NULL,
    signed_at timestamp with time zone NOT NULL,
    key_id text NOT NULL,
    signature text NOT NULL,
    frontier jsonb NOT NULL,
    CONSTRAINT audit_checkpoints_tree_size_check CHECK ((tree_size > 0))
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
    hash text NOT NULL,
    chain_id text NOT NULL,
    chain_seq bigint NOT NULL,
    CONSTRAINT audit_events_chain_seq_positive CHECK ((chain_seq > 0))
);

CREATE SEQUENCE public.audit_events_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.audit_events_seq OWNED BY public.audit_events.seq;

CREATE TABLE public.audit_log_leaves (
    leaf_index bigint NOT NULL,
    seq bigint NOT NULL,
    chain_id text NOT NULL,
    chain_seq bigint NOT NULL,
    leaf_hash text NOT NULL,
    CONSTRAINT audit_log_leaves_leaf_index_check CHECK ((leaf_index >= 0))
);

CREATE TABLE public.audit_log_positions (
    chain_id text NOT NULL,
    chain_seq bigint NOT NULL
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

CREATE TABLE public.audit_verifications (
    id bigint NOT NULL,
    tree_size bigint NOT NULL,
    root_hash text NOT NULL,
    frontier jsonb NOT NULL,
    mode text NOT NULL,
    checked bigint NOT NULL,
    verified_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT audit_verifications_mode_check CHECK ((mode = ANY (ARRAY['full'::text, 'incremental'::text])))
);

CREATE SEQUENCE public.audit_verifications_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.audit_verifications_id_seq OWNED BY public.audit_verifications.id;

CREATE TABLE public.calendar_feeds (
    id bigint NOT NULL,
    secret_hash text NOT NULL,
    person_id text,
    organisation text,
    label text,
    created_by text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    revoked_at timestamp with time zone,
    revoked_by text,
    CONSTRAINT calendar_feeds_check CHECK (((person_id IS NULL) <> (organisation IS NULL))),
    CONSTRAINT calendar_feeds_check1 CHECK (((revoked_at IS NULL) = (revoked_by IS NULL))),
    CONSTRAINT calendar_feeds_label_check CHECK (((label IS NULL) OR ((length(label) >= 1) AND (length(label) <= 200)))),
    CONSTRAINT calendar_feeds_secret_hash_check CHECK ((secret_hash ~ '^[0-9a-f]{64}$'::text))
);

CREATE SEQUENCE public.calendar_feeds_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.calendar_feeds_id_seq OWNED BY public.calendar_feeds.id;

CREATE TABLE public.centre_holdings (
    id bigint NOT NULL,
    kind text NOT NULL,
    ref text NOT NULL,
    organisation_id text NOT NULL,
    counterparty_id text,
    valid_from date NOT NULL,
    valid_to date,
    source_workflow_id text,
    source_step text,
    CONSTRAINT centre_holdings_check CHECK (((valid_to IS NULL) OR (valid_to >= valid_from))),
    CONSTRAINT centre_holdings_kind_check CHECK ((kind = ANY (ARRAY['staff'::text, 'project'::text, 'agreement'::text]))),
    CONSTRAINT centre_holdings_ref_check CHECK ((ref ~ '^[A-Za-z0-9][A-Za-z0-9/-]{1,79}$'::text))
);

CREATE SEQUENCE public.centre_holdings_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.centre_holdings_id_seq OWNED BY public.centre_holdings.id;

CREATE TABLE public.companies (
    business_id text NOT NULL,
    shares_issued integer DEFAULT 0 NOT NULL,
    share_price_cents bigint DEFAULT 0 NOT NULL,
    CONSTRAINT companies_share_price_cents_check CHECK ((share_price_cents >= 0)),
    CONSTRAINT companies_shares_issued_check CHECK ((shares_issued >= 0))
);

CREATE TABLE public.consolidation_item_list_rows (
    list_id uuid NOT NULL,
    line integer NOT NULL,
    kind text NOT NULL,
    ref text NOT NULL,
    counterparty_id text,
    CONSTRAINT consolidation_item_list_rows_kind_check CHECK ((kind = ANY (ARRAY['staff'::text, 'agreement'::text])))
);

CREATE TABLE public.consolidation_item_lists (
    id uuid NOT NULL,
    organisation_id text,
    uploaded_by text NOT NULL,
    staff integer NOT NULL,
    agreements integer NOT NULL,
    uploaded_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT consolidation_item_lists_agreements_check CHECK ((agreements >= 0)),
    CONSTRAINT consolidation_item_lists_staff_check CHECK ((staff >= 0))
);

CREATE TABLE public.consolidation_items (
    workflow_id text NOT NULL,
    party_id text NOT NULL,
    kind text NOT NULL,
    ref text NOT NULL,
    counterparty_id text,
    "position" integer NOT NULL,
    CONSTRAINT consolidation_items_kind_check CHECK ((kind = ANY (ARRAY['staff'::text, 'project'::text, 'agreement'::text])))
);

CREATE TABLE public.consolidation_receiving (
    workflow_id text NOT NULL,
    centre_id text NOT NULL,
    created_centre boolean NOT NULL,
    region_after text NOT NULL,
    effective_date date NOT NULL,
    established_at timestamp with time zone DEFAULT now() NOT NULL,
    effective_applied_at timestamp with time zone,
    effective_summary jsonb,
    undone_at timestamp with time zone
);

CREATE TABLE public.consolidation_snapshots (
    workflow_id text NOT NULL,
    taken_at timestamp with time zone DEFAULT now() NOT NULL,
    rows jsonb NOT NULL
);

CREATE TABLE public.consolidation_transfers (
    seq bigint NOT NULL,
    workflow_id text NOT NULL,
    step text NOT NULL,
    party_id text NOT NULL,
    kind text NOT NULL,
    ref text NOT NULL,
    outcome text NOT NULL,
    ended_row_id bigint,
    ended_valid_to date,
    undone_at timestamp with time zone,
    recorded_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT consolidation_transfers_kind_check CHECK ((kind = ANY (ARRAY['staff'::text, 'project'::text, 'agreement'::text, 'shareholding'::text]))),
    CONSTRAINT consolidation_transfers_outcome_check CHECK ((outcome = ANY (ARRAY['transferred'::text, 'kept'::text])))
);

CREATE SEQUENCE public.consolidation_transfers_seq_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.consolidation_transfers_seq_seq OWNED BY public.consolidation_transfers.seq;

CREATE TABLE public.delegations (
    id bigint NOT NULL,
    from_person text NOT NULL,
    to_person text NOT NULL,
    organisation text NOT NULL,
    role text NOT NULL,
    valid_from date NOT NULL,
    valid_to date NOT NULL,
    created_by text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT delegations_check CHECK ((from_person <> to_person)),
    CONSTRAINT delegations_check1 CHECK ((valid_to >= valid_from))
);

CREATE SEQUENCE public.delegations_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.delegations_id_seq OWNED BY public.delegations.id;

CREATE TABLE public.governing_bodies (
    organisation_id text NOT NULL,
    body_key text NOT NULL,
    name text NOT NULL,
    name_sv text,
    name_en text,
    CONSTRAINT governing_bodies_body_key_check CHECK ((body_key ~ '^[a-z0-9][a-z0-9-]{0,79}$'::text)),
    CONSTRAINT governing_bodies_name_check CHECK (((length(name) >= 1) AND (length(name) <= 200))),
    CONSTRAINT governing_bodies_name_en_check CHECK (((name_en IS NULL) OR ((length(name_en) >= 1) AND (length(name_en) <= 200)))),
    CONSTRAINT governing_bodies_name_sv_check CHECK (((name_sv IS NULL) OR ((length(name_sv) >= 1) AND (length(name_sv) <= 200))))
);

CREATE TABLE public.historical_records (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    workflow_id text NOT NULL,
    kind text NOT NULL,
    title text NOT NULL,
    effective_date date NOT NULL,
    decisions jsonb NOT NULL,
    changes jsonb NOT NULL,
    source text NOT NULL,
    imported_by text NOT NULL,
    imported_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT historical_records_source_check CHECK (((length(source) >= 1) AND (length(source) <= 2000)))
);

CREATE TABLE public.history_archive (
    workflow_id text NOT NULL,
    run_id text NOT NULL,
    workflow_type text NOT NULL,
    parent_workflow_id text,
    parent_run_id text,
    close_status text NOT NULL,
    started_at timestamp with time zone NOT NULL,
    closed_at timestamp with time zone NOT NULL,
    events_count integer NOT NULL,
    sha256 text NOT NULL,
    history bytea NOT NULL,
    archived_at timestamp with time zone DEFAULT now() NOT NULL,
    retain_until date,
    CONSTRAINT history_archive_close_status_check CHECK ((close_status = ANY (ARRAY['completed'::text, 'failed'::text, 'cancelled'::text, 'terminated'::text, 'timed_out'::text, 'continued_as_new'::text]))),
    CONSTRAINT history_archive_events_count_check CHECK ((events_count > 0)),
    CONSTRAINT history_archive_sha256_check CHECK ((sha256 ~ '^[0-9a-f]{64}$'::text))
);

CREATE TABLE public.history_archive_progress (
    scope text NOT NULL,
    complete_until timestamp with time zone NOT NULL
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
    name_sv text,
    CONSTRAINT organisations_area_km2_check CHECK ((area_km2 >= (0)::numeric)),
    CONSTRAINT organisations_business_id_check CHECK ((business_id ~ '^[0-9]{7}-[0-9]$'::text)),
    CONSTRAINT organisations_check CHECK (((valid_to IS NULL) OR (valid_to >= valid_from))),
    CONSTRAINT organisations_name_check CHECK (((length(name) >= 1) AND (length(name) <= 200))),
    CONSTRAINT organisations_name_sv_check CHECK (((name_sv IS NULL) OR ((length(name_sv) >= 1) AND (length(name_sv) <= 200)))),
    CONSTRAINT organisations_population_check CHECK ((population >= 0))
);

CREATE TABLE public.outbox (
    id bigint NOT NULL,
    idempotency_key text NOT NULL,
    workflow_id text NOT NULL,
    step_key text NOT NULL,
    channel text NOT NULL,
    recipient text NOT NULL,
    language text NOT NULL,
    template text NOT NULL,
    params jsonb DEFAULT '{}'::jsonb NOT NULL,
    status text DEFAULT 'pending'::text NOT NULL,
    attempts integer DEFAULT 0 NOT NULL,
    next_attempt_at timestamp with time zone DEFAULT now() NOT NULL,
    last_error text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    sent_at timestamp with time zone,
    digest_id bigint,
    CONSTRAINT outbox_channel_check CHECK ((channel = ANY (ARRAY['email'::text, 'webhook'::text]))),
    CONSTRAINT outbox_language_check CHECK ((language = ANY (ARRAY['fi'::text, 'sv'::text, 'en'::text]))),
    CONSTRAINT outbox_status_check CHECK ((status = ANY (ARRAY['pending'::text, 'sending'::text, 'sent'::text, 'failed'::text, 'dead'::text, 'held'::text, 'digested'::text])))
);

CREATE SEQUENCE public.outbox_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.outbox_id_seq OWNED BY public.outbox.id;

CREATE TABLE public.people (
    id text NOT NULL,
    display_name text,
    email text,
    language text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    erased_at timestamp with time zone,
    notify text DEFAULT 'immediate'::text NOT NULL,
    CONSTRAINT people_check CHECK (((erased_at IS NULL) OR ((display_name IS NULL) AND (email IS NULL)))),
    CONSTRAINT people_display_name_check CHECK (((display_name IS NULL) OR ((length(display_name) >= 1) AND (length(display_name) <= 200)))),
    CONSTRAINT people_email_check CHECK (((email IS NULL) OR (length(email) <= 320))),
    CONSTRAINT people_id_check CHECK ((id ~ '^[a-z0-9][a-z0-9-]{2,39}$'::text)),
    CONSTRAINT people_language_check CHECK ((language = ANY (ARRAY['fi'::text, 'sv'::text, 'en'::text]))),
    CONSTRAINT people_notify_check CHECK ((notify = ANY (ARRAY['immediate'::text, 'daily'::text])))
);

CREATE TABLE public.person_roles (
    id bigint NOT NULL,
    person_id text NOT NULL,
    organisation text NOT NULL,
    role text NOT NULL,
    body text,
    valid_from date NOT NULL,
    valid_to date,
    CONSTRAINT person_roles_check CHECK (((valid_to IS NULL) OR (valid_to >= valid_from)))
);

CREATE SEQUENCE public.person_roles_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.person_roles_id_seq OWNED BY public.person_roles.id;

CREATE TABLE public.personal_data_keys (
    key_id text NOT NULL,
    workflow_id text NOT NULL,
    author text,
    secret bytea,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    shredded_at timestamp with time zone,
    shredded_by text,
    shred_reason text,
    CONSTRAINT personal_data_keys_check CHECK (((secret IS NULL) = (shredded_at IS NOT NULL))),
    CONSTRAINT personal_data_keys_secret_check CHECK (((secret IS NULL) OR (octet_length(secret) = 32)))
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
    imported boolean DEFAULT false NOT NULL,
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

CREATE TABLE public.project_documents (
    workflow_id text NOT NULL,
    kind text NOT NULL,
    doc_key text NOT NULL,
    recorded_on date NOT NULL,
    detail jsonb DEFAULT '{}'::jsonb NOT NULL,
    CONSTRAINT project_documents_kind_check CHECK ((kind = ANY (ARRAY['final-report'::text, 'monitoring-form'::text, 'final-payment'::text, 'last-instalment'::text, 'rooting'::text])))
);

CREATE TABLE public.project_indicators (
    workflow_id text NOT NULL,
    key text NOT NULL,
    title text NOT NULL,
    target numeric NOT NULL,
    actual numeric,
    recorded_on date,
    CONSTRAINT project_indicators_actual_check CHECK ((actual >= (0)::numeric)),
    CONSTRAINT project_indicators_target_check CHECK ((target >= (0)::numeric))
);

CREATE TABLE public.project_periods (
    workflow_id text NOT NULL,
    period_no integer NOT NULL,
    starts_on date NOT NULL,
    ends_on date NOT NULL,
    due_on date NOT NULL,
    reported_on date,
    costs_cents bigint,
    report_reference text,
    escalated_on date,
    CONSTRAINT project_periods_check CHECK ((ends_on >= starts_on)),
    CONSTRAINT project_periods_check1 CHECK ((due_on >= ends_on)),
    CONSTRAINT project_periods_costs_cents_check CHECK ((costs_cents >= 0)),
    CONSTRAINT project_periods_period_no_check CHECK ((period_no >= 1))
);

CREATE TABLE public.projects (
    workflow_id text NOT NULL,
    eura_code text,
    name text NOT NULL,
    funder_id text NOT NULL,
    lead_id text NOT NULL,
    partner_ids text[] DEFAULT '{}'::text[] NOT NULL,
    region text,
    start_date date NOT NULL,
    end_date date NOT NULL,
    planned_end_date date NOT NULL,
    budget_cents bigint NOT NULL,
    approved_cents bigint,
    own_financing jsonb,
    reporting_period_months integer NOT NULL,
    predecessor_id text,
    status text NOT NULL,
    decided_on date,
    decision_reference text,
    archived_on date,
    retain_until date,
    note text,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT projects_approved_cents_check CHECK ((approved_cents > 0)),
    CONSTRAINT projects_budget_cents_check CHECK ((budget_cents > 0)),
    CONSTRAINT projects_check CHECK ((end_date >= start_date)),
    CONSTRAINT projects_eura_code_check CHECK ((eura_code ~ '^[A-Z][0-9]{5}$'::text)),
    CONSTRAINT projects_name_check CHECK (((length(name) >= 1) AND (length(name) <= 200))),
    CONSTRAINT projects_reporting_period_months_check CHECK (((reporting_period_months >= 1) AND (reporting_period_months <= 24))),
    CONSTRAINT projects_status_check CHECK ((status = ANY (ARRAY['planned'::text, 'applied'::text, 'rejected'::text, 'running'::text, 'closing'::text, 'rooting'::text, 'archived'::text, 'cancelled'::text])))
);

CREATE TABLE public.schema_migrations (
    version integer NOT NULL,
    name text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamp with time zone DEFAULT now() NOT NULL
);

CREATE TABLE public.service_areas (
    id bigint NOT NULL,
    centre_id text NOT NULL,
    municipality_id text NOT NULL,
    valid_from date NOT NULL,
    valid_to date,
    source_workflow_id text,
    source_step text,
    CONSTRAINT service_areas_check CHECK (((valid_to IS NULL) OR (valid_to >= valid_from)))
);

CREATE SEQUENCE public.service_areas_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.service_areas_id_seq OWNED BY public.service_areas.id;

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

CREATE TABLE public.webhooks (
    id bigint NOT NULL,
    organisation text NOT NULL,
    url text NOT NULL,
    secret text NOT NULL,
    created_by text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    active boolean DEFAULT true NOT NULL,
    deactivated_at timestamp with time zone,
    deactivated_by text,
    CONSTRAINT webhooks_deactivation CHECK ((active = (deactivated_at IS NULL))),
    CONSTRAINT webhooks_url_check CHECK ((length(url) <= 2000))
);

CREATE SEQUENCE public.webhooks_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.webhooks_id_seq OWNED BY public.webhooks.id;

ALTER TABLE ONLY public.api_tokens ALTER COLUMN id SET DEFAULT nextval('public.api_tokens_id_seq'::regclass);

ALTER TABLE ONLY public.audit_events ALTER COLUMN seq SET DEFAULT nextval('public.audit_events_seq'::regclass);

ALTER TABLE ONLY public.audit_verifications ALTER COLUMN id SET DEFAULT nextval('public.audit_verifications_id_seq'::regclass);

ALTER TABLE ONLY public.calendar_feeds ALTER COLUMN id SET DEFAULT nextval('public.calendar_feeds_id_seq'::regclass);

ALTER TABLE ONLY public.centre_holdings ALTER COLUMN id SET DEFAULT nextval('public.centre_holdings_id_seq'::regclass);

ALTER TABLE ONLY public.consolidation_transfers ALTER COLUMN seq SET DEFAULT nextval('public.consolidation_transfers_seq_seq'::regclass);

ALTER TABLE ONLY public.delegations ALTER COLUMN id SET DEFAULT nextval('public.delegations_id_seq'::regclass);

ALTER TABLE ONLY public.notifications ALTER COLUMN id SET DEFAULT nextval('public.notifications_id_seq'::regclass);

ALTER TABLE ONLY public.outbox ALTER COLUMN id SET DEFAULT nextval('public.outbox_id_seq'::regclass);

ALTER TABLE ONLY public.person_roles ALTER COLUMN id SET DEFAULT nextval('public.person_roles_id_seq'::regclass);

ALTER TABLE ONLY public.service_areas ALTER COLUMN id SET DEFAULT nextval('public.service_areas_id_seq'::regclass);

ALTER TABLE ONLY public.share_register ALTER COLUMN id SET DEFAULT nextval('public.share_register_id_seq'::regclass);

ALTER TABLE ONLY public.webhooks ALTER COLUMN id SET DEFAULT nextval('public.webhooks_id_seq'::regclass);

ALTER TABLE ONLY public.api_tokens
    ADD CONSTRAINT api_tokens_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.api_tokens
    ADD CONSTRAINT api_tokens_token_hash_key UNIQUE (token_hash);

ALTER TABLE ONLY public.approvals
    ADD CONSTRAINT approvals_pkey PRIMARY KEY (workflow_id, gate, party);

ALTER TABLE ONLY public.audit_chain_heads
    ADD CONSTRAINT audit_chain_heads_pkey PRIMARY KEY (chain_id);

ALTER TABLE ONLY public.audit_checkpoints
    ADD CONSTRAINT audit_checkpoints_pkey PRIMARY KEY (tree_size);

ALTER TABLE ONLY public.audit_events
    ADD CONSTRAINT audit_events_chain_position UNIQUE (chain_id, chain_seq);

ALTER TABLE ONLY public.audit_events
    ADD CONSTRAINT audit_events_idempotency_key_key UNIQUE (idempotency_key);

ALTER TABLE ONLY public.audit_events
    ADD CONSTRAINT audit_events_pkey PRIMARY KEY (seq);

ALTER TABLE ONLY public.audit_log_leaves
    ADD CONSTRAINT audit_log_leaves_chain_id_chain_seq_key UNIQUE (chain_id, chain_seq);

ALTER TABLE ONLY public.audit_log_leaves
    ADD CONSTRAINT audit_log_leaves_pkey PRIMARY KEY (leaf_index);

ALTER TABLE ONLY public.audit_log_leaves
    ADD CONSTRAINT audit_log_leaves_seq_key UNIQUE (seq);

ALTER TABLE ONLY public.audit_log_positions
    ADD CONSTRAINT audit_log_positions_pkey PRIMARY KEY (chain_id);

ALTER TABLE ONLY public.audit_personal
    ADD CONSTRAINT audit_personal_pkey PRIMARY KEY (seq);

ALTER TABLE ONLY public.audit_verifications
    ADD CONSTRAINT audit_verifications_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.calendar_feeds
    ADD CONSTRAINT calendar_feeds_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.calendar_feeds
    ADD CONSTRAINT calendar_feeds_secret_hash_key UNIQUE (secret_hash);

ALTER TABLE ONLY public.centre_holdings
    ADD CONSTRAINT centre_holding_once_in_time EXCLUDE USING gist (kind WITH =, ref WITH =, daterange(valid_from, valid_to, '[]'::text) WITH &&);

ALTER TABLE ONLY public.centre_holdings
    ADD CONSTRAINT centre_holding_step_once UNIQUE (source_workflow_id, source_step);

ALTER TABLE ONLY public.centre_holdings
    ADD CONSTRAINT centre_holdings_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.companies
    ADD CONSTRAINT companies_pkey PRIMARY KEY (business_id);

ALTER TABLE ONLY public.consolidation_item_list_rows
    ADD CONSTRAINT consolidation_item_list_rows_pkey PRIMARY KEY (list_id, kind, ref);

ALTER TABLE ONLY public.consolidation_item_lists
    ADD CONSTRAINT consolidation_item_lists_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.consolidation_items
    ADD CONSTRAINT consolidation_item_position_once UNIQUE (workflow_id, "position");

ALTER TABLE ONLY public.consolidation_items
    ADD CONSTRAINT consolidation_items_pkey PRIMARY KEY (workflow_id, kind, ref);

ALTER TABLE ONLY public.consolidation_receiving
    ADD CONSTRAINT consolidation_receiving_pkey PRIMARY KEY (workflow_id);

ALTER TABLE ONLY public.consolidation_snapshots
    ADD CONSTRAINT consolidation_snapshots_pkey PRIMARY KEY (workflow_id);

ALTER TABLE ONLY public.consolidation_transfers
    ADD CONSTRAINT consolidation_transfer_once UNIQUE (workflow_id, step);

ALTER TABLE ONLY public.consolidation_transfers
    ADD CONSTRAINT consolidation_transfers_pkey PRIMARY KEY (seq);

ALTER TABLE ONLY public.delegations
    ADD CONSTRAINT delegations_no_overlap EXCLUDE USING gist (from_person WITH =, organisation WITH =, role WITH =, daterange(valid_from, valid_to, '[]'::text) WITH &&);

ALTER TABLE ONLY public.delegations
    ADD CONSTRAINT delegations_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.governing_bodies
    ADD CONSTRAINT governing_bodies_pkey PRIMARY KEY (organisation_id, body_key);

ALTER TABLE ONLY public.historical_records
    ADD CONSTRAINT historical_records_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.historical_records
    ADD CONSTRAINT historical_records_workflow_id_key UNIQUE (workflow_id);

ALTER TABLE ONLY public.history_archive
    ADD CONSTRAINT history_archive_pkey PRIMARY KEY (workflow_id, run_id);

ALTER TABLE ONLY public.history_archive_progress
    ADD CONSTRAINT history_archive_progress_pkey PRIMARY KEY (scope);

ALTER TABLE ONLY public.inbound_events
    ADD CONSTRAINT inbound_events_pkey PRIMARY KEY (idempotency_key);

ALTER TABLE ONLY public.notifications
    ADD CONSTRAINT notifications_once UNIQUE (workflow_id, step_key, recipient_id);

ALTER TABLE ONLY public.notifications
    ADD CONSTRAINT notifications_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.organisations
    ADD CONSTRAINT organisations_pkey PRIMARY KEY (business_id);

ALTER TABLE ONLY public.outbox
    ADD CONSTRAINT outbox_idempotency_key_key UNIQUE (idempotency_key);

ALTER TABLE ONLY public.outbox
    ADD CONSTRAINT outbox_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.people
    ADD CONSTRAINT people_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.person_roles
    ADD CONSTRAINT person_role_once UNIQUE NULLS NOT DISTINCT (person_id, organisation, role, body, valid_from);

ALTER TABLE ONLY public.person_roles
    ADD CONSTRAINT person_roles_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.personal_data_keys
    ADD CONSTRAINT personal_data_keys_pkey PRIMARY KEY (key_id);

ALTER TABLE ONLY public.process_runs
    ADD CONSTRAINT process_runs_pkey PRIMARY KEY (workflow_id);

ALTER TABLE ONLY public.process_steps
    ADD CONSTRAINT process_steps_pkey PRIMARY KEY (workflow_id, step_key);

ALTER TABLE ONLY public.project_documents
    ADD CONSTRAINT project_documents_pkey PRIMARY KEY (workflow_id, kind, doc_key);

ALTER TABLE ONLY public.project_indicators
    ADD CONSTRAINT project_indicators_pkey PRIMARY KEY (workflow_id, key);

ALTER TABLE ONLY public.project_periods
    ADD CONSTRAINT project_periods_pkey PRIMARY KEY (workflow_id, period_no);

ALTER TABLE ONLY public.projects
    ADD CONSTRAINT projects_pkey PRIMARY KEY (workflow_id);

ALTER TABLE ONLY public.schema_migrations
    ADD CONSTRAINT schema_migrations_pkey PRIMARY KEY (version);

ALTER TABLE ONLY public.service_areas
    ADD CONSTRAINT service_area_once_in_time EXCLUDE USING gist (centre_id WITH =, municipality_id WITH =, daterange(valid_from, valid_to, '[]'::text) WITH &&);

ALTER TABLE ONLY public.service_areas
    ADD CONSTRAINT service_areas_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.share_register
    ADD CONSTRAINT share_numbers_unique_in_time EXCLUDE USING gist (company_id WITH =, int4range(first_no, last_no, '[]'::text) WITH &&, daterange(acquired_on, disposed_on, '[)'::text) WITH &&);

ALTER TABLE ONLY public.share_register
    ADD CONSTRAINT share_register_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.share_register
    ADD CONSTRAINT share_register_step_once UNIQUE (source_workflow_id, source_step, holder_id, first_no);

ALTER TABLE ONLY public.share_reservations
    ADD CONSTRAINT share_reservations_pkey PRIMARY KEY (workflow_id);

ALTER TABLE ONLY public.webhooks
    ADD CONSTRAINT webhooks_pkey PRIMARY KEY (id);

CREATE INDEX audit_events_workflow ON public.audit_events USING btree (workflow_id, seq);

CREATE INDEX calendar_feeds_organisation ON public.calendar_feeds USING btree (organisation) WHERE (organisation IS NOT NULL);

CREATE INDEX calendar_feeds_person ON public.calendar_feeds USING btree (person_id) WHERE (person_id IS NOT NULL);

CREATE INDEX centre_holdings_item ON public.centre_holdings USING btree (kind, ref);

CREATE INDEX centre_holdings_org ON public.centre_holdings USING btree (organisation_id, kind);

CREATE INDEX consolidation_item_list_rows_line ON public.consolidation_item_list_rows USING btree (list_id, line);

CREATE INDEX consolidation_items_batch ON public.consolidation_items USING btree (workflow_id, party_id, kind, "position");

CREATE INDEX consolidation_transfers_pending_undo ON public.consolidation_transfers USING btree (workflow_id, seq) WHERE (undone_at IS NULL);

CREATE INDEX delegations_to_person ON public.delegations USING btree (to_person);

CREATE INDEX history_archive_closed ON public.history_archive USING btree (closed_at);

CREATE INDEX history_archive_parent ON public.history_archive USING btree (parent_workflow_id, workflow_id) WHERE (parent_workflow_id IS NOT NULL);

CREATE INDEX organisations_kind_region ON public.organisations USING btree (kind, region);

CREATE INDEX outbox_dead ON public.outbox USING btree (id) WHERE (status = 'dead'::text);

CREATE INDEX outbox_due ON public.outbox USING btree (next_attempt_at) WHERE (status = ANY (ARRAY['pending'::text, 'failed'::text, 'sending'::text]));

CREATE INDEX outbox_held ON public.outbox USING btree (recipient, created_at) WHERE (status = 'held'::text);

CREATE INDEX outbox_workflow ON public.outbox USING btree (workflow_id, id);

CREATE INDEX person_roles_organisation ON public.person_roles USING btree (organisation, role);

CREATE INDEX person_roles_person ON public.person_roles USING btree (person_id);

CREATE UNIQUE INDEX personal_data_keys_readable ON public.personal_data_keys USING btree (workflow_id, COALESCE(author, ''::text)) WHERE (shredded_at IS NULL);

CREATE INDEX personal_data_keys_workflow ON public.personal_data_keys USING btree (workflow_id, author);

CREATE INDEX process_runs_business_key_trgm ON public.process_runs USING gin (business_key public.gin_trgm_ops);

CREATE INDEX process_runs_keyset ON public.process_runs USING btree (updated_at DESC, workflow_id DESC);

CREATE INDEX process_runs_kind_keyset ON public.process_runs USING btree (kind, updated_at DESC, workflow_id DESC);

CREATE INDEX process_runs_orgs ON public.process_runs USING gin (organisations);

CREATE INDEX process_runs_running_deadline ON public.process_runs USING btree (next_deadline) WHERE (status = 'running'::text);

CREATE INDEX process_runs_stage_keyset ON public.process_runs USING btree (stage, updated_at DESC, workflow_id DESC);

CREATE INDEX process_runs_status_keyset ON public.process_runs USING btree (status, updated_at DESC, workflow_id DESC);

CREATE INDEX process_runs_title_trgm ON public.process_runs USING gin (title public.gin_trgm_ops);

CREATE INDEX process_runs_workflow_id_trgm ON public.process_runs USING gin (workflow_id public.gin_trgm_ops);

CREATE INDEX projects_eura_code ON public.projects USING btree (eura_code, start_date);

CREATE INDEX projects_predecessor ON public.projects USING btree (predecessor_id);

CREATE INDEX service_areas_municipality ON public.service_areas USING btree (municipality_id);

CREATE INDEX service_areas_workflow ON public.service_areas USING btree (source_workflow_id) WHERE (source_workflow_id IS NOT NULL);

CREATE INDEX share_register_holder ON public.share_register USING btree (holder_id);

CREATE INDEX webhooks_organisation ON public.webhooks USING btree (organisation) WHERE active;

CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON public.audit_checkpoints FOR EACH STATEMENT EXECUTE FUNCTION public.audit_log_refuse_change();

CREATE TRIGGER audit_checkpoints_no_update_or_delete BEFORE DELETE OR UPDATE ON public.audit_checkpoints FOR EACH ROW EXECUTE FUNCTION public.audit_log_refuse_change();

CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON public.audit_events FOR EACH STATEMENT EXECUTE FUNCTION public.audit_events_refuse_change();

CREATE TRIGGER audit_events_no_update_or_delete BEFORE DELETE OR UPDATE ON public.audit_events FOR EACH ROW EXECUTE FUNCTION public.audit_events_refuse_change();

CREATE TRIGGER audit_log_leaves_no_truncate BEFORE TRUNCATE ON public.audit_log_leaves FOR EACH STATEMENT EXECUTE FUNCTION public.audit_log_refuse_change();

CREATE TRIGGER audit_log_leaves_no_update_or_delete BEFORE DELETE OR UPDATE ON public.audit_log_leaves FOR EACH ROW EXECUTE FUNCTION public.audit_log_refuse_change();

CREATE TRIGGER audit_personal_erasure_only BEFORE DELETE OR UPDATE ON public.audit_personal FOR EACH ROW EXECUTE FUNCTION public.audit_personal_only_erasure();

CREATE TRIGGER audit_personal_no_truncate BEFORE TRUNCATE ON public.audit_personal FOR EACH STATEMENT EXECUTE FUNCTION public.audit_personal_only_erasure();

CREATE TRIGGER personal_data_keys_shred_only BEFORE UPDATE ON public.personal_data_keys FOR EACH ROW EXECUTE FUNCTION public.personal_data_key_stays_shredded();

ALTER TABLE ONLY public.api_tokens
    ADD CONSTRAINT api_tokens_person_id_fkey FOREIGN KEY (person_id) REFERENCES public.people(id);

ALTER TABLE ONLY public.approvals
    ADD CONSTRAINT approvals_workflow_id_fkey FOREIGN KEY (workflow_id) REFERENCES public.process_runs(workflow_id);

ALTER TABLE ONLY public.audit_log_leaves
    ADD CONSTRAINT audit_log_leaves_seq_fkey FOREIGN KEY (seq) REFERENCES public.audit_events(seq);

ALTER TABLE ONLY public.audit_personal
    ADD CONSTRAINT audit_personal_seq_fkey FOREIGN KEY (seq) REFERENCES public.audit_events(seq);

ALTER TABLE ONLY public.calendar_feeds
    ADD CONSTRAINT calendar_feeds_organisation_fkey FOREIGN KEY (organisation) REFERENCES public.organisations(business_id);

ALTER TABLE ONLY public.calendar_feeds
    ADD CONSTRAINT calendar_feeds_person_id_fkey FOREIGN KEY (person_id) REFERENCES public.people(id);

ALTER TABLE ONLY public.centre_holdings
    ADD CONSTRAINT centre_holdings_counterparty_id_fkey FOREIGN KEY (counterparty_id) REFERENCES public.organisations(business_id);

ALTER TABLE ONLY public.centre_holdings
    ADD CONSTRAINT centre_holdings_organisation_id_fkey FOREIGN KEY (organisation_id) REFERENCES public.organisations(business_id);

ALTER TABLE ONLY public.companies
    ADD CONSTRAINT companies_business_id_fkey FOREIGN KEY (business_id) REFERENCES public.organisations(business_id);

ALTER TABLE ONLY public.consolidation_item_list_rows
    ADD CONSTRAINT consolidation_item_list_rows_list_id_fkey FOREIGN KEY (list_id) REFERENCES public.consolidation_item_lists(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.delegations
    ADD CONSTRAINT delegations_from_person_fkey FOREIGN KEY (from_person) REFERENCES public.people(id);

ALTER TABLE ONLY public.delegations
    ADD CONSTRAINT delegations_organisation_fkey FOREIGN KEY (organisation) REFERENCES public.organisations(business_id);

ALTER TABLE ONLY public.delegations
    ADD CONSTRAINT delegations_to_person_fkey FOREIGN KEY (to_person) REFERENCES public.people(id);

ALTER TABLE ONLY public.governing_bodies
    ADD CONSTRAINT governing_bodies_organisation_id_fkey FOREIGN KEY (organisation_id) REFERENCES public.organisations(business_id);

ALTER TABLE ONLY public.historical_records
    ADD CONSTRAINT historical_records_workflow_id_fkey FOREIGN KEY (workflow_id) REFERENCES public.process_runs(workflow_id);

ALTER TABLE ONLY public.organisations
    ADD CONSTRAINT organisations_merged_into_fkey FOREIGN KEY (merged_into) REFERENCES public.organisations(business_id);

ALTER TABLE ONLY public.outbox
    ADD CONSTRAINT outbox_digest_id_fkey FOREIGN KEY (digest_id) REFERENCES public.outbox(id);

ALTER TABLE ONLY public.person_roles
    ADD CONSTRAINT person_roles_organisation_fkey FOREIGN KEY (organisation) REFERENCES public.organisations(business_id);

ALTER TABLE ONLY public.person_roles
    ADD CONSTRAINT person_roles_person_id_fkey FOREIGN KEY (person_id) REFERENCES public.people(id);

ALTER TABLE ONLY public.process_steps
    ADD CONSTRAINT process_steps_workflow_id_fkey FOREIGN KEY (workflow_id) REFERENCES public.process_runs(workflow_id);

ALTER TABLE ONLY public.project_documents
    ADD CONSTRAINT project_documents_workflow_id_fkey FOREIGN KEY (workflow_id) REFERENCES public.projects(workflow_id);

ALTER TABLE ONLY public.project_indicators
    ADD CONSTRAINT project_indicators_workflow_id_fkey FOREIGN KEY (workflow_id) REFERENCES public.projects(workflow_id);

ALTER TABLE ONLY public.project_periods
    ADD CONSTRAINT project_periods_workflow_id_fkey FOREIGN KEY (workflow_id) REFERENCES public.projects(workflow_id);

ALTER TABLE ONLY public.projects
    ADD CONSTRAINT projects_predecessor_id_fkey FOREIGN KEY (predecessor_id) REFERENCES public.projects(workflow_id);

ALTER TABLE ONLY public.service_areas
    ADD CONSTRAINT service_areas_centre_id_fkey FOREIGN KEY (centre_id) REFERENCES public.organisations(business_id);

ALTER TABLE ONLY public.service_areas
    ADD CONSTRAINT service_areas_municipality_id_fkey FOREIGN KEY (municipality_id) REFERENCES public.organisations(business_id);

ALTER TABLE ONLY public.share_register
    ADD CONSTRAINT share_register_company_id_fkey FOREIGN KEY (company_id) REFERENCES public.companies(business_id);

ALTER TABLE ONLY public.share_register
    ADD CONSTRAINT share_register_holder_id_fkey FOREIGN KEY (holder_id) REFERENCES public.organisations(business_id);

ALTER TABLE ONLY public.share_reservations
    ADD CONSTRAINT share_reservations_company_id_fkey FOREIGN KEY (company_id) REFERENCES public.companies(business_id);

ALTER TABLE ONLY public.webhooks
    ADD CONSTRAINT webhooks_organisation_fkey FOREIGN KEY (organisation) REFERENCES public.organisations(business_id);
