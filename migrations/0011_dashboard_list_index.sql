-- The dashboard lists live alerts of every state by urgency, a page at a time. With this
-- index the page query reads only the rows it skips and shows (measured on 50,000
-- variants / 48,000 live alerts in SQLite: 0.7 ms for page 1 instead of 114 ms with a
-- sort over alerts_dashboard). The id breaks ties, as the query's ORDER BY does.
CREATE INDEX alerts_live_by_urgency ON alerts (shop_id, urgency DESC, id) WHERE state != 'resolved';
