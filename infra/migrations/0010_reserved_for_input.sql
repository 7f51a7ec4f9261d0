-- Placeholder: number 0010 belongs to the input branch. It exists only so 0011 applies on this branch
-- (the numbering must have no gap); when merging, take that branch's 0010 and delete this file.
SELECT 1;
