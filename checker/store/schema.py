"""The database's shape, as an ordered list of migrations. ``PRAGMA user_version`` holds how
many have run; opening a database runs the rest, each in its own transaction, so an old file
is brought up to date and a new one is built by the same steps.

Numbers that are scores or shares are stored as integers in thousandths (``score`` 87500 is
87.5 points, ``coverage`` 912 is 91.2%): exact, sortable, never a float."""
from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1: the first shape
    """
    CREATE TABLE regions (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL UNIQUE,           -- 省/市/县, the whole chain
        name TEXT NOT NULL,
        parent_id INTEGER REFERENCES regions(id)
    );
    CREATE TABLE agencies (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        kind TEXT,                           -- government | department | other
        region_id INTEGER REFERENCES regions(id),
        parent_id INTEGER REFERENCES agencies(id)   -- 上级机关
    );
    CREATE INDEX agencies_region ON agencies(region_id);
    CREATE TABLE files (
        hash TEXT PRIMARY KEY,               -- sha256 of the bytes; the file is kept under this name
        size INTEGER NOT NULL,
        suffix TEXT NOT NULL,
        added_at TEXT NOT NULL
    );
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        origin TEXT NOT NULL,                -- upload | batch | recheck
        checker_version TEXT NOT NULL,
        pack_hash TEXT NOT NULL,
        format TEXT NOT NULL,
        profile TEXT NOT NULL,
        profile_title TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        state TEXT NOT NULL,                 -- running | done | failed
        total INTEGER NOT NULL DEFAULT 0,
        done INTEGER NOT NULL DEFAULT 0,
        errors INTEGER NOT NULL DEFAULT 0,
        message TEXT
    );
    CREATE TABLE reports (
        id INTEGER PRIMARY KEY,
        file_hash TEXT NOT NULL UNIQUE REFERENCES files(hash),
        name TEXT NOT NULL,                  -- the file's name as delivered (shown, never opened)
        agency_id INTEGER REFERENCES agencies(id),
        kind TEXT,
        year INTEGER,
        published TEXT,
        published_source TEXT,               -- report | page | manifest | option
        title TEXT,
        run_id INTEGER REFERENCES runs(id),
        reader TEXT,
        error TEXT,
        score INTEGER,                       -- after reviews, thousandths
        checked_score INTEGER,               -- as checked, before reviews
        grade TEXT,
        coverage INTEGER,
        fail_critical INTEGER NOT NULL DEFAULT 0,
        fail_high INTEGER NOT NULL DEFAULT 0,
        fail_medium INTEGER NOT NULL DEFAULT 0,
        fail_low INTEGER NOT NULL DEFAULT 0,
        fail_info INTEGER NOT NULL DEFAULT 0,
        waived INTEGER NOT NULL DEFAULT 0,
        rank INTEGER,                        -- within its year, best first
        search TEXT NOT NULL DEFAULT ''      -- agency, title and name, for text search
    );
    CREATE INDEX reports_year_score ON reports(year, score DESC);
    CREATE INDEX reports_year_rank ON reports(year, rank);
    CREATE INDEX reports_agency ON reports(agency_id, year);
    CREATE TABLE checks (                    -- the latest check of a report, whole
        report_id INTEGER PRIMARY KEY REFERENCES reports(id) ON DELETE CASCADE,
        run_id INTEGER REFERENCES runs(id),
        result BLOB NOT NULL,                -- zlib(JSON): checker.store.codec
        tables BLOB                          -- zlib(JSON) of the three tables as read; NULL: not yet read
    );
    CREATE TABLE results (                   -- per report, the rules that failed, were waived, could not
                                             -- be assessed or erred, after reviews (passes: in checks)
        report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
        rule TEXT NOT NULL,
        status TEXT NOT NULL,
        severity TEXT NOT NULL,
        points INTEGER,
        fingerprint TEXT,
        PRIMARY KEY (report_id, rule)
    ) WITHOUT ROWID;
    CREATE INDEX results_rule ON results(rule, status, report_id);
    CREATE TABLE figures (                   -- key figures of a report's tables, for history
        report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        value TEXT,                          -- a decimal as written, NULL when blank or unreadable
        PRIMARY KEY (report_id, name)
    ) WITHOUT ROWID;
    CREATE TABLE scores (                    -- every check of a report: its history across runs
        report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
        run_id INTEGER NOT NULL REFERENCES runs(id),
        score INTEGER,
        grade TEXT,
        PRIMARY KEY (report_id, run_id)
    ) WITHOUT ROWID;
    CREATE TABLE reviews (                   -- the current decision on a finding
        id INTEGER PRIMARY KEY,
        report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
        rule TEXT NOT NULL,
        fingerprint TEXT NOT NULL,           -- of the finding it was made on
        decision TEXT NOT NULL,              -- confirmed | dismissed | waived
        note TEXT NOT NULL,
        reviewer TEXT NOT NULL,
        decided_at TEXT NOT NULL,
        stale TEXT,                          -- why it needs a second look: changed | gone; NULL when it holds
        UNIQUE (report_id, rule)
    );
    CREATE INDEX reviews_stale ON reviews(stale) WHERE stale IS NOT NULL;
    CREATE TABLE review_log (                -- every decision ever made, for the record
        id INTEGER PRIMARY KEY,
        report_id INTEGER NOT NULL,
        rule TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        decision TEXT NOT NULL,
        note TEXT NOT NULL,
        reviewer TEXT NOT NULL,
        decided_at TEXT NOT NULL
    );
    """,
    # 2: what the ranking and the year dashboard ask answered from indexes, without reading report
    # rows (at 100,000 reports: tens of milliseconds instead of hundreds); a result row knows its
    # report's year; words are found through a trigram index (Chinese has no spaces to split on)
    """
    DROP INDEX reports_year_score;
    CREATE INDEX reports_year_score ON reports(year, score DESC, kind, grade, agency_id, rank);
    CREATE INDEX reports_year_errors ON reports(year) WHERE error IS NOT NULL;
    CREATE INDEX reports_year_waived ON reports(year, waived) WHERE waived > 0;
    ALTER TABLE results ADD COLUMN year INTEGER;
    UPDATE results SET year = (SELECT year FROM reports WHERE reports.id = results.report_id);
    DROP INDEX results_rule;
    CREATE INDEX results_rule ON results(rule, status, year, report_id);
    CREATE INDEX results_year ON results(year, status, rule);
    CREATE VIRTUAL TABLE reports_search USING fts5(search, content='reports', content_rowid='id',
                                                   tokenize='trigram');
    INSERT INTO reports_search (reports_search) VALUES ('rebuild');
    CREATE TRIGGER reports_search_insert AFTER INSERT ON reports BEGIN
        INSERT INTO reports_search (rowid, search) VALUES (new.id, new.search);
    END;
    CREATE TRIGGER reports_search_delete AFTER DELETE ON reports BEGIN
        INSERT INTO reports_search (reports_search, rowid, search) VALUES ('delete', old.id, old.search);
    END;
    CREATE TRIGGER reports_search_update AFTER UPDATE OF search ON reports BEGIN
        INSERT INTO reports_search (reports_search, rowid, search) VALUES ('delete', old.id, old.search);
        INSERT INTO reports_search (rowid, search) VALUES (new.id, new.search);
    END;
    """,
    # 3: each report's fingerprint of the text the copy rule (DUP-004) compares
    # (checker.batch.fingerprint), so that reports delivered at different times are compared with
    # their likely copies of the same year as a batch compares its own; NULL when not checked so
    """
    ALTER TABLE reports ADD COLUMN copy_slots BLOB;
    ALTER TABLE reports ADD COLUMN copy_size INTEGER;
    """,
)
