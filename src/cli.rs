//! The `nkhr` command line.
//!
//! Every option has a flag and an environment variable, so the same binary is configured
//! by hand on a laptop and by the environment in a container. With no options at all, `nkhr`
//! serves the built-in dataset from a SQLite file in the working directory.

use std::{net::SocketAddr, path::PathBuf, process::ExitCode, time::Duration};

use anyhow::Context;
use axum::http::HeaderValue;
use clap::{Args, Parser, Subcommand};

use crate::{
    dataset::{self, DatasetFiles},
    graphql::rate_limit::RateLimitSettings,
    graphql::{self, Limits},
    http::{DocumentLimits, GraphiqlAssets, HttpSettings, persisted::PersistedQueries},
    server::{self, ServeOptions},
    store::{self, DatabaseSettings},
};

/// A GraphQL API over a source-verified claims dataset on human rights in North Korea.
#[derive(Debug, Parser)]
#[command(name = "nkhr", version, about, long_about = None)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalOptions,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Options every subcommand understands.
#[derive(Debug, Clone, Args)]
pub struct GlobalOptions {
    /// The database: a `sqlite://` file or a `postgres://` server. By default a SQLite file
    /// in the working directory, created on first use.
    #[arg(long, env = "DATABASE_URL", global = true, default_value = store::DEFAULT_DATABASE_URL, value_name = "URL")]
    pub database_url: String,
    /// The most connections to open to the database.
    #[arg(
        long,
        env = "NKHR_DB_MAX_CONNECTIONS",
        global = true,
        default_value_t = 10,
        value_name = "N"
    )]
    pub db_max_connections: u32,
    /// How long one database statement may run, in milliseconds, before PostgreSQL cancels it.
    #[arg(
        long,
        env = "NKHR_DB_STATEMENT_TIMEOUT_MS",
        global = true,
        default_value_t = 5000,
        value_name = "MS"
    )]
    pub db_statement_timeout_ms: u64,
    /// Folder of dataset files to use instead of the dataset built into the binary.
    #[arg(long, env = "NKHR_SEEDS", global = true, value_name = "FOLDER")]
    pub seeds: Option<PathBuf>,
    /// What to log, as a tracing filter: `info`, `debug`, `nkhr=debug,sqlx=warn`…
    #[arg(
        long,
        env = "NKHR_LOG",
        global = true,
        default_value = "info",
        value_name = "FILTER"
    )]
    pub log: String,
    /// How to write logs: `text` for people, `json` for log collectors.
    #[arg(
        long,
        env = "NKHR_LOG_FORMAT",
        global = true,
        default_value = "text",
        value_enum
    )]
    pub log_format: LogFormat,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

/// What `nkhr` does; `serve` when no command is given.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate the database, load the dataset if it changed, and serve the API (the default).
    Serve(Box<ServeArgs>),
    /// Apply the database migrations, and nothing else.
    Migrate,
    /// Import the dataset files: write a revision for every record that differs, retract what the files no longer hold.
    Seed,
    /// Print the GraphQL schema (SDL), without a database.
    Schema,
    /// Issue, list and revoke API keys.
    #[command(subcommand, name = "api-key")]
    ApiKey(ApiKeyCommand),
    /// Check the dataset files against every rule, without a database.
    Check,
    /// Export the dataset: CSV per entity kind, claims, sources or relations, or the whole
    /// dataset as NDJSON. Loads the dataset into the database first if it changed.
    Export(ExportArgs),
    /// Report, per source, how many asserting sentences the claims cover.
    Coverage {
        /// List every uncovered sentence.
        #[arg(long)]
        verbose: bool,
    },
}

/// What to do with API keys.
#[derive(Debug, Subcommand)]
pub enum ApiKeyCommand {
    /// Issue a key and print it; it is shown this once and stored only as a hash.
    Create {
        /// Who the key is for.
        #[arg(long)]
        name: String,
        /// The key's query-cost budget per hour, instead of the default for keys.
        #[arg(long, value_name = "POINTS")]
        points_per_hour: Option<i64>,
    },
    /// List the keys (never their secrets).
    List,
    /// Revoke a key: requests presenting it are refused from now on.
    Revoke {
        /// The key's number, as `list` prints it.
        id: i32,
    },
}

