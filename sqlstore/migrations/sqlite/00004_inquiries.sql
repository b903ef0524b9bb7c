-- +goose Up
-- Family inquiries: each inquiry, the desk's decisions and the answer given
-- (doc). Like every projection, each row is rebuilt by verify from the log.
CREATE TABLE inquiries (
    id         TEXT PRIMARY KEY,
    status     TEXT NOT NULL,
    desk       TEXT NOT NULL,
    opened_seq INTEGER NOT NULL,
    doc        TEXT NOT NULL
) STRICT;
CREATE INDEX inquiries_desk ON inquiries (desk, opened_seq);

-- +goose Down
DROP TABLE inquiries;
