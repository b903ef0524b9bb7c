-- +goose Up
-- Moves: reference lists, allocations, moves, discrepancy alerts. Like every
-- projection, each row is rebuilt by verify from the log.
ALTER TABLE persons ADD COLUMN move_id TEXT COLLATE "C";
CREATE INDEX persons_move ON persons (move_id);

ALTER TABLE escapes ADD COLUMN move_id TEXT COLLATE "C";

-- Every published version of every reference list (reasons).
CREATE TABLE reference_lists (
    list    TEXT COLLATE "C" NOT NULL,
    version BIGINT NOT NULL,
    seq     BIGINT NOT NULL,
    doc     TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (list, version)
);

CREATE TABLE allocations (
    id         TEXT COLLATE "C" PRIMARY KEY,
    name       TEXT COLLATE "C" NOT NULL,
    ordered_by TEXT COLLATE "C" NOT NULL,
    target     BIGINT NOT NULL,
    doc        TEXT COLLATE "C" NOT NULL
);

-- A move and everything that happened to it (doc); the columns are for
-- boards and queries.
CREATE TABLE moves (
    id            TEXT COLLATE "C" PRIMARY KEY,
    allocation_id TEXT COLLATE "C" NOT NULL,
    mode          TEXT COLLATE "C" NOT NULL,
    status        TEXT COLLATE "C" NOT NULL,
    origin        TEXT COLLATE "C" NOT NULL,
    destination   TEXT COLLATE "C" NOT NULL,
    escort        TEXT COLLATE "C" NOT NULL,
    departure     TEXT COLLATE "C" NOT NULL,
    manifested    BIGINT NOT NULL,
    aboard        BIGINT NOT NULL,
    doc           TEXT COLLATE "C" NOT NULL
);
CREATE INDEX moves_status ON moves (status);

-- Discrepancy alerts: open until an event explains them.
CREATE TABLE alerts (
    seq         BIGINT PRIMARY KEY,
    kind        TEXT COLLATE "C" NOT NULL,
    move_id     TEXT COLLATE "C" NOT NULL,
    stage       TEXT COLLATE "C" NOT NULL,
    expected    BIGINT NOT NULL,
    counted     BIGINT NOT NULL,
    at          TEXT COLLATE "C" NOT NULL,
    closed_by   BIGINT,
    closed_at   TEXT COLLATE "C",
    explanation TEXT COLLATE "C"
);

-- +goose Down
DROP TABLE alerts;
DROP TABLE moves;
DROP TABLE allocations;
DROP TABLE reference_lists;
ALTER TABLE escapes DROP COLUMN move_id;
DROP INDEX persons_move;
ALTER TABLE persons DROP COLUMN move_id;
