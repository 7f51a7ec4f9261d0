-- A hash chain per workflow (and per actor for audit events without a workflow) instead of one global
-- chain behind one global lock, and a signed Merkle log over every chained event.
--
-- The rows written before this migration keep their hashes and become the chain 'legacy' (chain_seq =
-- seq, verified with the old formula, which does not see the chain columns). Re-threading them into
-- per-workflow chains would mean new hashes for rows auditors may already have copies of; leaving them
-- where they are keeps every hash anyone saved valid.

-- Moving the old rows into the legacy chain is the one update the append-only trail ever gets.
ALTER TABLE audit_events ADD COLUMN chain_id text, ADD COLUMN chain_seq bigint;
ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_or_delete;
UPDATE audit_events SET chain_id = 'legacy', chain_seq = seq;
ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update_or_delete;
ALTER TABLE audit_events ALTER COLUMN chain_id SET NOT NULL, ALTER COLUMN chain_seq SET NOT NULL;
ALTER TABLE audit_events ADD CONSTRAINT audit_events_chain_position UNIQUE (chain_id, chain_seq);
ALTER TABLE audit_events ADD CONSTRAINT audit_events_chain_seq_positive CHECK (chain_seq > 0);

-- Writers on different chains no longer wait for each other, so seq comes from a sequence (a rolled-back
-- append leaves a gap; order within a chain is chain_seq, which has none).
CREATE SEQUENCE audit_events_seq OWNED BY audit_events.seq;
SELECT setval('audit_events_seq', COALESCE((SELECT max(seq) FROM audit_events), 0) + 1, false);
ALTER TABLE audit_events ALTER COLUMN seq SET DEFAULT nextval('audit_events_seq');

-- Each chain's last link (and the one before it), moved by every append under the chain's lock.
CREATE TABLE audit_chain_heads (
  chain_id  text PRIMARY KEY,
  chain_seq bigint NOT NULL CHECK (chain_seq >= 0),
  hash      text NOT NULL,
  prev_hash text,
  seq       bigint
);
INSERT INTO audit_chain_heads (chain_id, chain_seq, hash, prev_hash, seq)
SELECT 'legacy', seq, hash, prev_hash, seq FROM audit_events ORDER BY seq DESC LIMIT 1;

-- One statement per append: lock the chain, skip a key recorded before, link, insert, move the head.
-- seq is drawn only after the lock, so within a chain seq grows with chain_seq (readers order by seq).
-- The link hash is SHA-256(prev_hash '\n' chain_seq '\n' seq '\n' content_digest), where the caller's
-- content digest covers the chain id and the row's content (libs/db/repositories/audit.repository.ts).
CREATE FUNCTION audit_append(
  p_chain text, p_key text, p_workflow text, p_action text, p_actor text, p_at timestamptz, p_payload jsonb, p_digest text
) RETURNS TABLE (seq bigint, chain_seq bigint, prev_hash text, hash text)
LANGUAGE plpgsql AS $$
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

-- The Merkle log: leaf i is SHA-256(0x00 || event hash) of the i-th event logged. The checkpointer
-- appends each chain's new links in chain order; a chain's events never enter out of order.
CREATE TABLE audit_log_leaves (
  leaf_index bigint PRIMARY KEY CHECK (leaf_index >= 0),
  seq        bigint NOT NULL UNIQUE REFERENCES audit_events (seq),
  chain_id   text NOT NULL,
  chain_seq  bigint NOT NULL,
  leaf_hash  text NOT NULL,
  UNIQUE (chain_id, chain_seq)
);

-- How far each chain has been logged (the checkpointer's own bookkeeping, not evidence).
CREATE TABLE audit_log_positions (
  chain_id  text PRIMARY KEY,
  chain_seq bigint NOT NULL
);

-- Signed tree heads: Ed25519 over the statement in libs/audit/checkpoint-signing.ts. The frontier lets
-- the next checkpoint go on without reading the earlier leaves.
CREATE TABLE audit_checkpoints (
  tree_size bigint PRIMARY KEY CHECK (tree_size > 0),
  root_hash text NOT NULL,
  signed_at timestamptz NOT NULL,
  key_id    text NOT NULL,
  signature text NOT NULL,
  frontier  jsonb NOT NULL
);

-- Verifications that passed, with the frontier the verifier computed itself: an incremental verify
-- starts from the last one.
CREATE TABLE audit_verifications (
  id          bigserial PRIMARY KEY,
  tree_size   bigint NOT NULL,
  root_hash   text NOT NULL,
  frontier    jsonb NOT NULL,
  mode        text NOT NULL CHECK (mode IN ('full', 'incremental')),
  checked     bigint NOT NULL,
  verified_at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_log_leaves_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_log_leaves
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_leaves_no_truncate BEFORE TRUNCATE ON audit_log_leaves
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_checkpoints_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_checkpoints
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();

-- Add and read, nothing more (0008's rule for audit tables); the heads and positions move, so they may be updated.
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log_leaves, audit_checkpoints, audit_verifications FROM fuusio_app;
REVOKE DELETE, TRUNCATE ON audit_chain_heads, audit_log_positions FROM fuusio_app;
