//! The store's tables. Column names mirror Dataverse's logical names (`estimatedvalue`,
//! `_customerid_value`, `statecode`, ...) so the embedded store and the Dataverse connector speak
//! of the same things. GUIDs are stored as lowercase hyphenated text, dates as `YYYY-MM-DD`,
//! timestamps as RFC 3339 UTC (`2026-11-18T10:00:00Z`), which sort correctly as text.

/// Bumped when the tables change; an existing file with another version is refused rather than
/// silently misread. 3: the task and lead tables (issue 12). 4: the Sales users
/// (`systemuser`, see `access`), added to a version 3 store when it is opened.
pub const SCHEMA_VERSION: i64 = 4;

pub const CREATE: &str = r#"
CREATE TABLE store_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE account (
    accountid  TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    -- name trimmed and Unicode-lowercased in Rust: SQLite's lower() only folds ASCII.
    name_key   TEXT NOT NULL,
    modifiedon TEXT NOT NULL
);
CREATE INDEX account_name_key ON account (name_key, modifiedon DESC);

CREATE TABLE contact (
    contactid  TEXT PRIMARY KEY,
    fullname   TEXT NOT NULL,
    name_key   TEXT NOT NULL,
    modifiedon TEXT NOT NULL
);
CREATE INDEX contact_name_key ON contact (name_key, modifiedon DESC);

-- Dataverse's transactioncurrency: `exchangerate` is how many units of this currency make one
-- unit of the base currency (the base currency's own rate is 1).
CREATE TABLE transactioncurrency (
    transactioncurrencyid TEXT PRIMARY KEY,
    isocurrencycode       TEXT NOT NULL UNIQUE,
    currencyname          TEXT NOT NULL,
    currencysymbol        TEXT NOT NULL,
    exchangerate          REAL NOT NULL CHECK (exchangerate > 0)
);

-- The one organization row, for its base currency (`_basecurrencyid_value`).
CREATE TABLE organization (
    organizationid        TEXT PRIMARY KEY,
    name                  TEXT NOT NULL,
    _basecurrencyid_value TEXT NOT NULL REFERENCES transactioncurrency
);

CREATE TABLE opportunity (
    opportunityid          TEXT PRIMARY KEY,
    name                   TEXT NOT NULL,
    _customerid_value      TEXT NOT NULL,
    customeridtype         TEXT NOT NULL CHECK (customeridtype IN ('account', 'contact')),
    estimatedvalue         REAL,
    -- estimatedvalue in the base currency: estimatedvalue / exchangerate, rounded to cents, as
    -- Dataverse computes it when the record is saved. NULL when the value is.
    estimatedvalue_base    REAL,
    -- The record's rate, copied from its currency when saved (later rate changes leave it).
    exchangerate           REAL,
    _transactioncurrencyid_value TEXT REFERENCES transactioncurrency,
    estimatedclosedate     TEXT,
    closeprobability       INTEGER CHECK (closeprobability BETWEEN 0 AND 100),
    stepname               TEXT,
    -- 0 open, 1 won, 2 lost.
    statecode              INTEGER NOT NULL CHECK (statecode IN (0, 1, 2)),
    msdyn_forecastcategory INTEGER,
    competitorname         TEXT,
    _ownerid_value         TEXT,
    owneridname            TEXT,
    createdon              TEXT NOT NULL,
    modifiedon             TEXT NOT NULL
);
CREATE INDEX opportunity_open_by_customer
    ON opportunity (_customerid_value, estimatedvalue_base DESC) WHERE statecode = 0;

CREATE TABLE activitypointer (
    activityid        TEXT PRIMARY KEY,
    activitytypecode  TEXT NOT NULL
                      CHECK (activitytypecode IN ('email', 'phonecall', 'appointment', 'task')),
    subject           TEXT NOT NULL,
    description       TEXT,
    regardingobjectid TEXT NOT NULL,
    _ownerid_value    TEXT,
    owneridname       TEXT,
    -- NULL while the activity is still planned (an open task, a future appointment).
    actualend         TEXT,
    createdon         TEXT NOT NULL
);
CREATE INDEX activitypointer_regarding ON activitypointer (regardingobjectid, createdon);

-- Tasks written through dealpane (issue 12), with Dataverse's task columns: regarding an
-- opportunity, owned by its owner; `category` and `subcategory` mark dealpane's own.
CREATE TABLE task (
    activityid               TEXT PRIMARY KEY,
    subject                  TEXT NOT NULL,
    description              TEXT,
    category                 TEXT,
    subcategory              TEXT,
    _regardingobjectid_value TEXT NOT NULL REFERENCES opportunity,
    regardingobjecttypecode  TEXT NOT NULL,
    _ownerid_value           TEXT,
    owneridtype              TEXT CHECK (owneridtype IN ('systemuser', 'team')),
    owneridname              TEXT,
    -- 0 open, 1 completed, 2 canceled.
    statecode                INTEGER NOT NULL CHECK (statecode IN (0, 1, 2)),
    createdon                TEXT NOT NULL
);
CREATE INDEX task_regarding ON task (_regardingobjectid_value, subcategory, createdon DESC);

-- Leads written through dealpane (issue 12), with Dataverse's lead columns.
CREATE TABLE lead (
    leadid                       TEXT PRIMARY KEY,
    subject                      TEXT NOT NULL,
    description                  TEXT,
    _parentaccountid_value       TEXT REFERENCES account,
    _parentcontactid_value       TEXT REFERENCES contact,
    estimatedamount              REAL,
    _transactioncurrencyid_value TEXT REFERENCES transactioncurrency,
    leadsourcecode               INTEGER,
    -- 0 open, 1 qualified, 2 disqualified.
    statecode                    INTEGER NOT NULL CHECK (statecode IN (0, 1, 2)),
    createdon                    TEXT NOT NULL
);

-- What msdyn_SalesOpportunitySummary answers in Dataverse; a deal without a row has no summary.
CREATE TABLE opportunity_summary (
    opportunityid TEXT PRIMARY KEY,
    summary       TEXT NOT NULL,
    generatedon   TEXT NOT NULL
);
"#;

/// `store_meta` keys.
pub mod meta {
    /// The store's "today" at creation: every generated date is relative to it.
    pub const CREATED_ON: &str = "created_on";
    pub const SEED: &str = "seed";
    pub const SAMPLE_SIZE: &str = "sample_size";
}

/// The `name_key` of a name: trimmed and lowercased by Unicode's rules (Ä→ä, Σ→σ/ς, Д→д), the
/// same function for stored names and for the names asked for.
pub fn name_key(name: &str) -> String {
    name.trim().to_lowercase()
}