/// Options of `nkhr export`.
#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// What to export.
    #[arg(value_enum)]
    pub kind: crate::export::ExportKind,
    /// How to write it: CSV or JSON for a kind of record, NDJSON for the whole dataset
    /// (the default of each).
    #[arg(long, value_enum)]
    pub format: Option<crate::export::ExportFormat>,
    /// Start a CSV with a byte order mark, so that Excel reads it as UTF-8.
    #[arg(long)]
    pub bom: bool,
    /// The file to write; standard output when omitted.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The base URL the permalinks in the export start with.
    #[arg(long, env = "NKHR_PUBLIC_URL", default_value = crate::citation::DEFAULT_PUBLIC_URL, value_name = "URL")]
    pub public_url: String,
}

/// Options of `nkhr serve`.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// The address to listen on.
    #[arg(
        long,
        env = "NKHR_BIND",
        default_value = "127.0.0.1:8080",
        value_name = "ADDRESS"
    )]
    pub bind: SocketAddr,
    /// The largest request body accepted, in bytes.
    #[arg(long, env = "NKHR_BODY_LIMIT", default_value_t = crate::http::DEFAULT_BODY_LIMIT, value_name = "BYTES")]
    pub body_limit: usize,
    /// The largest GraphQL answer sent, in bytes: a larger one is refused with
    /// `RESPONSE_TOO_LARGE`.
    #[arg(long, env = "NKHR_MAX_RESPONSE_BYTES", default_value_t = crate::http::DEFAULT_MAX_RESPONSE_BYTES, value_name = "BYTES")]
    pub max_response_bytes: usize,
    /// How many connections may be open at once; one past that gets `503` and is closed.
    #[arg(long, env = "NKHR_MAX_CONNECTIONS", default_value_t = crate::http::listen::ConnectionLimits::default().max_connections, value_name = "N")]
    pub max_connections: usize,
    /// How many connections may be open at once from one address (an IPv6 /64 counts as one);
    /// one past that gets `503` and is closed. No bound of its own with `--trust-forwarded-for`,
    /// where every connection comes from the proxy.
    #[arg(long, env = "NKHR_MAX_CONNECTIONS_PER_ADDRESS", default_value_t = crate::http::listen::ConnectionLimits::default().max_connections_per_address, value_name = "N")]
    pub max_connections_per_address: usize,
    /// How many requests may be served at once; one past that gets `503` with `Retry-After`.
    #[arg(long, env = "NKHR_MAX_IN_FLIGHT", default_value_t = crate::http::listen::ConnectionLimits::default().max_in_flight, value_name = "N")]
    pub max_in_flight: usize,
    /// How many subscriptions the server holds at once, over every WebSocket connection.
    #[arg(long, env = "NKHR_MAX_SUBSCRIPTIONS", default_value_t = crate::http::subscriptions::SubscriptionLimits::default().total, value_name = "N")]
    pub max_subscriptions: usize,
    /// How many bytes of answers to keep in memory, by dataset version, to answer the same
    /// request again without running it; 0 keeps none.
    #[arg(long, env = "NKHR_RESPONSE_CACHE_BYTES", default_value_t = crate::http::response_cache::DEFAULT_BUDGET_BYTES, value_name = "BYTES")]
    pub response_cache_bytes: usize,
    /// How many subscriptions one WebSocket connection may hold at once.
    #[arg(long, env = "NKHR_MAX_SUBSCRIPTIONS_PER_CONNECTION", default_value_t = crate::http::subscriptions::SubscriptionLimits::default().per_connection, value_name = "N")]
    pub max_subscriptions_per_connection: usize,
    /// How long a client may take to send a request's headers, in milliseconds; also how long
    /// an idle keep-alive connection stays open.
    #[arg(long, env = "NKHR_HEADER_TIMEOUT_MS", default_value_t = crate::http::listen::ConnectionLimits::default().header_timeout.as_millis() as u64, value_name = "MS")]
    pub header_timeout_ms: u64,
    /// How long a client may take to send a request's whole body, from its first byte to its
    /// last, in milliseconds; past that the request gets `408` `BODY_TIMEOUT`.
    #[arg(long, env = "NKHR_BODY_TIMEOUT_MS", default_value_t = crate::http::listen::ConnectionLimits::default().body_timeout.as_millis() as u64, value_name = "MS")]
    pub body_timeout_ms: u64,
    /// Where GraphiQL's scripts come from: `embedded` (from the binary, works offline), `cdn`
    /// (unpkg, integrity-checked), or the path of an npm `node_modules` folder
    /// (`npm install graphiql@3.8.3 react@18.3.1 react-dom@18.3.1` fills one).
    #[arg(
        long,
        env = "NKHR_GRAPHIQL_ASSETS",
        default_value = "embedded",
        value_name = "embedded|cdn|FOLDER"
    )]
    pub graphiql_assets: String,
    /// Origins browsers may call the API from, separated by commas; any origin when unset.
    #[arg(
        long,
        env = "NKHR_CORS_ORIGINS",
        value_delimiter = ',',
        value_name = "ORIGINS"
    )]
    pub cors_origins: Option<Vec<String>>,
    /// The base URL readers reach the service at; citations' permalinks start with it.
    /// Without it, `http://` and the address `--bind` names.
    #[arg(long, env = "NKHR_PUBLIC_URL", value_name = "URL")]
    pub public_url: Option<String>,
    /// How deeply a query's selections may nest.
    #[arg(long, env = "NKHR_MAX_DEPTH", default_value_t = Limits::default().depth, value_name = "N")]
    pub max_depth: usize,
    /// How deeply introspection may nest, counted from `__schema` or `__type`.
    #[arg(long, env = "NKHR_MAX_INTROSPECTION_DEPTH", default_value_t = Limits::default().introspection_depth, value_name = "N")]
    pub max_introspection_depth: usize,
    /// How many selections a query may have once its fragment spreads are expanded.
    #[arg(long, env = "NKHR_MAX_SELECTIONS", default_value_t = Limits::default().selections, value_name = "N")]
    pub max_selections: u64,
    /// How much a query may cost: one per field, times the page size for lists.
    #[arg(long, env = "NKHR_MAX_COMPLEXITY", default_value_t = Limits::default().complexity, value_name = "N")]
    pub max_complexity: usize,
    /// Turn off schema introspection (GraphiQL and code generators need it on).
    #[arg(long, env = "NKHR_NO_INTROSPECTION")]
    pub no_introspection: bool,
    /// The most bytes a GraphQL document may have.
    #[arg(long, env = "NKHR_MAX_DOCUMENT_BYTES", default_value_t = DocumentLimits::default().max_bytes, value_name = "BYTES")]
    pub max_document_bytes: usize,
    /// The most lexical tokens a GraphQL document may have.
    #[arg(long, env = "NKHR_MAX_TOKENS", default_value_t = DocumentLimits::default().max_tokens, value_name = "N")]
    pub max_tokens: usize,
    /// How deeply `{`, `[` and `(` may nest in a GraphQL document.
    #[arg(long, env = "NKHR_MAX_NESTING", default_value_t = DocumentLimits::default().max_nesting, value_name = "N")]
    pub max_nesting: usize,
    /// The most aliased fields a GraphQL document may have.
    #[arg(long, env = "NKHR_MAX_ALIASES", default_value_t = DocumentLimits::default().max_aliases, value_name = "N")]
    pub max_aliases: usize,
    /// The most directives a GraphQL document may have.
    #[arg(long, env = "NKHR_MAX_DIRECTIVES", default_value_t = DocumentLimits::default().max_directives, value_name = "N")]
    pub max_directives: usize,
    /// How long a request may run, in milliseconds, before it is cancelled.
    #[arg(long, env = "NKHR_REQUEST_TIMEOUT_MS", default_value_t = crate::http::DEFAULT_REQUEST_TIMEOUT.as_millis() as u64, value_name = "MS")]
    pub request_timeout_ms: u64,
    /// Turn off rate limiting.
    #[arg(long, env = "NKHR_NO_RATE_LIMIT")]
    pub no_rate_limit: bool,
    /// Query-cost points each anonymous client address may spend per hour.
    #[arg(long, env = "NKHR_ANONYMOUS_POINTS_PER_HOUR", default_value_t = RateLimitSettings::default().anonymous_points, value_name = "POINTS")]
    pub anonymous_points_per_hour: u64,
    /// Query-cost points an API key without a budget of its own may spend per hour.
    #[arg(long, env = "NKHR_KEY_POINTS_PER_HOUR", default_value_t = RateLimitSettings::default().key_points, value_name = "POINTS")]
    pub key_points_per_hour: u64,
    /// Read the client's address from `X-Forwarded-For`: set only behind a proxy you trust.
    #[arg(long, env = "NKHR_TRUST_FORWARDED_FOR")]
    pub trust_forwarded_for: bool,
    /// With `--trust-forwarded-for`: networks of further trusted proxies (comma-separated
    /// CIDR), skipped from the right of `X-Forwarded-For`. By default only the peer is trusted.
    #[arg(
        long,
        env = "NKHR_TRUSTED_PROXIES",
        value_delimiter = ',',
        value_name = "CIDR"
    )]
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Turn off metrics (and `/metrics`).
    #[arg(long, env = "NKHR_NO_METRICS")]
    pub no_metrics: bool,
    /// The bearer token `/metrics` asks for (`Authorization: Bearer <token>`); without one,
    /// `/metrics` is not served (metrics are still recorded, e.g. for the logs).
    #[arg(
        long,
        env = "NKHR_METRICS_TOKEN",
        value_name = "TOKEN",
        hide_env_values = true
    )]
    pub metrics_token: Option<String>,
    /// Run only the operations in this JSON file (an object from SHA-256 to document, or an
    /// array of documents); every other document is refused.
    #[arg(long, env = "NKHR_ALLOWLIST", value_name = "FILE")]
    pub allowlist: Option<PathBuf>,
}

