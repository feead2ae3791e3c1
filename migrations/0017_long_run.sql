-- Each location's slow-mover demand over the Sunday refit's 420 days (issue 17): JSON
-- {"<location id>": [mean non-zero daily size, average days between demands, mean squared
-- size]}. A lumpy seller's nightly SBA recursion starts from it and its spread is not taken
-- below it, so the few dozen sales of the nightly half-year are not all the engine knows.
-- NULL until the next refit.
ALTER TABLE seasonal_patterns ADD COLUMN long_run TEXT;
