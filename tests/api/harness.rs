//! One harness for every API test: a freshly migrated database of its own, seeded with the
//! built-in dataset, and the service's router, driven in-process with `oneshot`.
//!
//! Every test written with [`api_test!`] runs twice: on SQLite (a file in a temporary
//! folder) and on PostgreSQL (a database created for the test on the server that
//! `NKHR_TEST_DATABASE_URL` names). Without that variable the PostgreSQL half is skipped
//! locally, and fails under CI (`CI` set), so that CI can never pass without PostgreSQL.

use std::{
    collections::BTreeSet,
    sync::{
        Arc, OnceLock,
        atomic::{AtomicUsize, Ordering},
    },
};

use axum::{
    Router,
    body::Body,
    http::{Request, Response, StatusCode, header},
};
use nkhr::{
    dataset::{self, DatasetFiles},
    graphql::{Limits, rate_limit::RateLimitSettings},
    http::HttpSettings,
    server,
    store::{self, DatabaseSettings},
};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use serde_json::{Value, json};
use tower::ServiceExt;

/// The hourly budget of the anonymous caller in tests that are not about rate limits.
pub const TEST_POINTS_PER_HOUR: u64 = 10_000_000;

/// The bearer token of `/metrics` in tests.
pub const TEST_METRICS_TOKEN: &str = "test-metrics-token";

/// The environment variable naming the PostgreSQL server tests create databases on.
pub const POSTGRES_URL_VAR: &str = "NKHR_TEST_DATABASE_URL";

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A database of a test's own, dropped when the test ends.
pub struct TestDatabase {
    pub url: String,
    _folder: Option<tempfile::TempDir>,
    postgres: Option<(String, String)>,
}

fn unique_name() -> String {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    format!(
        "nkhr_test_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst),
        nanos
    )
}

/// The URL of the PostgreSQL server for tests, or `None` when tests should skip it.
pub fn postgres_server() -> Option<String> {
    match std::env::var(POSTGRES_URL_VAR) {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var("CI").is_ok_and(|ci| !ci.is_empty() && ci != "false") => {
            panic!("CI must run every API test on PostgreSQL too: set {POSTGRES_URL_VAR}")
        }
        _ => None,
    }
}

/// `url` with its database name replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    let mut result = format!("{}/{}", &base[..path_start], name);
    if let Some(query) = query {
        result.push('?');
        result.push_str(query);
    }
    result
}

impl TestDatabase {
    /// A new, empty database on `backend`; `None` when PostgreSQL is not configured.
    pub async fn create(backend: Backend) -> Option<Self> {
        match backend {
            Backend::Sqlite => {
                let folder = tempfile::tempdir().expect("a temporary folder for the SQLite file");
                let url = format!(
                    "sqlite://{}?mode=rwc",
                    folder.path().join("test.sqlite3").display()
                );
                Some(Self {
                    url,
                    _folder: Some(folder),
                    postgres: None,
                })
            }
            Backend::Postgres => {
                let server = postgres_server()?;
                let name = unique_name();
                let admin = Database::connect(&server).await.unwrap_or_else(|error| {
                    panic!("PostgreSQL at {server} is unreachable: {error}")
                });
                admin
                    .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                    .await
                    .expect("creating the test database");
                admin.close().await.ok();
                Some(Self {
                    url: with_database(&server, &name),
                    _folder: None,
                    postgres: Some((server, name)),
                })
            }
        }
    }

    /// The backend the database runs on.
    pub fn backend(&self) -> Backend {
        if self.postgres.is_some() {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }

    /// A connection pool to the database.
    pub async fn connect(&self) -> DatabaseConnection {
        store::connect(&DatabaseSettings::new(self.url.clone()))
            .await
            .expect("connecting to the test database")
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Some((server, name)) = self.postgres.take() else {
            return;
        };
        // Dropping runs outside any async context, so it gets a small runtime of its own.
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            runtime.block_on(async {
                let admin = Database::connect(&server).await.ok()?;
                admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                    .await
                    .ok()?;
                admin.close().await.ok()
            })
        })
        .join();
    }
}

