//! Subscriptions over WebSocket: a client subscribes to `changes` in the graphql-ws protocol,
//! an import commits a change, and the subscriber receives it, on whichever server over the
//! same database it subscribed to.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use nkhr::{graphql::Limits, http::HttpSettings, server};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::{Message, client::IntoClientRequest, http::HeaderValue};

use crate::{
    harness::{TestApp, api_test},
    living::{reimport, seeds_edited},
};

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// How long a test waits for a message before it fails.
const PATIENCE: Duration = Duration::from_secs(20);

/// Serves `router` on a port of its own; returns the WebSocket URL of its subscriptions.
async fn serve(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, router).await.ok();
    });
    format!("ws://{address}/graphql/ws")
}

/// A second server over the database of `app`, as another instance behind a load balancer.
async fn second_instance(app: &TestApp) -> axum::Router {
    let db = sea_orm::Database::connect(app.database_url())
        .await
        .unwrap();
    nkhr::http::router(server::state(
        db,
        &Limits::default(),
        HttpSettings::default(),
    ))
}

/// Opens a graphql-transport-ws connection to `url` and completes its handshake.
async fn connect(url: &str) -> Socket {
    let mut request = url.into_client_request().unwrap();
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        HeaderValue::from_static("graphql-transport-ws"),
    );
    let (mut socket, response) = tokio_tungstenite::connect_async(request).await.unwrap();
    assert_eq!(
        response.headers()["sec-websocket-protocol"],
        "graphql-transport-ws"
    );
    send(&mut socket, json!({ "type": "connection_init" })).await;
    assert_eq!(receive(&mut socket).await["type"], "connection_ack");
    socket
}

async fn send(socket: &mut Socket, message: Value) {
    socket
        .send(Message::Text(message.to_string().into()))
        .await
        .unwrap();
}

/// The next protocol message, skipping pings.
async fn receive(socket: &mut Socket) -> Value {
    loop {
        let message = tokio::time::timeout(PATIENCE, socket.next())
            .await
            .expect("a message in time")
            .expect("the connection stays open")
            .unwrap();
        if let Message::Text(text) = message {
            let value: Value = serde_json::from_str(&text).unwrap();
            if value["type"] != "ping" {
                return value;
            }
        }
    }
}

const SUBSCRIBE: &str = "subscription ($after: String) { changes(after: $after) { position version operation id recordType slug reason } }";

/// The cursor at the end of the feed now.
async fn end_of_feed(app: &TestApp) -> Value {
    let mut after = Value::Null;
    loop {
        let page = app
            .query(
                "query ($after: String) { changes(first: 100, after: $after) { pageInfo { hasNextPage endCursor } } }",
                json!({ "after": after }),
            )
            .await;
        let info = &page["changes"]["pageInfo"];
        if info["endCursor"].is_string() {
            after = info["endCursor"].clone();
        }
        if info["hasNextPage"] != true {
            return after;
        }
    }
}

const CORRECT_STATEMENT: [(&str, &str, &str); 1] = [(
    "claims/dhrwg-2021-continue-to-decline.toml",
    "statement = \"Dissent is not tolerated in North Korea.\"",
    "statement = \"North Korea does not tolerate dissent.\"",
)];

api_test! {
    async fn a_subscriber_receives_the_changes_after_its_cursor_then_each_new_one_as_it_is_imported(app) {
        let url = serve(app.router.clone()).await;
        let cursor = end_of_feed(&app).await;
        let last = app.query("{ changes(first: 2) { nodes { position slug } } }", json!({})).await;
        let mut socket = connect(&url).await;

        // From a cursor one change before the end of the first page of two: the second change.
        let first_cursor = app.query("{ changes(first: 1) { pageInfo { endCursor } } }", json!({})).await;
        send(&mut socket, json!({ "id": "backlog", "type": "subscribe", "payload": { "query": SUBSCRIBE, "variables": { "after": first_cursor["changes"]["pageInfo"]["endCursor"] } } })).await;
        let backlog = receive(&mut socket).await;
        assert_eq!(backlog["type"], "next");
        assert_eq!(backlog["id"], "backlog");
        assert_eq!(backlog["payload"]["data"]["changes"]["position"], last["changes"]["nodes"][1]["position"]);
        send(&mut socket, json!({ "id": "backlog", "type": "complete" })).await;

        send(&mut socket, json!({ "id": "live", "type": "subscribe", "payload": { "query": SUBSCRIBE, "variables": { "after": cursor } } })).await;
        // Let the subscription reach the end of the feed before the import.
        tokio::time::sleep(Duration::from_millis(300)).await;
        reimport(&app, &seeds_edited(&CORRECT_STATEMENT)).await;

        let mut event = receive(&mut socket).await;
        while event["id"] != "live" {
            event = receive(&mut socket).await;
        }
        assert_eq!(event["type"], "next", "{event:#}");
        let change = &event["payload"]["data"]["changes"];
        assert_eq!(change["slug"], "dhrwg-2021-dissent-not-tolerated");
        assert_eq!(change["operation"], "UPSERT");
        assert_eq!(change["version"], 2);
    }
}

