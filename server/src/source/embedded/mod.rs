//! The embedded Sales store: a SQLite file whose tables mirror Dataverse's account, contact,
//! opportunity and activity columns, created and filled by a deterministic generator on first
//! start and kept as it is afterwards. The default source: no set-up, same answers every run.
//!
//! Reads run on tokio's blocking threads through a small pool of connections (one per core, WAL
//! mode, `query_only`), so concurrent requests read in parallel and never block the runtime.

pub mod access;
pub mod currencies;
pub mod fixtures;
mod generator;
mod queries;
mod rng;
mod schema;
pub mod summarizer;
mod writes;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use async_trait::async_trait;
use chrono::NaiveDate;
use dealpane_contract::{CustomerRef, CustomerType, Deal, Guid};
use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::writes::{CreatedTask, NewLead, NewTask, SalesWriter, TaskRow, WriteError};
use super::{CustomerRecord, SalesSource, SourceError, SourceStats};
use access::Sees;
use generator::Clock;
use queries::LinkTarget;
pub use queries::StoredSummary;

/// How a new store is filled and how deals link out. Only `org_link_base` and `app_id` matter
/// when the file already exists: an existing store is never regenerated.
#[derive(Debug, Clone)]
pub struct EmbeddedOptions {
    /// Customers in a new store, the fixed ones ([`fixtures`]) included.
    pub sample_size: u32,
    /// The new store's "today": every generated date is relative to it. `None`: the UTC date.
    pub today: Option<NaiveDate>,
    /// Seed of the generator: the same seed, size and day give the same rows.
    pub seed: u64,
    /// The Sales org URL (`https://org.crm.dynamics.com`) deal links point to; `None`: no links.
    pub org_link_base: Option<String>,
    /// The model-driven app the links open (`appid=`); `None`: the user's default app.
    pub app_id: Option<String>,
    /// How long each summary takes (`--summary-latency-ms`): a generative summary takes
    /// seconds, and the preview and benchmarks should show it.
    pub summary_latency: std::time::Duration,
}

impl EmbeddedOptions {
    pub const DEFAULT_SAMPLE_SIZE: u32 = 300;
    pub const DEFAULT_SEED: u64 = 20_261_122;
}

impl Default for EmbeddedOptions {
    fn default() -> Self {
        EmbeddedOptions {
            sample_size: Self::DEFAULT_SAMPLE_SIZE,
            today: None,
            seed: Self::DEFAULT_SEED,
            org_link_base: None,
            app_id: None,
            summary_latency: std::time::Duration::ZERO,
        }
    }
}

/// Why the store could not be opened or read.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot create the folder of the embedded Sales store {path}: {source}")]
    Folder {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot open the embedded Sales store {path}: {source}")]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error(
        "{path} is not a dealpane store (or was written by another version, schema {found}, \
         expected {expected}); delete it to have it generated again, or choose another path"
    )]
    Foreign {
        path: PathBuf,
        found: i64,
        expected: i64,
    },
    #[error("the embedded Sales store failed: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("the embedded Sales store stopped unexpectedly: {0}")]
    Worker(String),
}

impl From<StoreError> for SourceError {
    fn from(error: StoreError) -> Self {
        SourceError::Upstream(error.to_string())
    }
}

/// What a store knows about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreInfo {
    /// The day the store was generated: "today" of all its dates.
    pub created_on: NaiveDate,
    /// True when this `open` generated it (false: an existing file was reused).
    pub generated_now: bool,
}

/// The embedded Sales source. Cheap to share behind an `Arc`.
pub struct EmbeddedStore {
    pool: Arc<Pool>,
    /// The one connection that writes (notes and leads, issue 12); SQLite has one writer.
    writer: Arc<Mutex<Connection>>,
    link: LinkTarget,
    info: StoreInfo,
    /// Counted once at open: the readers cannot write, so the counts stay true.
    stats: SourceStats,
    /// The organization's base currency, read once at open.
    base_currency: Option<String>,
    summary_latency: std::time::Duration,
}

