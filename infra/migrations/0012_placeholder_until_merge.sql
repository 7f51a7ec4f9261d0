-- Placeholder so this branch's migration 0013 keeps the numbering unbroken (migrate refuses a gap).
-- Another branch owns migration 0012; delete this file when its real 0012 is merged.
SELECT 1;