/// A running service over a seeded database of its own.
pub struct TestApp {
    pub router: Router,
    pub db: DatabaseConnection,
    pub backend: Backend,
    pub statements: Arc<AtomicUsize>,
    /// The SQL of the statements run since the counter was last reset.
    sql: Arc<std::sync::Mutex<Vec<String>>>,
    /// Kept so the database lives as long as the app.
    _database: TestDatabase,
}

impl TestApp {
    /// The service over the built-in dataset, with the default settings but for a budget
    /// large enough that only the tests about rate limits meet it; `None` when PostgreSQL is
    /// not configured.
    pub async fn spawn(backend: Backend) -> Option<Self> {
        Self::spawn_over(backend, &DatasetFiles::embedded()).await
    }

    /// The service over `files`, with the settings [`TestApp::spawn`] uses.
    pub async fn spawn_over(backend: Backend, files: &DatasetFiles) -> Option<Self> {
        let http = HttpSettings {
            rate_limits: RateLimitSettings {
                anonymous_points: TEST_POINTS_PER_HOUR,
                ..RateLimitSettings::default()
            },
            metrics_token: Some(TEST_METRICS_TOKEN.to_owned()),
            // Off, so that a test that imports new files sees their version at once, not
            // when the version is next read; the tests of the cache turn it on.
            response_cache_bytes: 0,
            ..HttpSettings::default()
        };
        Self::spawn_with(backend, files, Limits::default(), http).await
    }

    /// The service over `files`, with `limits` and `http` settings.
    pub async fn spawn_with(
        backend: Backend,
        files: &DatasetFiles,
        limits: Limits,
        http: HttpSettings,
    ) -> Option<Self> {
        let database = TestDatabase::create(backend).await?;
        let mut db = database.connect().await;
        server::prepare(&db, files)
            .await
            .expect("migrating and seeding the test database");
        let statements = Arc::new(AtomicUsize::new(0));
        let counter = statements.clone();
        let sql = Arc::new(std::sync::Mutex::new(Vec::new()));
        let recorded = sql.clone();
        db.set_metric_callback(move |info| {
            counter.fetch_add(1, Ordering::SeqCst);
            recorded
                .lock()
                .expect("the SQL log")
                .push(info.statement.sql.clone());
            if std::env::var("NKHR_TEST_PRINT_SQL").is_ok() {
                eprintln!(
                    "SQL: {}",
                    info.statement.sql.chars().take(150).collect::<String>()
                );
            }
        });
        let router = nkhr::http::router(server::state(db.clone(), &limits, http));
        Some(Self {
            router,
            db,
            backend,
            statements,
            sql,
            _database: database,
        })
    }

    /// The URL of the app's database, for a second service over the same data.
    pub fn database_url(&self) -> &str {
        &self._database.url
    }

    /// Sends a request through the whole service.
    pub async fn request(&self, request: Request<Body>) -> Response<Body> {
        self.router
            .clone()
            .oneshot(request)
            .await
            .expect("the router always answers")
    }

