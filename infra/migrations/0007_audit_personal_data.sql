-- Personal data beside the audit trail. Free-text fields that may name people (comments, notes) are
-- kept here instead of in the chained payload; the chained payload carries their salted digest
-- (`personalDigest`). Erasing a person's data clears the values and the salt and keeps the chain whole.
CREATE TABLE audit_personal (
  seq            bigint PRIMARY KEY REFERENCES audit_events (seq),
  salt           text,
  fields         jsonb,
  erased_at      timestamptz,
  erased_by      text,
  erasure_reason text,
  CHECK ((erased_at IS NULL) = (fields IS NOT NULL AND salt IS NOT NULL))
);

-- The only change allowed is an erasure: values and salt go, who and why are recorded, once.
CREATE FUNCTION audit_personal_only_erasure() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE TRIGGER audit_personal_erasure_only
  BEFORE UPDATE OR DELETE ON audit_personal
  FOR EACH ROW EXECUTE FUNCTION audit_personal_only_erasure();

CREATE TRIGGER audit_personal_no_truncate
  BEFORE TRUNCATE ON audit_personal
  FOR EACH STATEMENT EXECUTE FUNCTION audit_personal_only_erasure();

GRANT SELECT, INSERT, UPDATE ON audit_personal TO fuusio_app;
