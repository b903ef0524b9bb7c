-- +goose Up
-- The log: one row per event, in log order. body is the RFC 8785 canonical
-- encoding that was hashed into the Merkle tree; the other columns are
-- copies of body fields for queries (key: the idempotency key), checked by
-- verify.
CREATE TABLE events (
    seq          INTEGER PRIMARY KEY,
    type         TEXT NOT NULL,
    key          TEXT NOT NULL UNIQUE,
    occurred_at  TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    body         BLOB NOT NULL
) STRICT;

-- The log's size, one row, rewritten by every commit. A writer reads it
-- inside its write transaction and, if another process has appended since,
-- catches up before appending: several processes never fork the log.
CREATE TABLE log_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    size INTEGER NOT NULL
) STRICT;
INSERT INTO log_head (id, size) VALUES (1, 0);

-- The Merkle tree's stored hashes (golang.org/x/mod/sumdb/tlog indexes).
CREATE TABLE hashes (
    idx  INTEGER PRIMARY KEY,
    hash BLOB NOT NULL
) STRICT;

-- Signed checkpoints, one per commit batch, all kept.
CREATE TABLE checkpoints (
    size      INTEGER PRIMARY KEY,
    note      BLOB NOT NULL,
    signed_at TEXT NOT NULL
) STRICT;

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- Projections of current state. Every row is rebuilt by verify from the log.
CREATE TABLE authorities (
    id   TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    doc  TEXT NOT NULL
) STRICT;

CREATE TABLE facilities (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    parent     TEXT,
    controller TEXT NOT NULL,
    capacity   INTEGER NOT NULL,
    population INTEGER NOT NULL,
    doc        TEXT NOT NULL
) STRICT;

CREATE TABLE persons (
    id             TEXT PRIMARY KEY,
    display_name   TEXT NOT NULL,
    category       TEXT NOT NULL,
    sex            TEXT NOT NULL,
    under_12       INTEGER NOT NULL,
    risk_tier      INTEGER NOT NULL,
    status         TEXT NOT NULL,
    facility_id    TEXT,
    authority_id   TEXT,
    since          TEXT NOT NULL,
    since_seq      INTEGER NOT NULL,
    escape_seq     INTEGER,
    registered_seq INTEGER NOT NULL,
    doc            TEXT NOT NULL
) STRICT;
CREATE INDEX persons_facility ON persons (facility_id);

CREATE TABLE person_nationalities (
    person_id TEXT NOT NULL,
    country   TEXT NOT NULL,
    PRIMARY KEY (person_id, country)
) STRICT, WITHOUT ROWID;
CREATE INDEX person_nationalities_country ON person_nationalities (country);

-- Each person's timeline: the events that changed their record or custody.
CREATE TABLE person_events (
    person_id TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    PRIMARY KEY (person_id, seq)
) STRICT, WITHOUT ROWID;

-- "Missing from custody" clocks.
CREATE TABLE escapes (
    seq         INTEGER PRIMARY KEY,
    person_id   TEXT NOT NULL,
    facility_id TEXT NOT NULL,
    at          TEXT NOT NULL,
    closed_by   INTEGER,
    closed_at   TEXT
) STRICT;

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
