//! Several `nkhr serve` processes at once against one PostgreSQL database: exactly one
//! migrates and loads the dataset, and all of them then serve the same data. The processes
//! log in JSON, and every log line of a request carries its request ID.

use std::{
    io::{BufRead, BufReader},
    process::{Child, Command, Stdio},
    sync::mpsc,
    time::Duration,
};

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::harness::{Backend, TestDatabase, count_rows};

/// A running `nkhr serve` and the lines it logs.
struct Server {
    child: Child,
    address: String,
    lines: mpsc::Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(database_url: &str) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_nkhr"))
        .args([
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--log-format",
            "json",
            "--log",
            "info",
        ])
        .env("DATABASE_URL", database_url)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("starting nkhr serve");
    let stderr = child.stderr.take().expect("the server's stderr");
    let (sender, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if sender.send(line).is_err() {
                break;
            }
        }
    });
    Server {
        child,
        address: String::new(),
        lines,
    }
}

impl Server {
    /// Waits for the server to say where it listens, keeping every line read.
    fn wait_until_serving(&mut self, seen: &mut Vec<serde_json::Value>) {
        loop {
            let line = self
                .lines
                .recv_timeout(Duration::from_secs(60))
                .expect("the server starts within a minute");
            let entry: serde_json::Value = serde_json::from_str(&line)
                .unwrap_or_else(|_| panic!("a log line is not JSON: {line}"));
            let address = entry["address"].as_str().map(str::to_owned);
            seen.push(entry);
            if let Some(address) = address {
                self.address = address;
                return;
            }
        }
    }

    fn drain(&self, seen: &mut Vec<serde_json::Value>) {
        while let Ok(line) = self.lines.recv_timeout(Duration::from_millis(300)) {
            seen.push(
                serde_json::from_str(&line)
                    .unwrap_or_else(|_| panic!("a log line is not JSON: {line}")),
            );
        }
    }
}

/// A minimal HTTP/1.1 POST, so the test needs no HTTP client.
async fn post(address: &str, body: &str) -> (String, String) {
    let mut stream = tokio::net::TcpStream::connect(address)
        .await
        .expect("connecting to the server");
    let request = format!(
        "POST /graphql HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").expect("an HTTP answer");
    (head.to_owned(), body.to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_started_together_load_the_dataset_once_and_serve_the_same_data() {
    let Some(database) = TestDatabase::create(Backend::Postgres).await else {
        eprintln!("skipped: {} is not set", crate::harness::POSTGRES_URL_VAR);
        return;
    };
    let mut first = start(&database.url);
    let mut second = start(&database.url);
    let mut logs = Vec::new();
    first.wait_until_serving(&mut logs);
    second.wait_until_serving(&mut logs);

    let db = database.connect().await;
    assert_eq!(
        count_rows(&db, "dataset_version").await,
        1,
        "the dataset was loaded once"
    );
    assert_eq!(
        count_rows(&db, "seaql_migrations").await as usize,
        migration_count()
    );
    let synced = logs
        .iter()
        .filter(|entry| entry["message"] == "synced the dataset into the database")
        .count();
    let found = logs
        .iter()
        .filter(|entry| entry["message"] == "the database already holds this dataset")
        .count();
    assert_eq!(
        (synced, found),
        (1, 1),
        "one server loaded, the other found it loaded"
    );

    let query = r#"{"query":"{ dataset { version digest counts { claims relations } } }"}"#;
    let (head_a, answer_a) = post(&first.address, query).await;
    let (_, answer_b) = post(&second.address, query).await;
    assert!(head_a.starts_with("HTTP/1.1 200"), "{head_a}");
    assert_eq!(answer_a, answer_b, "both serve the same data");

    let request_id = head_a
        .lines()
        .find_map(|line| line.strip_prefix("x-request-id: "))
        .expect("the answer carries a request ID")
        .to_owned();
    first.drain(&mut logs);
    assert!(
        logs.iter()
            .any(|entry| entry["span"]["request_id"] == request_id.as_str()
                || entry["request_id"] == request_id.as_str()),
        "a log line of the request carries its ID {request_id}"
    );
}

fn migration_count() -> usize {
    use migration::MigratorTrait;
    migration::Migrator::migrations().len()
}
