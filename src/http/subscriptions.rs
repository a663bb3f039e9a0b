//! `/graphql/ws`: GraphQL subscriptions over WebSocket, in the graphql-ws protocol
//! (`graphql-transport-ws`, and the older `graphql-ws` of subscriptions-transport-ws), as
//! async-graphql-axum speaks them.
//!
//! The one subscription, `changes(after:)`, pushes the change feed as it grows. How a server
//! learns that it grew: every [`FEED_POLL_INTERVAL`] one task per server reads the feed's last
//! position (one indexed read, whatever the number of subscribers) and wakes the subscriptions
//! when it moved. Because the position is read from the database, an import through any
//! server, or `nkhr seed` run beside them, reaches the subscribers of every server over the
//! same database, on SQLite and PostgreSQL alike. PostgreSQL's LISTEN/NOTIFY would notice a
//! change sooner, but needs a connection held per server outside the pool and a trigger or a
//! notification in every import, and would leave SQLite without subscriptions; a second's
//! delay costs a partner nothing.
//!
//! Subscriptions are bounded: at most [`SubscriptionLimits::per_connection`] on one
//! connection and [`SubscriptionLimits::total`] on one server; one past either gets a
//! `TOO_MANY_SUBSCRIPTIONS` error and nothing else. As many WebSockets as that may be open at
//! once; one more is answered `503` before the upgrade. Every step of a subscription (the
//! delivery of one change; see [`crate::graphql::subscription`]) is costed and charged to the
//! caller, identified when the connection opens, like a query with the same document; a
//! caller whose budget is spent gets `RATE_LIMITED` and the subscription ends. The document
//! passes the same checks of size and shape as one sent to `/graphql` (and, on a server that
//! runs only its allow-list, must be on it).

use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use async_graphql::{Data, Request, Response, ServerError, parser::parse_query};
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::{
    extract::{FromRequestParts, State, ws::WebSocketUpgrade},
    response::{IntoResponse, Response as HttpResponse},
};
use futures_util::{StreamExt, stream::BoxStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};

use super::{AppState, document};
use crate::graphql::{
    ErrorCode,
    error::set_code,
    rate_limit::{Caller, RateLimitContext},
    subscription::SubscriptionStep,
};

/// How often a server reads the feed's last position to notice new changes: often enough
/// that a subscriber hears of an import within about a second, rarely enough that the read
/// (one indexed `MAX`) is nothing beside the traffic it serves.
pub const FEED_POLL_INTERVAL: Duration = Duration::from_secs(1);

/// How many subscriptions a server serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SubscriptionLimits {
    /// The most subscriptions one WebSocket connection may hold at once.
    pub per_connection: usize,
    /// The most subscriptions the server holds at once, over every connection.
    pub total: usize,
}

impl Default for SubscriptionLimits {
    /// A partner needs one subscription, perhaps one per kind of record: 10 a connection
    /// leaves room for that. 1,000 in all keeps what idle subscriptions hold (a few KiB
    /// each) far below what one server has, and the connection limit bounds sockets anyway.
    fn default() -> Self {
        Self {
            per_connection: 10,
            total: 1_000,
        }
    }
}

/// The feed's last position, as one task per server reads it every [`FEED_POLL_INTERVAL`].
/// Started by the first subscription, so that a server nobody subscribes to never polls.
#[derive(Default)]
pub struct FeedWatch {
    latest: Mutex<Option<watch::Receiver<i32>>>,
}

impl FeedWatch {
    /// A receiver of the feed's last position, starting the polling task on first use.
    fn subscribe(&self, db: &sea_orm::DatabaseConnection) -> watch::Receiver<i32> {
        let mut latest = self
            .latest
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(receiver) = &*latest {
            return receiver.clone();
        }
        let (sender, receiver) = watch::channel(0);
        let db = db.clone();
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(FEED_POLL_INTERVAL);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                match crate::store::history::last_position(&db).await {
                    Ok(position) => {
                        sender.send_if_modified(|current| {
                            let moved = *current != position;
                            *current = position;
                            moved
                        });
                    }
                    Err(error) => {
                        tracing::warn!(%error, "reading the change feed's last position failed")
                    }
                }
            }
        });
        *latest = Some(receiver.clone());
        receiver
    }
}

