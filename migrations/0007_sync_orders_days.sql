-- How many days of orders the sync started by a catalogue run imports: a year at install,
-- a few days for the nightly sync.
ALTER TABLE sync_runs ADD COLUMN orders_days INTEGER;
