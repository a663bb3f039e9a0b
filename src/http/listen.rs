//! Accepting connections: how many at once, and how long a client may take to send.
//!
//! `axum::serve` sets no timer on its connections, so a client that trickles one header line
//! every few seconds keeps its connection, and the memory behind it, for as long as it likes.
//! Here each connection is served by hyper with its timer set:
//!
//! - a request's headers must arrive within [`ConnectionLimits::header_timeout`], counted from
//!   when the connection starts waiting for them, so an idle keep-alive connection is closed
//!   after the same time;
//! - its body must arrive within [`ConnectionLimits::body_timeout`] (see [`super::router`]);
//! - at most [`ConnectionLimits::max_connections`] connections are open at once; one past
//!   that is answered `503 Service Unavailable` with `Retry-After` and closed, before anything
//!   of it is read.
//!
//! Requests in flight are bounded apart, by [`super::shed`].

use std::{future::Future, sync::Arc, time::Duration};

use axum::{Router, extract::ConnectInfo};
use hyper_util::{
    rt::{TokioExecutor, TokioIo, TokioTimer},
    server::conn::auto::Builder,
    service::TowerToHyperService,
};
use tokio::{io::AsyncWriteExt, net::TcpListener, sync::Semaphore};
use tower::ServiceExt;

/// The bounds on connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// How many connections may be open at once.
    pub max_connections: usize,
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

/// Serves `app` on `listener` within `limits` until `shutdown` resolves, then lets the
/// connections finish the requests they are serving.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    let open = Arc::new(Semaphore::new(limits.max_connections));
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
        let (mut stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors, most likely: wait rather than spin.
                    tracing::warn!(%error, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = watch_stop.wait_for(|stop| *stop) => break,
        };
        let Ok(permit) = open.clone().try_acquire_owned() else {
            tracker.spawn(async move {
                let _ = tokio::time::timeout(Duration::from_secs(1), async {
                    let _ = stream.write_all(&too_many_connections()).await;
                    let _ = stream.shutdown().await;
                })
                .await;
            });
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
        tracker.spawn(async move {
            let _permit = permit;
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