impl EmbeddedStore {
    /// Opens the store at `path`, creating and filling it first when the file is absent or
    /// empty. Blocking (generation takes a moment): call it before serving, or inside
    /// `spawn_blocking`. Safe against a second process opening the same new file at once: one
    /// generates, the other waits and reuses.
    pub fn open(path: &Path, options: EmbeddedOptions) -> Result<EmbeddedStore, StoreError> {
        if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder).map_err(|source| StoreError::Folder {
                path: folder.to_owned(),
                source,
            })?;
        }
        let open_error = |source| StoreError::Open {
            path: path.to_owned(),
            source,
        };
        let mut writer = Connection::open(path).map_err(open_error)?;
        writer.busy_timeout(Duration::from_secs(30))?;
        writer
            .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get::<_, String>(0))
            .map_err(open_error)?;
        writer.pragma_update(None, "synchronous", "NORMAL")?;
        let info = ensure_filled(&mut writer, path, &options)?;
        let stats = queries::stats(&writer)?;
        let base_currency = queries::base_currency(&writer)?;

        let size = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2)
            .clamp(2, 16);
        let mut readers = Vec::with_capacity(size);
        for _ in 0..size {
            readers.push(reader(path).map_err(open_error)?);
        }
        tracing::info!(
            path = %path.display(),
            created_on = %info.created_on,
            generated_now = info.generated_now,
            connections = size,
            "embedded Sales store ready"
        );
        let summary_latency = options.summary_latency;
        Ok(EmbeddedStore {
            writer: Arc::new(Mutex::new(writer)),
            summary_latency,
            pool: Arc::new(Pool {
                idle: Mutex::new(readers),
                permits: Arc::new(Semaphore::new(size)),
            }),
            link: LinkTarget {
                org_url: options.org_link_base.filter(|url| !url.trim().is_empty()),
                app_id: options.app_id,
            },
            info,
            stats,
            base_currency,
        })
    }

    pub fn info(&self) -> &StoreInfo {
        &self.info
    }

    /// The stored summary of a deal and when it was generated, if it has one.
    pub async fn stored_summary(&self, deal_id: Guid) -> Result<Option<StoredSummary>, StoreError> {
        self.pool
            .run(move |conn| queries::deal_summary(conn, deal_id))
            .await
    }
}

/// Creates the schema and generates the data unless the file already holds a store.
fn ensure_filled(
    writer: &mut Connection,
    path: &Path,
    options: &EmbeddedOptions,
) -> Result<StoreInfo, StoreError> {
    // IMMEDIATE takes the write lock first, so a concurrent opener waits here and then finds
    // the store filled instead of generating it twice.
    let tx = writer.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut version: i64 = tx.pragma_query_value(None, "user_version", |row| row.get(0))?;
    let tables: i64 = tx.query_row("SELECT count(*) FROM sqlite_master", [], |row| row.get(0))?;
    let foreign = |found| StoreError::Foreign {
        path: path.to_owned(),
        found,
        expected: schema::SCHEMA_VERSION,
    };
    if version == 3 && has_store_meta(&tx)? {
        // Version 4 added the Sales users (`access`); a version 3 store keeps the notes and
        // leads agents wrote and gains the users.
        access::create(&tx)?;
        tx.pragma_update(None, "user_version", schema::SCHEMA_VERSION)?;
        tracing::info!(path = %path.display(), "added the Sales users to the embedded store");
        version = schema::SCHEMA_VERSION;
    }
    if version == schema::SCHEMA_VERSION {
        let created: Option<String> = tx
            .query_row(
                "SELECT value FROM store_meta WHERE key = ?1",
                [schema::meta::CREATED_ON],
                |row| row.get(0),
            )
            .optional()?;
        let created_on = created
            .and_then(|text| text.parse::<NaiveDate>().ok())
            .ok_or_else(|| foreign(version))?;
        tx.commit()?;
        if options.today.is_some_and(|today| today != created_on) {
            tracing::info!(%created_on, "the existing store keeps the dates it was generated with");
        }
        return Ok(StoreInfo {
            created_on,
            generated_now: false,
        });
    }
    let (version, tables) =
        if (1..schema::SCHEMA_VERSION).contains(&version) && has_store_meta(&tx)? {
            // A store older than version 3 holds only generated rows (nothing was written to
            // it), so it is generated again rather than refused: upgrading keeps working. From
            // version 3 on it holds notes and leads agents wrote: a later version must migrate.
            drop_all_tables(&tx)?;
            tracing::info!(
                path = %path.display(),
                found = version,
                expected = schema::SCHEMA_VERSION,
                "the embedded Sales store was written by an older version; generating it again"
            );
            (0, 0)
        } else {
            (version, tables)
        };
    if version != 0 || tables != 0 {
        return Err(foreign(version));
    }

    let today = options
        .today
        .unwrap_or_else(|| chrono::Utc::now().date_naive());
    let started = std::time::Instant::now();
    tx.execute_batch(schema::CREATE)?;
    access::create(&tx)?;
    generator::generate(&tx, Clock { today }, options.seed, options.sample_size)?;
    let mut meta = tx.prepare("INSERT INTO store_meta (key, value) VALUES (?1, ?2)")?;
    for (key, value) in [
        (schema::meta::CREATED_ON, today.to_string()),
        (schema::meta::SEED, options.seed.to_string()),
        (schema::meta::SAMPLE_SIZE, options.sample_size.to_string()),
    ] {
        meta.execute([key, value.as_str()])?;
    }
    drop(meta);
    tx.pragma_update(None, "user_version", schema::SCHEMA_VERSION)?;
    tx.commit()?;
    tracing::info!(
        path = %path.display(),
        customers = options.sample_size,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "generated the embedded Sales store"
    );
    Ok(StoreInfo {
        created_on: today,
        generated_now: true,
    })
}

