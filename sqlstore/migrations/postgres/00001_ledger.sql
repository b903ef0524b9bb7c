-- +goose Up
-- The PostgreSQL twin of migrations/sqlite/00001_ledger.sql: the same tables
-- and columns; text compares bytewise (COLLATE "C") as in SQLite, so both
-- engines order keys the same way.
-- The log: one row per event, in log order. body is the RFC 8785 canonical
-- encoding that was hashed into the Merkle tree; the other columns are
-- copies of body fields for queries (key: the idempotency key), checked by
-- verify.
CREATE TABLE events (
    seq          BIGINT PRIMARY KEY,
    type         TEXT COLLATE "C" NOT NULL,
    key          TEXT COLLATE "C" NOT NULL UNIQUE,
    occurred_at  TEXT COLLATE "C" NOT NULL,
    recorded_at  TEXT COLLATE "C" NOT NULL,
    body         BYTEA NOT NULL
);

-- The log's size, one row, rewritten by every commit. A writer reads it
-- inside its write transaction and, if another process has appended since,
-- catches up before appending: several processes never fork the log.
CREATE TABLE log_head (
    id   BIGINT PRIMARY KEY CHECK (id = 1),
    size BIGINT NOT NULL
);
INSERT INTO log_head (id, size) VALUES (1, 0);

-- The Merkle tree's stored hashes (golang.org/x/mod/sumdb/tlog indexes).
CREATE TABLE hashes (
    idx  BIGINT PRIMARY KEY,
    hash BYTEA NOT NULL
);

-- Signed checkpoints, one per commit batch, all kept.
CREATE TABLE checkpoints (
    size      BIGINT PRIMARY KEY,
    note      BYTEA NOT NULL,
    signed_at TEXT COLLATE "C" NOT NULL
);

CREATE TABLE meta (
    key   TEXT COLLATE "C" PRIMARY KEY,
    value TEXT COLLATE "C" NOT NULL
);

-- Projections of current state. Every row is rebuilt by verify from the log.
CREATE TABLE authorities (
    id   TEXT COLLATE "C" PRIMARY KEY,
    kind TEXT COLLATE "C" NOT NULL,
    name TEXT COLLATE "C" NOT NULL,
    doc  TEXT COLLATE "C" NOT NULL
);

CREATE TABLE facilities (
    id         TEXT COLLATE "C" PRIMARY KEY,
    name       TEXT COLLATE "C" NOT NULL,
    kind       TEXT COLLATE "C" NOT NULL,
    parent     TEXT COLLATE "C",
    controller TEXT COLLATE "C" NOT NULL,
    capacity   BIGINT NOT NULL,
    population BIGINT NOT NULL,
    doc        TEXT COLLATE "C" NOT NULL
);

CREATE TABLE persons (
    id             TEXT COLLATE "C" PRIMARY KEY,
    display_name   TEXT COLLATE "C" NOT NULL,
    category       TEXT COLLATE "C" NOT NULL,
    sex            TEXT COLLATE "C" NOT NULL,
    under_12       BIGINT NOT NULL,
    risk_tier      BIGINT NOT NULL,
    status         TEXT COLLATE "C" NOT NULL,
    facility_id    TEXT COLLATE "C",
    authority_id   TEXT COLLATE "C",
    since          TEXT COLLATE "C" NOT NULL,
    since_seq      BIGINT NOT NULL,
    escape_seq     BIGINT,
    registered_seq BIGINT NOT NULL,
    doc            TEXT COLLATE "C" NOT NULL
);
CREATE INDEX persons_facility ON persons (facility_id);

CREATE TABLE person_nationalities (
    person_id TEXT COLLATE "C" NOT NULL,
    country   TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (person_id, country)
);
CREATE INDEX person_nationalities_country ON person_nationalities (country);

-- Each person's timeline: the events that changed their record or custody.
CREATE TABLE person_events (
    person_id TEXT COLLATE "C" NOT NULL,
    seq       BIGINT NOT NULL,
    PRIMARY KEY (person_id, seq)
);

-- "Missing from custody" clocks.
CREATE TABLE escapes (
    seq         BIGINT PRIMARY KEY,
    person_id   TEXT COLLATE "C" NOT NULL,
    facility_id TEXT COLLATE "C" NOT NULL,
    at          TEXT COLLATE "C" NOT NULL,
    closed_by   BIGINT,
    closed_at   TEXT COLLATE "C"
);

-- +goose Down
DROP TABLE escapes;
DROP TABLE person_events;
DROP TABLE person_nationalities;
DROP TABLE persons;
DROP TABLE facilities;
DROP TABLE authorities;
DROP TABLE meta;
DROP TABLE checkpoints;
DROP TABLE hashes;
DROP TABLE log_head;
DROP TABLE events;
