-- +goose Up
-- After the transfer: cases, death-penalty alerts (exposures), consular
-- notifications, repatriation requests and the legal reference data
-- (charges, states' positions on the death penalty). Like every projection,
-- each row is rebuilt by verify from the log.
CREATE TABLE cases (
    id           TEXT COLLATE "C" PRIMARY KEY,
    person_id    TEXT COLLATE "C" NOT NULL,
    jurisdiction TEXT COLLATE "C" NOT NULL,
    stage        TEXT COLLATE "C" NOT NULL,
    opened_seq   BIGINT NOT NULL,
    last_seq     BIGINT NOT NULL,
    doc          TEXT COLLATE "C" NOT NULL
);
CREATE INDEX cases_person ON cases (person_id);
CREATE INDEX cases_jurisdiction ON cases (jurisdiction, stage);

CREATE TABLE exposures (
    key       BIGINT PRIMARY KEY,
    seq       BIGINT NOT NULL,
    person_id TEXT COLLATE "C" NOT NULL,
    case_id   TEXT COLLATE "C" NOT NULL,
    reason    TEXT COLLATE "C" NOT NULL,
    closed_by BIGINT,
    doc       TEXT COLLATE "C" NOT NULL
);
CREATE INDEX exposures_person ON exposures (person_id);

CREATE TABLE notifications (
    id          TEXT COLLATE "C" PRIMARY KEY,
    person_id   TEXT COLLATE "C" NOT NULL,
    authority   TEXT COLLATE "C" NOT NULL,
    country     TEXT COLLATE "C" NOT NULL,
    status      TEXT COLLATE "C" NOT NULL,
    created_seq BIGINT NOT NULL,
    custody_at  TEXT COLLATE "C" NOT NULL,
    doc         TEXT COLLATE "C" NOT NULL
);
CREATE INDEX notifications_country ON notifications (country, status, custody_at);
CREATE INDEX notifications_authority ON notifications (authority, status, custody_at);
CREATE INDEX notifications_status ON notifications (status, custody_at);
CREATE INDEX notifications_person ON notifications (person_id);

CREATE TABLE repatriations (
    id            TEXT COLLATE "C" PRIMARY KEY,
    country       TEXT COLLATE "C" NOT NULL,
    closed        BIGINT NOT NULL,
    requested_seq BIGINT NOT NULL,
    doc           TEXT COLLATE "C" NOT NULL
);

CREATE TABLE legal_references (
    kind    TEXT COLLATE "C" NOT NULL,
    version BIGINT NOT NULL,
    seq     BIGINT NOT NULL,
    doc     TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (kind, version)
);

-- +goose Down
DROP TABLE legal_references;
DROP TABLE repatriations;
DROP TABLE notifications;
DROP TABLE exposures;
DROP TABLE cases;
