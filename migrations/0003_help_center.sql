-- Help center: support requests from the contact form. Votes live in help_feedback (0001).
CREATE TABLE support_requests (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT NOT NULL,
    email        TEXT NOT NULL,
    message      TEXT NOT NULL,
    article_slug TEXT,                         -- the article the reader was on, if any
    created_at   TEXT NOT NULL
);