impl ServeArgs {
    /// The options of a bare `nkhr`: defaults, and whatever the environment sets.
    fn from_environment() -> anyhow::Result<Self> {
        use clap::{Args as _, FromArgMatches as _};
        let command = ServeArgs::augment_args(clap::Command::new("serve"));
        let matches = command
            .try_get_matches_from(["serve"])
            .context("reading the serve options from the environment")?;
        ServeArgs::from_arg_matches(&matches)
            .context("reading the serve options from the environment")
    }

    fn limits(&self) -> Limits {
        Limits {
            depth: self.max_depth,
            introspection_depth: self.max_introspection_depth,
            selections: self.max_selections,
            complexity: self.max_complexity,
            introspection: !self.no_introspection,
            ..Limits::default()
        }
    }

    fn http(&self) -> anyhow::Result<HttpSettings> {
        let graphiql_assets = GraphiqlAssets::from_option(&self.graphiql_assets)?;
        let cors_origins = match &self.cors_origins {
            None => None,
            Some(origins) if origins.iter().any(|o| o == "*") => None,
            Some(origins) => Some(
                origins
                    .iter()
                    .map(|origin| {
                        HeaderValue::from_str(origin.trim())
                            .with_context(|| format!("reading the CORS origin {origin:?}"))
                    })
                    .collect::<anyhow::Result<_>>()?,
            ),
        };
        let persisted = match &self.allowlist {
            Some(file) => PersistedQueries::allow_list(file)?,
            None => PersistedQueries::default(),
        };
        Ok(HttpSettings {
            body_limit: self.body_limit,
            max_response_bytes: self.max_response_bytes,
            documents: DocumentLimits {
                max_bytes: self.max_document_bytes,
                max_tokens: self.max_tokens,
                max_nesting: self.max_nesting,
                max_aliases: self.max_aliases,
                max_directives: self.max_directives,
            },
            request_timeout: Duration::from_millis(self.request_timeout_ms),
            graphiql_assets,
            cors_origins,
            rate_limits: RateLimitSettings {
                enabled: !self.no_rate_limit,
                anonymous_points: self.anonymous_points_per_hour,
                key_points: self.key_points_per_hour,
                ..RateLimitSettings::default()
            },
            forwarded_for: crate::http::caller::ForwardedFor {
                trusted: self.trust_forwarded_for,
                proxies: self.trusted_proxies.clone(),
            },
            metrics: !self.no_metrics,
            metrics_token: self.metrics_token.clone().filter(|t| !t.is_empty()),
            persisted: std::sync::Arc::new(persisted),
            public_url: match &self.public_url {
                Some(url) => crate::citation::PublicUrl::new(url),
                None => crate::citation::PublicUrl::of_address(self.bind),
            },
            connections: crate::http::listen::ConnectionLimits {
                max_connections: self.max_connections.max(1),
                max_connections_per_address: if self.trust_forwarded_for {
                    0
                } else {
                    self.max_connections_per_address.max(1)
                },
                max_in_flight: self.max_in_flight.max(1),
                header_timeout: Duration::from_millis(self.header_timeout_ms.max(1)),
                body_timeout: Duration::from_millis(self.body_timeout_ms.max(1)),
            },
            subscriptions: crate::http::subscriptions::SubscriptionLimits {
                per_connection: self.max_subscriptions_per_connection,
                total: self.max_subscriptions,
            },
            response_cache_bytes: self.response_cache_bytes,
        })
    }
}

