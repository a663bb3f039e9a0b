//! Accepting connections: how many at once, and how long a client may take to send.
//!
//! `axum::serve` sets no timer on its connections, so a client that trickles one header line
//! every few seconds keeps its connection, and the memory behind it, for as long as it likes.
//! Here each connection is served by hyper with its timer set:
//!
//! - a new connection's first bytes must arrive within [`ConnectionLimits::header_timeout`]:
//!   hyper's header timer starts only once it knows the protocol, which it learns from those
//!   bytes, so a connection that sends nothing would otherwise stay open for good;
//! - a request's headers must arrive within the same time, counted from when the connection
//!   starts waiting for them, so an idle keep-alive connection is closed after it too;
//! - its body must arrive within [`ConnectionLimits::body_timeout`] (see [`super::router`]);
//! - at most [`ConnectionLimits::max_connections`] connections are open at once, and at most
//!   [`ConnectionLimits::max_connections_per_address`] from one address (an IPv6 /64 counts as
//!   one), so one client cannot hold every place; one past either bound is answered
//!   `503 Service Unavailable` with `Retry-After` and closed, before anything of it is read.
//!
//! Requests in flight are bounded apart, by [`super::shed`].

use std::{
    collections::HashMap,
    future::Future,
    net::IpAddr,
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{Router, extract::ConnectInfo};
use hyper_util::{
    rt::{TokioExecutor, TokioIo, TokioTimer},
    server::conn::auto::Builder,
    service::TowerToHyperService,
};
use tokio::{
    io::AsyncWriteExt,
    net::{TcpListener, TcpStream},
    sync::Semaphore,
};
use tower::ServiceExt;

/// The bounds on connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// How many connections may be open at once.
    pub max_connections: usize,
    /// How many of them may come from one address (an IPv6 /64 counts as one address); `0`
    /// for no bound of its own, as behind a proxy, from which every connection comes.
    pub max_connections_per_address: usize,
    /// How many requests may be served at once; one past that gets `503`.
    pub max_in_flight: usize,
    /// How long a client may take to send a request's headers, and how long a keep-alive
    /// connection may sit idle.
    pub header_timeout: Duration,
    /// How long a client may take to send a request's body.
    pub body_timeout: Duration,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        Self {
            max_connections: 1024,
            max_connections_per_address: 128,
            max_in_flight: 256,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(10),
        }
    }
}

/// What a connection past the bound is told before it is closed.
fn too_many_connections() -> Vec<u8> {
    let body = r#"{"errors":[{"message":"too many open connections; retry shortly","extensions":{"code":"SERVICE_UNAVAILABLE"}}]}"#;
    format!(
        "HTTP/1.1 503 Service Unavailable\r\nretry-after: 1\r\ncontent-type: application/json\r\n\
         connection: close\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// The connections open from each address, so that one address cannot hold them all.
#[derive(Default)]
struct PerAddress {
    open: Mutex<HashMap<IpAddr, usize>>,
}

/// One connection's place in [`PerAddress`], given back when it is dropped.
struct AddressPlace {
    table: Arc<PerAddress>,
    address: IpAddr,
}

impl PerAddress {
    /// A place for one more connection from `address`, unless it has `most` already.
    fn take(table: &Arc<Self>, address: IpAddr, most: usize) -> Option<AddressPlace> {
        let address = super::caller::normalize(address);
        let mut open = table
            .open
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let count = open.entry(address).or_default();
        if most > 0 && *count >= most {
            return None;
        }
        *count += 1;
        Some(AddressPlace {
            table: table.clone(),
            address,
        })
    }
}

impl Drop for AddressPlace {
    fn drop(&mut self) {
        let mut open = self
            .table
            .open
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(count) = open.get_mut(&self.address) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.address);
            }
        }
    }
}

/// Waits, at most `within`, until the connection has sent enough to tell its protocol: any
/// byte that does not begin the HTTP/2 preface, or the whole preface. False when the time
/// passes first or the client closes.
async fn first_bytes(stream: &TcpStream, within: Duration) -> bool {
    const PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
    let wait = async {
        let mut buffer = [0u8; PREFACE.len()];
        loop {
            match stream.peek(&mut buffer).await {
                Ok(0) | Err(_) => return false,
                Ok(read) if read == PREFACE.len() || buffer[..read] != PREFACE[..read] => {
                    return true;
                }
                // Part of the preface: `peek` would answer at once again, so wait a little.
                Ok(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            }
        }
    };
    tokio::time::timeout(within, wait).await.unwrap_or(false)
}

/// Answers a connection past a bound with `503` and closes it.
fn refuse(tracker: &tokio_util::task::TaskTracker, mut stream: TcpStream) {
    tracker.spawn(async move {
        let _ = tokio::time::timeout(Duration::from_secs(1), async {
            let _ = stream.write_all(&too_many_connections()).await;
            let _ = stream.shutdown().await;
        })
        .await;
    });
}

/// Serves `app` on `listener` within `limits` until `shutdown` resolves, then lets the
/// connections finish the requests they are serving.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    let open = Arc::new(Semaphore::new(limits.max_connections));
    let per_address = Arc::new(PerAddress::default());
    let (stop, stopped) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        shutdown.await;
        let _ = stop.send(true);
    });
    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    builder
        .http2()
        .timer(TokioTimer::new())
        .max_concurrent_streams(100)
        .keep_alive_interval(limits.header_timeout)
        .keep_alive_timeout(limits.header_timeout);
    let builder = Arc::new(builder);
    let mut watch_stop = stopped.clone();
    let tracker = tokio_util::task::TaskTracker::new();
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors, most likely: wait rather than spin.
                    tracing::warn!(%error, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            // The guard `wait_for` returns is not `Send`; it is dropped before the select ends.
            () = async { drop(watch_stop.wait_for(|stop| *stop).await) } => break,
        };
        let Ok(permit) = open.clone().try_acquire_owned() else {
            refuse(&tracker, stream);
            continue;
        };
        let Some(place) =
            PerAddress::take(&per_address, peer.ip(), limits.max_connections_per_address)
        else {
            drop(permit);
            refuse(&tracker, stream);
            continue;
        };
        let service = app.clone().map_request(
            move |mut request: axum::http::Request<hyper::body::Incoming>| {
                request.extensions_mut().insert(ConnectInfo(peer));
                request.map(axum::body::Body::new)
            },
        );
        let service = TowerToHyperService::new(service);
        let builder = builder.clone();
        let mut stopped = stopped.clone();
        let header_timeout = limits.header_timeout;
        tracker.spawn(async move {
            let _permit = permit;
            let _place = place;
            if !first_bytes(&stream, header_timeout).await {
                return;
            }
            let connection = builder.serve_connection_with_upgrades(TokioIo::new(stream), service);
            tokio::pin!(connection);
            tokio::select! {
                result = connection.as_mut() => {
                    if let Err(error) = result {
                        tracing::debug!(%error, %peer, "a connection ended with an error");
                    }
                    return;
                }
                _ = stopped.wait_for(|stop| *stop) => connection.as_mut().graceful_shutdown(),
            }
            let _ = connection.await;
        });
    }
    drop(listener);
    tracker.close();
    tracker.wait().await;
}
