-- Tokens may expire; a revoked or expired token is refused (revoked_at existed, nothing set it before).
ALTER TABLE api_tokens ADD COLUMN expires_at timestamptz;
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_expiry_after_creation CHECK (expires_at IS NULL OR expires_at > created_at);

-- The least-privileged role the API and workers run as in production (NOLOGIN, as 0002 created it: a
-- LOGIN role is granted membership of it). The owner role runs the migrations and nothing else.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'fuusio_app') THEN
    CREATE ROLE fuusio_app NOLOGIN;
  END IF;
END;
$$;

-- 0002 granted on the tables that existed then; 0005 and 0006 added tables fuusio_app could not touch.
-- Grant on every table now, and by default on every table and sequence later migrations create.
GRANT USAGE ON SCHEMA public TO fuusio_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO fuusio_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO fuusio_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO fuusio_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO fuusio_app;

-- The audit tables: add and read, nothing more (a later migration that adds an audit table revokes likewise).
REVOKE UPDATE, DELETE, TRUNCATE ON audit_events, audit_personal FROM fuusio_app;
-- Which migrations ran is the owner's business.
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migrations FROM fuusio_app;

-- An erasure is the one change audit_personal allows. The app role has no UPDATE there, so it erases
-- through this function, which runs with its owner's rights and can do nothing but an erasure (the
-- trigger of 0007 still checks its shape). Returns the seqs it erased; rows already erased are skipped.
CREATE FUNCTION erase_audit_personal(p_seqs bigint[], p_erased_by text, p_reason text) RETURNS SETOF bigint
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  UPDATE audit_personal SET fields = NULL, salt = NULL, erased_at = now(), erased_by = p_erased_by, erasure_reason = p_reason
   WHERE seq = ANY (p_seqs) AND erased_at IS NULL
  RETURNING seq;
$$;
REVOKE ALL ON FUNCTION erase_audit_personal(bigint[], text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION erase_audit_personal(bigint[], text, text) TO fuusio_app;