/// What every subscription of the server shares.
#[derive(Clone)]
pub struct Subscriptions {
    limits: SubscriptionLimits,
    permits: Arc<Semaphore>,
    /// One permit per open WebSocket: an upgraded connection leaves the server's connection
    /// count, so sockets are bounded here, by as many as subscriptions in all.
    sockets: Arc<Semaphore>,
    feed: Arc<FeedWatch>,
}

impl Subscriptions {
    /// The subscriptions of a server that holds at most `limits`.
    pub fn new(limits: SubscriptionLimits) -> Self {
        Self {
            limits,
            permits: Arc::new(Semaphore::new(limits.total)),
            sockets: Arc::new(Semaphore::new(limits.total)),
            feed: Arc::default(),
        }
    }
}

/// The executor of one WebSocket connection: it runs queries as `/graphql` does, and
/// subscriptions as a series of steps, within the connection's and the server's bounds.
#[derive(Clone)]
struct ConnectionExecutor {
    state: AppState,
    caller: Caller,
    open: Arc<AtomicUsize>,
}

/// Why a subscription is refused before it starts: a stable code and a message.
struct Refusal(ErrorCode, String);

impl Refusal {
    /// The refusal as the only event of the subscription.
    fn into_event(self) -> Response {
        let mut error = ServerError::new(self.1, None);
        set_code(&mut error, self.0);
        Response::from_errors(vec![error])
    }
}

fn refusal(code: ErrorCode, message: impl Into<String>) -> Refusal {
    Refusal(code, message.into())
}

/// What one subscription holds while it runs: its place in the bounds, released when the
/// client stops it or goes away.
struct Held {
    _permit: OwnedSemaphorePermit,
    open: Arc<AtomicUsize>,
}