fn has_store_meta(tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<bool> {
    tx.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'store_meta'",
        [],
        |row| row.get::<_, i64>(0),
    )
    .map(|found| found == 1)
}

fn drop_all_tables(tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<()> {
    let names: Vec<String> = tx
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")?
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for name in names {
        tx.execute_batch(&format!("DROP TABLE \"{}\";", name.replace('"', "\"\"")))?;
    }
    tx.pragma_update(None, "user_version", 0)
}

fn reader(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(Duration::from_secs(5))?;
    // Read-write open (so WAL's shared memory always works) but refusing writes.
    conn.pragma_update(None, "query_only", true)?;
    Ok(conn)
}

/// Idle connections, and one permit per connection: waiting for a connection is async, the
/// query itself runs on a blocking thread.
struct Pool {
    idle: Mutex<Vec<Connection>>,
    permits: Arc<Semaphore>,
}

/// A connection out of the pool; back in on drop, even when the query panicked or the request
/// that wanted it was cancelled.
struct Lease {
    pool: Arc<Pool>,
    conn: Option<Connection>,
    _permit: OwnedSemaphorePermit,
}

impl Drop for Lease {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            self.pool
                .idle
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(conn);
        }
    }
}

impl Pool {
    async fn run<T, F>(self: &Arc<Self>, query: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    {
        let permit = Arc::clone(&self.permits)
            .acquire_owned()
            .await
            .map_err(|error| StoreError::Worker(error.to_string()))?;
        let conn = self
            .idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop()
            .ok_or_else(|| StoreError::Worker("no idle connection despite a permit".into()))?;
        let lease = Lease {
            pool: Arc::clone(self),
            conn: Some(conn),
            _permit: permit,
        };
        tokio::task::spawn_blocking(move || {
            let conn = lease.conn.as_ref().expect("a lease holds its connection");
            query(conn)
        })
        .await
        .map_err(|error| StoreError::Worker(error.to_string()))?
        .map_err(StoreError::from)
    }
}

#[async_trait]
impl SalesSource for EmbeddedStore {
    fn name(&self) -> &'static str {
        "embedded"
    }

    async fn customer_by_id(
        &self,
        id: Guid,
        kind: Option<CustomerType>,
    ) -> Result<Option<CustomerRecord>, SourceError> {
        self.read(move |conn, _| queries::customer_by_id(conn, id, kind))
            .await
    }

    async fn customer_by_name(
        &self,
        name: &str,
        kind: Option<CustomerType>,
    ) -> Result<Option<CustomerRecord>, SourceError> {
        let name = name.to_owned();
        self.read(move |conn, _| queries::customer_by_name(conn, &name, kind))
            .await
    }

    async fn open_deals(
        &self,
        customer: &CustomerRecord,
        top: u8,
    ) -> Result<Vec<Deal>, SourceError> {
        let (id, link, base) = (customer.id, self.link.clone(), self.base_currency.clone());
        self.read(move |conn, sees| {
            queries::open_deals(conn, id, sees.owner(), top, &link, base.as_deref())
        })
        .await
    }

