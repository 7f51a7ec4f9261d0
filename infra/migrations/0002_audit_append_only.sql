-- The audit trail is append-only in the database itself: no UPDATE, DELETE or TRUNCATE, whoever asks.
-- (A superuser can still switch triggers off; the hash chain is what exposes such a change.)
CREATE FUNCTION audit_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_events_no_update_or_delete
  BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change();

CREATE TRIGGER audit_events_no_truncate
  BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();

-- The role the API and workers log in as in production: it may add to the audit trail and read it, nothing more.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'fuusio_app') THEN
    CREATE ROLE fuusio_app NOLOGIN;
  END IF;
END;
$$;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO fuusio_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO fuusio_app;
REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM fuusio_app;
