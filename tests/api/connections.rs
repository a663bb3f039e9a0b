//! The listener's bounds over real sockets: a connection that sends nothing is closed, a body
//! trickled a byte at a time times out without holding a place among the requests in flight,
//! and one address cannot hold every connection.

use std::{
    net::SocketAddr,
    time::{Duration, Instant},
};

use nkhr::{
    dataset::DatasetFiles,
    graphql::Limits,
    http::{HttpSettings, listen::ConnectionLimits},
};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpSocket, TcpStream},
};

use crate::harness::{Backend, TestApp};

/// The service on a real listener with `limits`.
async fn serving(limits: ConnectionLimits) -> (TestApp, SocketAddr) {
    let http = HttpSettings {
        connections: limits,
        ..HttpSettings::default()
    };
    let app = TestApp::spawn_with(
        Backend::Sqlite,
        &DatasetFiles::embedded(),
        Limits::default(),
        http,
    )
    .await
    .expect("SQLite needs no configuration");
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let address = listener.local_addr().expect("its address");
    tokio::spawn(nkhr::http::listen::serve(
        listener,
        app.router.clone(),
        limits,
        std::future::pending(),
    ));
    (app, address)
}

/// A connection to `to` from the loopback address `local`.
async fn connect_from(local: &str, to: SocketAddr) -> TcpStream {
    let socket = TcpSocket::new_v4().expect("a socket");
    socket
        .bind(format!("{local}:0").parse().expect("an address"))
        .expect("binding a loopback address");
    socket.connect(to).await.expect("connecting")
}

const TYPENAME: &str = r#"{"query":"{ __typename }"}"#;

/// Sends `{ __typename }` on `stream` and returns the answer's status and body.
async fn ask(mut stream: TcpStream) -> (u16, String) {
    let request = format!(
        "POST /graphql HTTP/1.1\r\nHost: nkhr\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{TYPENAME}",
        TYPENAME.len()
    );
    // The server may refuse before reading: a failed write still leaves its answer to read.
    let _ = stream.write_all(request.as_bytes()).await;
    read_answer(stream).await
}

async fn read_answer(mut stream: TcpStream) -> (u16, String) {
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer)).await;
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP answer: {answer:?}"));
    let body = answer
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_owned())
        .unwrap_or_default();
    (status, body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_that_sends_nothing_is_closed_after_the_header_timeout() {
    let limits = ConnectionLimits {
        header_timeout: Duration::from_millis(300),
        ..ConnectionLimits::default()
    };
    let (_app, address) = serving(limits).await;

    let mut idle = TcpStream::connect(address).await.expect("connecting");
    let started = Instant::now();
    let mut buffer = [0u8; 16];
    let read = tokio::time::timeout(Duration::from_secs(5), idle.read(&mut buffer)).await;

    assert!(
        matches!(read, Ok(Ok(0)) | Ok(Err(_))),
        "the idle connection was not closed: {read:?}"
    );
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(250) && waited < Duration::from_secs(3),
        "closed after {waited:?}, not after the 300 ms header timeout"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_trickled_a_byte_at_a_time_times_out_and_holds_no_place_in_flight() {
    let limits = ConnectionLimits {
        max_in_flight: 1,
        body_timeout: Duration::from_millis(600),
        ..ConnectionLimits::default()
    };
    let (_app, address) = serving(limits).await;

    let mut slow = TcpStream::connect(address).await.expect("connecting");
    slow.write_all(b"POST /graphql HTTP/1.1\r\nHost: nkhr\r\nContent-Type: application/json\r\nContent-Length: 200\r\nConnection: close\r\n\r\n{")
        .await
        .expect("sending the headers");
    let started = Instant::now();
    let trickle = tokio::spawn(async move {
        for _ in 0..40 {
            tokio::time::sleep(Duration::from_millis(100)).await;
            if slow.write_all(b" ").await.is_err() {
                break;
            }
        }
        slow
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    let (status, body) = ask(TcpStream::connect(address).await.expect("connecting")).await;
    assert_eq!(
        status, 200,
        "an ordinary request was refused while a body trickled in: {body}"
    );

    let (status, body) = read_answer(trickle.await.expect("the trickling client")).await;
    assert_eq!(status, 408, "{body}");
    assert!(body.contains("BODY_TIMEOUT"), "{body}");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "the trickled body was read for {:?}, past its 600 ms",
        started.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_address_cannot_hold_every_connection() {
    let limits = ConnectionLimits {
        max_connections_per_address: 2,
        header_timeout: Duration::from_secs(5),
        ..ConnectionLimits::default()
    };
    let (_app, address) = serving(limits).await;

    let held = [
        connect_from("127.0.0.1", address).await,
        connect_from("127.0.0.1", address).await,
    ];
    tokio::time::sleep(Duration::from_millis(100)).await;
    let (status, body) = ask(connect_from("127.0.0.1", address).await).await;
    assert_eq!(status, 503, "a third connection from one address: {body}");
    assert!(body.contains("SERVICE_UNAVAILABLE"), "{body}");

    let (status, body) = ask(connect_from("127.0.0.2", address).await).await;
    assert_eq!(status, 200, "another address is served: {body}");

    drop(held);
    let mut status = 0;
    for _ in 0..40 {
        tokio::time::sleep(Duration::from_millis(50)).await;
        (status, _) = ask(connect_from("127.0.0.1", address).await).await;
        if status == 200 {
            break;
        }
    }
    assert_eq!(status, 200, "closing connections gives their places back");
}