    async fn deal_summary(&self, deal_id: Guid) -> Result<String, SourceError> {
        let (visible, latest) = self
            .read(move |conn, sees| {
                Ok((
                    access::visible(conn, deal_id, sees)?,
                    writes::latest_note(conn, deal_id)?,
                ))
            })
            .await?;
        if !visible {
            return Err(SourceError::Upstream(format!(
                "opportunity {deal_id} does not exist or the caller cannot read it"
            )));
        }
        let with_note = |text: String| match &latest {
            Some((subject, owner, created_on)) => {
                let note = summarizer::shared_note(subject, owner.as_deref(), created_on);
                format!("{text}\n\n{note}")
            }
            None => text,
        };
        tokio::time::sleep(self.summary_latency).await;
        match self.stored_summary(deal_id).await? {
            Some(summary) => Ok(with_note(summary.text)),
            None => Err(SourceError::Upstream(format!(
                "no summary is stored for deal {deal_id}"
            ))),
        }
    }

    async fn search_customers(
        &self,
        prefix: &str,
        top: u8,
    ) -> Result<Vec<CustomerRef>, SourceError> {
        let prefix = prefix.to_owned();
        self.read(move |conn, sees| queries::search_customers(conn, &prefix, sees.owner(), top))
            .await
    }

    async fn base_currency(&self) -> Option<String> {
        self.base_currency.clone()
    }

    fn writer(&self) -> Option<&dyn SalesWriter> {
        Some(self)
    }

    /// Health calls this on every probe: a trivial query proves a connection still answers,
    /// the counts come from open.
    async fn stats(&self) -> Result<SourceStats, SourceError> {
        self.pool.run(queries::probe).await?;
        Ok(self.stats.clone())
    }
}

impl EmbeddedStore {
    /// Runs `query` on a reader as the current caller ([`access`]): an agent Sales refuses gets
    /// [`SourceError::NoAccess`], the others' queries see what their role lets them see.
    async fn read<T, F>(&self, query: F) -> Result<T, SourceError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection, &Sees) -> rusqlite::Result<T> + Send + 'static,
    {
        let caller = crate::auth::acting_for();
        self.pool
            .run(move |conn| match access::sees(conn, caller.as_deref())? {
                Ok(sees) => query(conn, &sees).map(Ok),
                Err(refusal) => Ok(Err(refusal)),
            })
            .await?
            .map_err(SourceError::NoAccess)
    }

    /// Runs `write` on the writer connection, off the async runtime.
    async fn write<T, F>(&self, write: F) -> Result<T, WriteError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, WriteError> + Send + 'static,
    {
        let writer = Arc::clone(&self.writer);
        tokio::task::spawn_blocking(move || {
            let conn = writer.lock().unwrap_or_else(PoisonError::into_inner);
            write(&conn)
        })
        .await
        .map_err(|error| WriteError::Source(StoreError::Worker(error.to_string()).into()))?
    }
}

#[async_trait]
impl SalesWriter for EmbeddedStore {
    async fn create_task(&self, task: &NewTask) -> Result<CreatedTask, WriteError> {
        let (task, caller) = (task.clone(), crate::auth::acting_for());
        self.write(move |conn| {
            let sees = sees_for_write(conn, caller.as_deref())?;
            writes::create_task(conn, &task, &sees)
        })
        .await
    }

    async fn dealpane_tasks(&self, deal_id: Guid, top: usize) -> Result<Vec<TaskRow>, WriteError> {
        let caller = crate::auth::acting_for();
        self.pool
            .run(move |conn| {
                Ok(sees_for_write(conn, caller.as_deref())
                    .and_then(|sees| writes::dealpane_tasks(conn, deal_id, &sees, top)))
            })
            .await
            .map_err(|error| WriteError::Source(error.into()))?
    }

    async fn create_lead(&self, lead: &NewLead) -> Result<Guid, WriteError> {
        let (lead, caller) = (lead.clone(), crate::auth::acting_for());
        self.write(move |conn| {
            sees_for_write(conn, caller.as_deref())?;
            writes::create_lead(conn, &lead)
        })
        .await
    }
}

/// [`access::sees`] for a write: a refused agent is [`SourceError::NoAccess`].
fn sees_for_write(conn: &Connection, caller: Option<&str>) -> Result<Sees, WriteError> {
    access::sees(conn, caller)
        .map_err(|error| WriteError::Source(StoreError::from(error).into()))?
        .map_err(|refusal| WriteError::Source(SourceError::NoAccess(refusal)))
}
