-- +goose Up
-- Access: users, sessions, API tokens and the audit trail of who read which
-- person's record. These are not projections of the log (verify does not
-- rebuild them) and hold no custody fact: the log never depends on them.
CREATE TABLE users (
    name          TEXT PRIMARY KEY,
    doc           TEXT NOT NULL,  -- custody.User: role, authority, scope, disabled
    password_hash TEXT NOT NULL,  -- argon2id, PHC string form
    created_at    TEXT NOT NULL
) STRICT;

-- Only hashes of session and API tokens are kept: a copy of the database
-- lets nobody sign in.
CREATE TABLE sessions (
    token_hash BLOB PRIMARY KEY,
    user_name  TEXT NOT NULL,
    csrf       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
) STRICT;
CREATE INDEX sessions_user ON sessions (user_name);

CREATE TABLE api_tokens (
    token_hash BLOB PRIMARY KEY,
    user_name  TEXT NOT NULL,
    label      TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX api_tokens_user ON api_tokens (user_name);

-- Every read of a person's record: who, when, which person, which page or
-- endpoint.
CREATE TABLE person_reads (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    user_name TEXT NOT NULL,
    person_id TEXT NOT NULL,
    route     TEXT NOT NULL
) STRICT;
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
