-- When a register row was written (not when the shares were acquired), so the register can be shown
-- as it was recorded at any past moment.
ALTER TABLE share_register ADD COLUMN recorded_at timestamptz NOT NULL DEFAULT now();
