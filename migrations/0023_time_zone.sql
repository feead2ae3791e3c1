-- The merchant's time zone for quiet hours and the digest's day becomes an IANA zone with
-- its daylight saving (issue 18), not a fixed offset: a merchant in New York who chose
-- UTC−05:00 got digests an hour late all summer. Whole-hour offsets chosen before map to
-- the fixed `Etc/GMT∓h` zone they were (POSIX signs are inverted), which the form shows
-- until the merchant picks a city; other offsets stay in `utc_offset_minutes`, still read.
ALTER TABLE settings ADD COLUMN time_zone TEXT;
UPDATE settings
SET time_zone = CASE WHEN utc_offset_minutes = 0 THEN 'UTC'
                     ELSE 'Etc/GMT' || CASE WHEN utc_offset_minutes > 0 THEN '-' ELSE '+' END || abs(utc_offset_minutes / 60) END,
    utc_offset_minutes = NULL
WHERE utc_offset_minutes IS NOT NULL AND utc_offset_minutes % 60 = 0 AND abs(utc_offset_minutes) <= 720;
