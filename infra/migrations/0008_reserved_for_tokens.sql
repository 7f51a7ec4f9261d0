-- Placeholder: number 0008 belongs to the token-lifecycle branch (api_tokens expiry and revocation).
-- It exists only so 0009 applies on this branch; when merging, take that branch's 0008 and delete this file.
SELECT 1;
