-- +goose Up
-- Moves: reference lists, allocations, moves, discrepancy alerts. Like every
-- projection, each row is rebuilt by verify from the log.
ALTER TABLE persons ADD COLUMN move_id TEXT;
CREATE INDEX persons_move ON persons (move_id);

ALTER TABLE escapes ADD COLUMN move_id TEXT;

-- Every published version of every reference list (reasons).
CREATE TABLE reference_lists (
    list    TEXT NOT NULL,
    version INTEGER NOT NULL,
    seq     INTEGER NOT NULL,
    doc     TEXT NOT NULL,
    PRIMARY KEY (list, version)
) STRICT;

CREATE TABLE allocations (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    ordered_by TEXT NOT NULL,
    target     INTEGER NOT NULL,
    doc        TEXT NOT NULL
) STRICT;

-- A move and everything that happened to it (doc); the columns are for
-- boards and queries.
CREATE TABLE moves (
    id            TEXT PRIMARY KEY,
    allocation_id TEXT NOT NULL,
    mode          TEXT NOT NULL,
    status        TEXT NOT NULL,
    origin        TEXT NOT NULL,
    destination   TEXT NOT NULL,
    escort        TEXT NOT NULL,
    departure     TEXT NOT NULL,
    manifested    INTEGER NOT NULL,
    aboard        INTEGER NOT NULL,
    doc           TEXT NOT NULL
) STRICT;
CREATE INDEX moves_status ON moves (status);

-- Discrepancy alerts: open until an event explains them.
CREATE TABLE alerts (
    seq         INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    move_id     TEXT NOT NULL,
    stage       TEXT NOT NULL,
    expected    INTEGER NOT NULL,
    counted     INTEGER NOT NULL,
    at          TEXT NOT NULL,
    closed_by   INTEGER,
    closed_at   TEXT,
    explanation TEXT
) STRICT;

-- +goose Down
DROP TABLE alerts;
DROP TABLE moves;
DROP TABLE allocations;
DROP TABLE reference_lists;
ALTER TABLE escapes DROP COLUMN move_id;
DROP INDEX persons_move;
ALTER TABLE persons DROP COLUMN move_id;
