-- Placeholder so this branch's migration 0013 keeps the numbering unbroken (migrate refuses a gap).
-- Another branch owns migration 0011; delete this file when its real 0011 is merged.
SELECT 1;
