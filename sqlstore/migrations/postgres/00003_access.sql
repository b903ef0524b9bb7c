-- +goose Up
-- Access: users, sessions, API tokens and the audit trail of who read which
-- person's record. These are not projections of the log (verify does not
-- rebuild them) and hold no custody fact: the log never depends on them.
CREATE TABLE users (
    name          TEXT COLLATE "C" PRIMARY KEY,
    doc           TEXT COLLATE "C" NOT NULL,
    password_hash TEXT COLLATE "C" NOT NULL,
    created_at    TEXT COLLATE "C" NOT NULL
);

-- Only hashes of session and API tokens are kept: a copy of the database
-- lets nobody sign in.
CREATE TABLE sessions (
    token_hash BYTEA PRIMARY KEY,
    user_name  TEXT COLLATE "C" NOT NULL,
    csrf       TEXT COLLATE "C" NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL,
    expires_at TEXT COLLATE "C" NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_name);

CREATE TABLE api_tokens (
    token_hash BYTEA PRIMARY KEY,
    user_name  TEXT COLLATE "C" NOT NULL,
    label      TEXT COLLATE "C" NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL
);
CREATE INDEX api_tokens_user ON api_tokens (user_name);

-- Every read of a person's record: who, when, which person, which page or
-- endpoint.
CREATE TABLE person_reads (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at        TEXT COLLATE "C" NOT NULL,
    user_name TEXT COLLATE "C" NOT NULL,
    person_id TEXT COLLATE "C" NOT NULL,
    route     TEXT COLLATE "C" NOT NULL
);
CREATE INDEX person_reads_person ON person_reads (person_id, id);
CREATE INDEX person_reads_user ON person_reads (user_name, id);

-- An event's subjects, for proofs and scope checks by log index.
CREATE INDEX person_events_seq ON person_events (seq);

-- +goose Down
DROP INDEX person_events_seq;
DROP TABLE person_reads;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE users;