impl Drop for Held {
    fn drop(&mut self) {
        self.open.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The document of a subscription, kept to run it again at each step.
struct Template {
    query: String,
    variables: async_graphql::Variables,
    operation_name: Option<String>,
    document: Option<async_graphql::parser::types::ExecutableDocument>,
}

impl Template {
    fn request(&self, step: SubscriptionStep, limits: RateLimitContext) -> Request {
        let mut request = Request::new(self.query.clone()).variables(self.variables.clone());
        if let Some(name) = &self.operation_name {
            request = request.operation_name(name.clone());
        }
        if let Some(document) = &self.document {
            request.set_parsed_query(document.clone());
        }
        request.data(step).data(limits)
    }
}

impl ConnectionExecutor {
    fn limits(&self) -> RateLimitContext {
        RateLimitContext {
            caller: self.caller.clone(),
            limiter: self.state.limiter.clone(),
            charge: Arc::new(Mutex::new(None)),
        }
    }

    /// Takes a place for one more subscription, or says why there is none.
    fn hold(&self) -> Result<Held, Refusal> {
        let subscriptions = &self.state.subscriptions;
        let per_connection = subscriptions.limits.per_connection;
        if self.open.fetch_add(1, Ordering::SeqCst) >= per_connection {
            self.open.fetch_sub(1, Ordering::SeqCst);
            return Err(refusal(
                ErrorCode::TooManySubscriptions,
                format!(
                    "a connection may hold at most {per_connection} subscriptions at once; stop one first"
                ),
            ));
        }
        match subscriptions.permits.clone().try_acquire_owned() {
            Ok(permit) => Ok(Held {
                _permit: permit,
                open: self.open.clone(),
            }),
            Err(_) => {
                self.open.fetch_sub(1, Ordering::SeqCst);
                Err(refusal(
                    ErrorCode::TooManySubscriptions,
                    "the server holds as many subscriptions as it serves; try again later",
                ))
            }
        }
    }

    /// Parses and checks a document as `/graphql` does before it runs.
    fn check(&self, request: &Request) -> Result<Template, Refusal> {
        if self.state.persisted.is_allow_list()
            && let Err(error) = self
                .state
                .persisted
                .resolve(Some(request.query.clone()), None)
        {
            return Err(refusal(error.code(), error.to_string()));
        }
        let document = parse_query(&request.query).ok();
        if let Some(parsed) = &document {
            if let Err(error) = document::check_document(parsed, &self.state.settings.documents) {
                return Err(refusal(error.code(), error.to_string()));
            }
            if let Err(error) = self.state.executor.check_shape(parsed) {
                return Err(refusal(error.code(), error.to_string()));
            }
        }
        Ok(Template {
            query: request.query.clone(),
            variables: request.variables.clone(),
            operation_name: request.operation_name.clone(),
            document,
        })
    }
}

/// Where a running subscription stands between events.
struct Running {
    executor: ConnectionExecutor,
    template: Template,
    after: Option<i32>,
    latest: watch::Receiver<i32>,
    done: bool,
    _held: Held,
}

/// The next event of a subscription: the next step that delivers one, waiting for the feed
/// to grow while none does. An error ends the subscription after it is sent.
async fn next_event(mut running: Running) -> Option<(Response, Running)> {
    loop {
        if running.done {
            return None;
        }
        let step = SubscriptionStep::after(running.after);
        let limits = running.executor.limits();
        let request = running.template.request(step.clone(), limits);
        let event = running.executor.state.executor.execute_step(request).await;
        let reached = step.reached();
        if let Some(event) = event {
            if event.is_err() || reached.is_none() {
                running.done = true;
            }
            running.after = reached.or(running.after);
            return Some((event, running));
        }
        let Some(reached) = reached else {
            // The step neither delivered nor read the feed: nothing more will come of it.
            return None;
        };
        running.after = Some(reached);
        // Wait until the feed moves past what the step read.
        loop {
            let latest = *running.latest.borrow_and_update();
            if latest > reached {
                break;
            }
            if running.latest.changed().await.is_err() {
                return None;
            }
        }
    }
}

impl async_graphql::Executor for ConnectionExecutor {
    async fn execute(&self, request: Request) -> Response {
        self.state
            .executor
            .execute(request.data(self.limits()))
            .await
    }

    fn execute_stream(
        &self,
        request: Request,
        _session: Option<Arc<Data>>,
    ) -> BoxStream<'static, Response> {
        let template = match self.check(&request) {
            Ok(template) => template,
            Err(refused) => {
                let event = refused.into_event();
                return futures_util::stream::once(async { event }).boxed();
            }
        };
        let held = match self.hold() {
            Ok(held) => held,
            Err(refused) => {
                let event = refused.into_event();
                return futures_util::stream::once(async { event }).boxed();
            }
        };
        let running = Running {
            latest: self.state.subscriptions.feed.subscribe(&self.state.db),
            executor: self.clone(),
            template,
            after: None,
            done: false,
            _held: held,
        };
        futures_util::stream::unfold(running, next_event).boxed()
    }
}

/// `GET /graphql/ws`: opens a WebSocket that speaks graphql-ws. The caller is identified from
/// the upgrade request (its address, or the API key in its headers), as for `/graphql`.
pub async fn subscribe(
    State(state): State<AppState>,
    request: axum::extract::Request,
) -> HttpResponse {
    let (mut parts, _) = request.into_parts();
    let caller = match state
        .keys
        .identify(
            &state.db,
            &state.limiter,
            &parts,
            &state.settings.forwarded_for,
        )
        .await
    {
        Ok(caller) => caller,
        Err(error) => return error.into_response(),
    };
    let protocol = match GraphQLProtocol::from_request_parts(&mut parts, &state).await {
        Ok(protocol) => protocol,
        Err(rejection) => return rejection.into_response(),
    };
    let upgrade = match WebSocketUpgrade::from_request_parts(&mut parts, &state).await {
        Ok(upgrade) => upgrade,
        Err(rejection) => return rejection.into_response(),
    };
    let Ok(socket_permit) = state.subscriptions.sockets.clone().try_acquire_owned() else {
        return super::error::HttpError::Overloaded.into_response();
    };
    let executor = ConnectionExecutor {
        state,
        caller,
        open: Arc::default(),
    };
    upgrade
        .protocols(async_graphql::http::ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |socket| async move {
            GraphQLWebSocket::new(socket, executor, protocol)
                .serve()
                .await;
            drop(socket_permit);
        })
}
