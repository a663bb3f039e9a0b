//! Starting the service: connect, migrate, load the dataset, serve until told to stop.
//!
//! Several `nkhr serve` processes may start at once against one PostgreSQL database; the
//! set-up (migrations and the dataset sync) runs under an advisory lock, so exactly one of
//! them does it and the others find it done.

use std::{net::SocketAddr, time::Instant};

use anyhow::Context;
use sea_orm::{DatabaseBackend, DatabaseConnection};

use crate::{
    dataset::{self, DatasetFiles},
    graphql::{self, Limits},
    http::{self, AppState, HttpSettings},
    store::{self, DatabaseSettings, queries, sync::SyncReport},
};

/// Everything `nkhr serve` needs.
#[derive(Clone)]
pub struct ServeOptions {
    pub bind: SocketAddr,
    pub database: DatabaseSettings,
    pub files: DatasetFiles,
    pub limits: Limits,
    pub http: HttpSettings,
}

/// What preparing the database did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prepared {
    /// The database already held this dataset; nothing was loaded.
    UpToDate { version: i32 },
    /// The dataset was synced into the database.
    Synced(SyncReport),
}

/// A key no other application is likely to use for a PostgreSQL advisory lock: "nkhr" in ASCII.
const SETUP_LOCK: i64 = 0x6e6b_6872;

/// Migrates the database and syncs the dataset into it, unless it already holds this
/// version of the dataset. On PostgreSQL this runs under an advisory lock.
pub async fn prepare(db: &DatabaseConnection, files: &DatasetFiles) -> anyhow::Result<Prepared> {
    if db.get_database_backend() != DatabaseBackend::Postgres {
        return prepare_unlocked(db, files).await;
    }
    let pool = db.get_postgres_connection_pool();
    let mut lock = pool
        .acquire()
        .await
        .context("taking a connection for the set-up lock")?;
    sea_orm::sqlx::query("SELECT pg_advisory_lock($1)")
        .bind(SETUP_LOCK)
        .execute(&mut *lock)
        .await
        .context("waiting for the set-up lock")?;
    let result = prepare_unlocked(db, files).await;
    sea_orm::sqlx::query("SELECT pg_advisory_unlock($1)")
        .bind(SETUP_LOCK)
        .execute(&mut *lock)
        .await
        .context("releasing the set-up lock")?;
    result
}

async fn prepare_unlocked(
    db: &DatabaseConnection,
    files: &DatasetFiles,
) -> anyhow::Result<Prepared> {
    store::migrate(db).await?;
    let digest = files.digest();
    if let Some(latest) = queries::latest_version(db)
        .await
        .context("reading the dataset version")?
        && latest.digest == digest
        && store::history::started(db)
            .await
            .context("reading the record identities")?
    {
        store::search::ensure_fresh(db)
            .await
            .context("bringing the search index up to date")?;
        return Ok(Prepared::UpToDate { version: latest.id });
    }
    let dataset = dataset::load(files)?;
    Ok(Prepared::Synced(store::sync::sync(db, &dataset).await?))
}

/// The service's state, ready to route.
pub fn state(db: DatabaseConnection, limits: &Limits, http: HttpSettings) -> AppState {
    let schema = graphql::build_with(Some(db.clone()), limits, http.public_url.clone());
    AppState::new(graphql::Executor::new(schema, db.clone(), limits), db, http)
}

/// Runs the service until Ctrl-C or SIGTERM, then finishes the requests in flight.
pub async fn serve(options: ServeOptions) -> anyhow::Result<()> {
    let started = Instant::now();
    let db = store::connect(&options.database).await?;
    match prepare(&db, &options.files).await? {
        Prepared::UpToDate { version } => {
            tracing::info!(version, "the database already holds this dataset")
        }
        Prepared::Synced(report) => tracing::info!(
            version = report.version,
            inserted = report.inserted,
            updated = report.updated,
            deleted = report.deleted,
            "synced the dataset into the database"
        ),
    }
    let connections = options.http.connections;
    let app = http::router(state(db.clone(), &options.limits, options.http));
    let listener = tokio::net::TcpListener::bind(options.bind)
        .await
        .with_context(|| format!("listening on {}", options.bind))?;
    let address = listener
        .local_addr()
        .context("reading the address listened on")?;
    tracing::info!(
        %address,
        database = %store::redact(&options.database.url),
        ready_in_ms = started.elapsed().as_millis() as u64,
        "serving GraphQL at http://{address}/graphql and GraphiQL at http://{address}/"
    );
    http::listen::serve(listener, app, connections, shutdown_signal()).await;
    db.close()
        .await
        .context("closing the database connections")?;
    tracing::info!("stopped");
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing the requests in flight");
}
