-- Each location's slow-mover demand over the Sunday refit's 420 days (issue 17): JSON
-- {"<location id>": [mean non-zero daily size, average days between demands]}, where the
-- nightly run starts its SBA recursion, so a lumpy seller's few dozen sales in the nightly
-- half-year are not all it knows. NULL until the next refit.
ALTER TABLE seasonal_patterns ADD COLUMN long_run TEXT;
