//! The stack's own ceiling, for `benches/ceiling.sh`: a bare async-graphql schema with one
//! field, `{ hello }`, served by async-graphql-axum at `POST /graphql`, and a static axum
//! response at `GET /static` made of the same status and headers as nkhr's `304 Not Modified`.
//! Run with the address to bind as its one argument.

use async_graphql::{EmptyMutation, EmptySubscription, Object, Schema};
use async_graphql_axum::GraphQL;
use axum::{
    Router,
    http::{HeaderValue, StatusCode, header},
    response::IntoResponse,
    routing::{get, post_service},
};

struct Query;

#[Object]
impl Query {
    async fn hello(&self) -> &'static str {
        "world"
    }
}

async fn not_modified() -> impl IntoResponse {
    (
        StatusCode::NOT_MODIFIED,
        [
            (
                header::ETAG,
                HeaderValue::from_static(
                    "\"0000000000000000000000000000000000000000000000000000000000000000\"",
                ),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=60"),
            ),
        ],
    )
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let address = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:18690".to_owned());
    let schema = Schema::new(Query, EmptyMutation, EmptySubscription);
    let app = Router::new()
        .route("/graphql", post_service(GraphQL::new(schema)))
        .route("/static", get(not_modified));
    let listener = tokio::net::TcpListener::bind(&address).await?;
    axum::serve(listener, app).await
}
