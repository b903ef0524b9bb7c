-- +goose Up
-- After the transfer: cases, death-penalty alerts (exposures), consular
-- notifications, repatriation requests and the legal reference data
-- (charges, states' positions on the death penalty). Like every projection,
-- each row is rebuilt by verify from the log.
CREATE TABLE cases (
    id           TEXT PRIMARY KEY,
    person_id    TEXT NOT NULL,
    jurisdiction TEXT NOT NULL,
    stage        TEXT NOT NULL,
    opened_seq   INTEGER NOT NULL,
    last_seq     INTEGER NOT NULL,
    doc          TEXT NOT NULL
) STRICT;
CREATE INDEX cases_person ON cases (person_id);
CREATE INDEX cases_jurisdiction ON cases (jurisdiction, stage);

CREATE TABLE exposures (
    key       INTEGER PRIMARY KEY,
    seq       INTEGER NOT NULL,
    person_id TEXT NOT NULL,
    case_id   TEXT NOT NULL,
    reason    TEXT NOT NULL,
    closed_by INTEGER,
    doc       TEXT NOT NULL
) STRICT;
CREATE INDEX exposures_person ON exposures (person_id);

CREATE TABLE notifications (
    id          TEXT PRIMARY KEY,
    person_id   TEXT NOT NULL,
    authority   TEXT NOT NULL,
    country     TEXT NOT NULL,
    status      TEXT NOT NULL,
    created_seq INTEGER NOT NULL,
    custody_at  TEXT NOT NULL,
    doc         TEXT NOT NULL
) STRICT;
CREATE INDEX notifications_country ON notifications (country, status, custody_at);
CREATE INDEX notifications_authority ON notifications (authority, status, custody_at);
CREATE INDEX notifications_status ON notifications (status, custody_at);
CREATE INDEX notifications_person ON notifications (person_id);

CREATE TABLE repatriations (
    id            TEXT PRIMARY KEY,
    country       TEXT NOT NULL,
    closed        INTEGER NOT NULL,
    requested_seq INTEGER NOT NULL,
    doc           TEXT NOT NULL
) STRICT;

CREATE TABLE legal_references (
    kind    TEXT NOT NULL,
    version INTEGER NOT NULL,
    seq     INTEGER NOT NULL,
    doc     TEXT NOT NULL,
    PRIMARY KEY (kind, version)
) STRICT;

-- +goose Down
DROP TABLE legal_references;
DROP TABLE repatriations;
DROP TABLE notifications;
DROP TABLE exposures;
DROP TABLE cases;