    /// Posts a GraphQL document and returns the status and the JSON answer.
    pub async fn post_graphql(&self, query: &str, variables: Value) -> (StatusCode, Value) {
        let body = json!({ "query": query, "variables": variables });
        let request = Request::post("/graphql")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT, "application/graphql-response+json")
            .body(Body::from(body.to_string()))
            .expect("a valid request");
        let response = self.request(request).await;
        let status = response.status();
        (status, body_json(response).await)
    }

    /// Runs a GraphQL document that must succeed, and returns its `data`.
    pub async fn query(&self, query: &str, variables: Value) -> Value {
        let (status, body) = self.post_graphql(query, variables).await;
        assert_eq!(
            status,
            StatusCode::OK,
            "unexpected status; answer: {body:#}"
        );
        assert!(body.get("errors").is_none(), "unexpected errors: {body:#}");
        body["data"].clone()
    }

    /// Runs a GraphQL document that must fail, and returns its first error's code.
    pub async fn error_code(&self, query: &str, variables: Value) -> String {
        let (_, body) = self.post_graphql(query, variables).await;
        body["errors"][0]["extensions"]["code"]
            .as_str()
            .unwrap_or_else(|| panic!("no error code in {body:#}"))
            .to_owned()
    }

    /// How many SQL statements `query` runs.
    pub async fn count_statements(&self, query: &str, variables: Value) -> usize {
        self.statements.store(0, Ordering::SeqCst);
        self.query(query, variables).await;
        self.statements.load(Ordering::SeqCst)
    }

    /// The SQL of the statements `query` runs, in the order they ran.
    pub async fn statements_of(&self, query: &str, variables: Value) -> Vec<String> {
        self.sql.lock().expect("the SQL log").clear();
        self.query(query, variables).await;
        std::mem::take(&mut *self.sql.lock().expect("the SQL log"))
    }
}

/// Counts the rows of `table`.
pub async fn count_rows(db: &DatabaseConnection, table: &str) -> i64 {
    count_where(db, table, "TRUE").await
}

/// Counts the rows of `table` that meet the SQL `condition`.
pub async fn count_where(db: &DatabaseConnection, table: &str, condition: &str) -> i64 {
    let statement = Statement::from_string(
        db.get_database_backend(),
        format!("SELECT COUNT(*) AS n FROM {table} WHERE {condition}"),
    );
    let row = db
        .query_one_raw(statement)
        .await
        .expect("counting rows")
        .expect("a count");
    row.try_get::<i64>("", "n").expect("a number")
}

/// The body of a response, as JSON. Every error in it must carry a code the schema's
/// `ErrorCode` enum lists, so each error path a test reaches is checked against the one list.
pub async fn body_json(response: Response<Body>) -> Value {
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("reading the body");
    let body: Value = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| panic!("the body is not JSON: {}", String::from_utf8_lossy(&bytes)));
    assert_error_codes_are_listed(&body);
    body
}

/// The values of the `ErrorCode` enum, read from the SDL clients see.
pub fn listed_error_codes() -> &'static BTreeSet<String> {
    static CODES: OnceLock<BTreeSet<String>> = OnceLock::new();
    CODES.get_or_init(|| {
        let sdl = nkhr::graphql::sdl();
        let start = sdl
            .find("enum ErrorCode {")
            .expect("the SDL has an ErrorCode enum");
        let body = &sdl[start..];
        let body = &body[..body.find('}').expect("the enum is closed")];
        // The enum's descriptions are between triple quotes; its values are the bare lines.
        body.split("\"\"\"")
            .step_by(2)
            .flat_map(str::lines)
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with("enum"))
            .map(str::to_owned)
            .collect()
    })
}

/// Checks that every error in a GraphQL-shaped `body` has a code `ErrorCode` lists.
pub fn assert_error_codes_are_listed(body: &Value) {
    let Some(errors) = body.get("errors").and_then(Value::as_array) else {
        return;
    };
    for error in errors {
        let code = error["extensions"]["code"]
            .as_str()
            .unwrap_or_else(|| panic!("an error has no code: {error:#}"));
        assert!(
            listed_error_codes().contains(code),
            "the code {code} is not a value of the ErrorCode enum: {error:#}"
        );
    }
}