impl GlobalOptions {
    /// How to reach the database.
    pub fn database(&self) -> DatabaseSettings {
        DatabaseSettings {
            url: self.database_url.clone(),
            max_connections: self.db_max_connections,
            statement_timeout: Duration::from_millis(self.db_statement_timeout_ms),
        }
    }

    /// The dataset files: the folder given, or the built-in copy.
    pub fn dataset_files(&self) -> anyhow::Result<DatasetFiles> {
        match &self.seeds {
            Some(folder) => DatasetFiles::read_dir(folder),
            None => Ok(DatasetFiles::embedded()),
        }
    }
}

/// Runs the command line to completion and returns the process's exit code.
pub fn run(cli: Cli) -> ExitCode {
    match execute(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Sets up logging as the options say. Call once, before anything logs.
pub fn init_tracing(global: &GlobalOptions) {
    let filter = tracing_subscriber::EnvFilter::try_new(&global.log)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(ansi);
    match global.log_format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().flatten_event(true).init(),
    }
}

fn execute(cli: Cli) -> anyhow::Result<ExitCode> {
    let global = cli.global;
    let command = match cli.command {
        Some(command) => command,
        None => Command::Serve(Box::new(ServeArgs::from_environment()?)),
    };
    match command {
        Command::Check => check(&global),
        Command::Coverage { verbose } => coverage(&global, verbose),
        Command::Schema => {
            print!("{}", graphql::sdl());
            Ok(ExitCode::SUCCESS)
        }
        Command::Migrate => runtime()?.block_on(async {
            let db = store::connect(&global.database()).await?;
            store::migrate(&db).await?;
            println!("migrated {}", store::redact(&global.database_url));
            Ok(ExitCode::SUCCESS)
        }),
        Command::Seed => runtime()?.block_on(async {
            let files = global.dataset_files()?;
            let dataset = dataset::load(&files)?;
            let db = store::connect(&global.database()).await?;
            store::migrate(&db).await?;
            let report = store::sync::sync(&db, &dataset).await?;
            println!(
                "imported {} into {}: {} revisions ({} retractions); rows {} inserted, {} updated, {} deleted; dataset version {}",
                files.origin(),
                store::redact(&global.database_url),
                report.revisions,
                report.retracted,
                report.inserted,
                report.updated,
                report.deleted,
                report.version
            );
            Ok(ExitCode::SUCCESS)
        }),
        Command::ApiKey(command) => runtime()?.block_on(api_key(&global, command)),
        Command::Export(args) => runtime()?.block_on(export(&global, args)),
        Command::Serve(args) => runtime()?.block_on(async {
            let options = ServeOptions {
                bind: args.bind,
                database: global.database(),
                files: global.dataset_files()?,
                limits: args.limits(),
                http: args.http()?,
            };
            server::serve(options).await?;
            Ok(ExitCode::SUCCESS)
        }),
    }
}

async fn api_key(global: &GlobalOptions, command: ApiKeyCommand) -> anyhow::Result<ExitCode> {
    let db = store::connect(&global.database()).await?;
    store::migrate(&db).await?;
    match command {
        ApiKeyCommand::Create {
            name,
            points_per_hour,
        } => {
            let key = store::api_keys::issue(&db, &name, points_per_hour).await?;
            eprintln!(
                "issued key {} for {}; it is shown once, keep it safe:",
                key.id, key.name
            );
            println!("{}", key.secret);
        }
        ApiKeyCommand::List => {
            for key in store::api_keys::list(&db)
                .await
                .context("listing the API keys")?
            {
                let budget = key
                    .points_per_hour
                    .map_or("default".to_owned(), |p| p.to_string());
                let state = key.revoked_at.map_or("active".to_owned(), |at| {
                    format!("revoked {}", at.to_rfc3339())
                });
                println!(
                    "{}\t{}\tbudget {}\tcreated {}\t{}",
                    key.id,
                    key.name,
                    budget,
                    key.created_at.to_rfc3339(),
                    state
                );
            }
        }
        ApiKeyCommand::Revoke { id } => {
            if store::api_keys::revoke(&db, id)
                .await
                .context("revoking the API key")?
            {
                println!("revoked key {id}");
            } else {
                anyhow::bail!("there is no active key {id}");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")
}

/// Streams an export to a file or standard output, one chunk at a time.
async fn export(global: &GlobalOptions, args: ExportArgs) -> anyhow::Result<ExitCode> {
    use futures_util::TryStreamExt;
    use tokio::io::AsyncWriteExt;

    let format = args.format.unwrap_or(args.kind.default_format());
    let Some(file) = crate::export::ExportFile::new(args.kind, format) else {
        anyhow::bail!(
            "there is no {format:?} export of {}; the whole dataset is NDJSON, the rest CSV or JSON",
            args.kind.stem()
        );
    };
    if args.bom && format != crate::export::ExportFormat::Csv {
        anyhow::bail!("--bom is for CSV only");
    }
    let files = global.dataset_files()?;
    let db = store::connect(&global.database()).await?;
    server::prepare(&db, &files).await?;
    let version = store::queries::latest_version(&db)
        .await
        .context("reading the dataset version")?;
    let mut out: Box<dyn tokio::io::AsyncWrite + Unpin> = match &args.output {
        Some(path) => Box::new(
            tokio::fs::File::create(path)
                .await
                .with_context(|| format!("creating {}", path.display()))?,
        ),
        None => Box::new(tokio::io::stdout()),
    };
    let options = crate::export::ExportOptions {
        public: crate::citation::PublicUrl::new(&args.public_url),
        request: crate::export::ExportRequest {
            bom: args.bom,
            ..Default::default()
        },
        version,
    };
    let mut chunks = std::pin::pin!(crate::export::stream(db.clone(), file, options));
    while let Some(chunk) = chunks
        .try_next()
        .await
        .with_context(|| format!("reading the {} export", file.file_name()))?
    {
        out.write_all(&chunk).await.context("writing the export")?;
    }
    out.flush().await.context("writing the export")?;
    db.close()
        .await
        .context("closing the database connections")?;
    Ok(ExitCode::SUCCESS)
}

fn check(global: &GlobalOptions) -> anyhow::Result<ExitCode> {
    let files = global.dataset_files()?;
    match dataset::load(&files) {
        Ok(dataset) => {
            println!("{}: ok ({})", files.origin(), dataset.summary());
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => {
            eprint!("{error}");
            Ok(ExitCode::FAILURE)
        }
    }
}

fn coverage(global: &GlobalOptions, verbose: bool) -> anyhow::Result<ExitCode> {
    let files = global.dataset_files()?;
    let dataset = dataset::load(&files).context("loading the dataset to measure its coverage")?;
    let mut complete = true;
    for source in dataset::coverage::report(&dataset) {
        println!(
            "{}: {} sentences, {} excluded, {} asserting, {} covered ({:.1}%), {:.1}% of asserting characters quoted",
            source.source,
            source.sentences,
            source.excluded,
            source.asserting,
            source.covered,
            source.percent(),
            100.0 * source.character_share,
        );
        complete &= source.uncovered.is_empty();
        for (sentence, share) in &source.uncovered {
            if verbose {
                println!(
                    "  uncovered ({:.0}% quoted) at {}: {}",
                    100.0 * share,
                    sentence.start,
                    sentence.text
                );
            }
        }
    }
    Ok(if complete {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn public_url(args: &[&str]) -> String {
        let cli = Cli::parse_from(["nkhr", "serve"].iter().chain(args));
        let Some(Command::Serve(serve)) = cli.command else {
            panic!("`serve` parses as the serve command");
        };
        serve
            .http()
            .expect("the settings are valid")
            .public_url
            .as_str()
            .to_owned()
    }

    #[test]
    fn permalinks_start_with_the_bind_address_unless_a_public_url_is_given() {
        assert_eq!(
            public_url(&["--bind", "192.0.2.7:9000"]),
            "http://192.0.2.7:9000"
        );
        assert_eq!(
            public_url(&["--bind", "0.0.0.0:8081"]),
            "http://127.0.0.1:8081"
        );
        assert_eq!(public_url(&["--bind", "[::]:8082"]), "http://[::1]:8082");
        assert_eq!(
            public_url(&[
                "--bind",
                "0.0.0.0:8081",
                "--public-url",
                "https://nkhr.example.org/"
            ]),
            "https://nkhr.example.org"
        );
    }
}
