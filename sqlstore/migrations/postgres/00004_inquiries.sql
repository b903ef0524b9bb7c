-- +goose Up
-- Family inquiries: each inquiry, the desk's decisions and the answer given
-- (doc). Like every projection, each row is rebuilt by verify from the log.
CREATE TABLE inquiries (
    id         TEXT COLLATE "C" PRIMARY KEY,
    status     TEXT COLLATE "C" NOT NULL,
    desk       TEXT COLLATE "C" NOT NULL,
    opened_seq BIGINT NOT NULL,
    doc        TEXT COLLATE "C" NOT NULL
);
CREATE INDEX inquiries_desk ON inquiries (desk, opened_seq);

-- +goose Down
DROP TABLE inquiries;