api_test! {
    async fn a_change_imported_through_one_instance_reaches_a_subscriber_of_another(app) {
        let other = serve(second_instance(&app).await).await;
        let cursor = end_of_feed(&app).await;
        let mut socket = connect(&other).await;
        send(&mut socket, json!({ "id": "1", "type": "subscribe", "payload": { "query": SUBSCRIBE, "variables": { "after": cursor } } })).await;
        tokio::time::sleep(Duration::from_millis(300)).await;

        // The import runs through the first instance's connection to the database.
        reimport(&app, &seeds_edited(&CORRECT_STATEMENT)).await;

        let event = receive(&mut socket).await;
        assert_eq!(event["type"], "next", "{event:#}");
        assert_eq!(event["payload"]["data"]["changes"]["slug"], "dhrwg-2021-dissent-not-tolerated");
    }
}

api_test! {
    async fn subscriptions_past_the_limit_of_a_connection_are_refused_with_a_code(app) {
        let http = HttpSettings {
            subscriptions: nkhr::http::subscriptions::SubscriptionLimits { per_connection: 1, total: 10 },
            ..HttpSettings::default()
        };
        let db = sea_orm::Database::connect(app.database_url()).await.unwrap();
        let url = serve(nkhr::http::router(server::state(db, &Limits::default(), http))).await;
        let cursor = end_of_feed(&app).await;
        let mut socket = connect(&url).await;

        send(&mut socket, json!({ "id": "1", "type": "subscribe", "payload": { "query": SUBSCRIBE, "variables": { "after": cursor } } })).await;
        send(&mut socket, json!({ "id": "2", "type": "subscribe", "payload": { "query": SUBSCRIBE, "variables": { "after": cursor } } })).await;

        let refused = receive(&mut socket).await;
        assert_eq!(refused["id"], "2");
        assert_eq!(refused["payload"]["errors"][0]["extensions"]["code"], "TOO_MANY_SUBSCRIPTIONS", "{refused:#}");
    }
}

api_test! {
    async fn a_subscription_with_a_bad_cursor_gets_a_coded_error_and_a_subscription_over_post_is_refused(app) {
        let url = serve(app.router.clone()).await;
        let mut socket = connect(&url).await;

        send(&mut socket, json!({ "id": "1", "type": "subscribe", "payload": { "query": SUBSCRIBE, "variables": { "after": "not-a-cursor" } } })).await;
        let error = receive(&mut socket).await;
        let over_post = app.error_code(SUBSCRIBE, json!({})).await;

        assert_eq!(error["payload"]["errors"][0]["extensions"]["code"], "INVALID_ARGUMENT", "{error:#}");
        assert_eq!(receive(&mut socket).await["type"], "complete");
        assert_eq!(over_post, "BAD_REQUEST");
    }
}

api_test! {
    async fn the_readme_subscription_example_gives_the_event_it_shows(app) {
        let examples: Vec<(String, Value)> = crate::living::keeping_in_sync_examples()
            .into_iter()
            .filter(|(query, _)| query.trim_start().starts_with("subscription"))
            .collect();
        assert_eq!(examples.len(), 1);
        let (query, answer) = &examples[0];
        let url = serve(app.router.clone()).await;
        let mut socket = connect(&url).await;

        send(&mut socket, json!({ "id": "1", "type": "subscribe", "payload": { "query": query } })).await;

        assert_eq!(&receive(&mut socket).await, answer);
    }
}