/// The body of a response, as text.
pub async fn body_text(response: Response<Body>) -> String {
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("reading the body");
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The tiny dataset the rule and sync tests start from.
pub fn tiny_dataset() -> DatasetFiles {
    DatasetFiles::read_dir(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny"),
    )
    .expect("reading the tiny fixture")
}

/// The tiny dataset with `file` edited by replacing `from` with `to`, which must occur in it.
pub fn tiny_dataset_edited(file: &str, from: &str, to: &str) -> DatasetFiles {
    let files = tiny_dataset();
    let mut edited = Vec::new();
    for (path, bytes) in files.iter() {
        let mut bytes = bytes.to_vec();
        if path == file {
            let text = String::from_utf8(bytes).expect("fixture files are UTF-8");
            assert!(text.contains(from), "{file} does not contain {from:?}");
            bytes = text.replacen(from, to, 1).into_bytes();
        }
        edited.push((path.to_owned(), bytes));
    }
    DatasetFiles::from_files("tests/fixtures/tiny (edited)", edited)
}

/// The tiny dataset with a third text on top (`tests/fixtures/contested`): a rebuttal whose
/// claims dispute the tiny report's fact, mention it in passing, and support a fact of their
/// own.
pub fn contested_dataset() -> DatasetFiles {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/contested");
    let rebuttal = DatasetFiles::read_dir(&root).expect("reading the contested fixture");
    let tiny = tiny_dataset();
    let files: Vec<(String, Vec<u8>)> = tiny
        .iter()
        .chain(rebuttal.iter())
        .map(|(path, bytes)| (path.to_owned(), bytes.to_vec()))
        .collect();
    DatasetFiles::from_files("tests/fixtures/tiny + tests/fixtures/contested", files)
}

/// Loads the built-in dataset, which must be valid.
pub fn real_dataset() -> dataset::Dataset {
    dataset::load(&DatasetFiles::embedded()).expect("the built-in dataset is valid")
}

/// Declares a test that runs on SQLite and on PostgreSQL, each with a fresh seeded app.
macro_rules! api_test {
    ($(#[$meta:meta])* async fn $name:ident($app:ident) $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn run($app: $crate::harness::TestApp) $body

            $(#[$meta])*
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = $crate::harness::TestApp::spawn($crate::harness::Backend::Sqlite).await.expect("SQLite is always available");
                run(app).await;
            }

            $(#[$meta])*
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                match $crate::harness::TestApp::spawn($crate::harness::Backend::Postgres).await {
                    Some(app) => run(app).await,
                    None => eprintln!("skipped on PostgreSQL: {} is not set", $crate::harness::POSTGRES_URL_VAR),
                }
            }
        }
    };
}
pub(crate) use api_test;

/// Declares a test that runs on SQLite and on PostgreSQL, each with a fresh app seeded with
/// the dataset `$files` gives instead of the built-in one.
macro_rules! fixture_test {
    ($files:expr, $(#[$meta:meta])* async fn $name:ident($app:ident) $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn run($app: $crate::harness::TestApp) $body

            $(#[$meta])*
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = $crate::harness::TestApp::spawn_over($crate::harness::Backend::Sqlite, &$files).await.expect("SQLite is always available");
                run(app).await;
            }

            $(#[$meta])*
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                match $crate::harness::TestApp::spawn_over($crate::harness::Backend::Postgres, &$files).await {
                    Some(app) => run(app).await,
                    None => eprintln!("skipped on PostgreSQL: {} is not set", $crate::harness::POSTGRES_URL_VAR),
                }
            }
        }
    };
}
pub(crate) use fixture_test;

/// Declares a test that runs on SQLite and on PostgreSQL, each with a fresh, empty database.
macro_rules! database_test {
    ($(#[$meta:meta])* async fn $name:ident($database:ident) $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn run($database: $crate::harness::TestDatabase) $body

            $(#[$meta])*
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let database = $crate::harness::TestDatabase::create($crate::harness::Backend::Sqlite).await.expect("SQLite is always available");
                run(database).await;
            }

            $(#[$meta])*
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                match $crate::harness::TestDatabase::create($crate::harness::Backend::Postgres).await {
                    Some(database) => run(database).await,
                    None => eprintln!("skipped on PostgreSQL: {} is not set", $crate::harness::POSTGRES_URL_VAR),
                }
            }
        }
    };
}
pub(crate) use database_test;
