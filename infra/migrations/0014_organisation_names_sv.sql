-- An organisation's name in Swedish, where the registry has one: the bilingual municipalities
-- (Porvoo – Borgå, Loviisa – Lovisa, …), the state authorities and the centres with a Swedish name.
-- The Finnish `name` stays the name of record; the dashboard shows the Swedish one to Swedish readers.
ALTER TABLE organisations ADD COLUMN name_sv text CHECK (name_sv IS NULL OR length(name_sv) BETWEEN 1 AND 200);
