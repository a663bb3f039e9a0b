//! Caching by dataset version, persisted queries and the allow-list.

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use nkhr::{
    dataset::{self, DatasetFiles},
    graphql::Limits,
    http::{HttpSettings, persisted},
    server,
};
use serde_json::{Value, json};

use crate::harness::{Backend, TestApp, api_test, body_json, tiny_dataset};

fn get(query: &str, extensions: Option<&Value>, if_none_match: Option<&str>) -> Request<Body> {
    let mut uri = format!("/graphql?query={}", urlencode(query));
    if let Some(extensions) = extensions {
        uri = format!("/graphql?extensions={}", urlencode(&extensions.to_string()));
    }
    let mut request = Request::get(uri).header(header::ACCEPT, "application/graphql-response+json");
    if let Some(tag) = if_none_match {
        request = request.header(header::IF_NONE_MATCH, tag);
    }
    request.body(Body::empty()).unwrap()
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

const QUERY: &str = "{ actor(slug: \"kim-jong-un\") { name } }";

api_test! {
    async fn a_get_answer_carries_an_etag_and_a_repeat_gets_304(app) {
        let first = app.request(get(QUERY, None, None)).await;
        assert_eq!(first.status(), StatusCode::OK);
        let etag = first.headers()[header::ETAG].to_str().unwrap().to_owned();
        assert!(first.headers()[header::CACHE_CONTROL].to_str().unwrap().contains("max-age"));

        let repeat = app.request(get(QUERY, None, Some(&etag))).await;

        assert_eq!(repeat.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(repeat.headers()[header::ETAG], etag.as_str());
        let other = app.request(get("{ actor(slug: \"donald-trump\") { name } }", None, Some(&etag))).await;
        assert_eq!(other.status(), StatusCode::OK, "another query has another tag");
    }
}

api_test! {
    async fn a_new_dataset_version_changes_the_etag(app) {
        let before = app.request(get(QUERY, None, None)).await.headers()[header::ETAG].to_str().unwrap().to_owned();
        nkhr::store::sync::sync(&app.db, &dataset::load(&tiny_dataset()).unwrap()).await.unwrap();
        // A fresh service over the same database reads the new version at once.
        let fresh = nkhr::http::router(server::state(app.db.clone(), &Limits::default(), HttpSettings::default()));
        let response = tower::ServiceExt::oneshot(fresh, get(QUERY, None, Some(&before))).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "the old tag no longer matches");
        assert_ne!(response.headers()[header::ETAG].to_str().unwrap(), before);
    }
}

api_test! {
    async fn a_post_answer_is_not_cached(app) {
        let (status, _) = app.post_graphql(QUERY, json!({})).await;
        assert_eq!(status, StatusCode::OK);
        let request = Request::post("/graphql")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(json!({ "query": QUERY }).to_string()))
            .unwrap();
        assert!(app.request(request).await.headers().get(header::ETAG).is_none());
    }
}

api_test! {
    async fn a_persisted_query_runs_by_its_hash_once_the_server_has_seen_it(app) {
        let extension = json!({ "persistedQuery": { "version": 1, "sha256Hash": persisted::hash(QUERY) } });

        let unknown = body_json(app.request(get("", Some(&extension), None)).await).await;
        assert_eq!(unknown["errors"][0]["extensions"]["code"], "PERSISTED_QUERY_NOT_FOUND");
        assert_eq!(unknown["errors"][0]["message"], "PersistedQueryNotFound");

        let registration = Request::post("/graphql")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(json!({ "query": QUERY, "extensions": extension }).to_string()))
            .unwrap();
        assert_eq!(body_json(app.request(registration).await).await["data"]["actor"]["name"], "Kim Jong-un");

        let by_hash = app.request(get("", Some(&extension), None)).await;
        assert_eq!(by_hash.status(), StatusCode::OK);
        assert_eq!(body_json(by_hash).await["data"]["actor"]["name"], "Kim Jong-un");
    }
}

#[tokio::test]
async fn the_allow_list_runs_only_known_operations() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let folder = tempfile::tempdir().unwrap();
        let manifest = folder.path().join("allow.json");
        std::fs::write(
            &manifest,
            json!({ persisted::hash(QUERY): QUERY }).to_string(),
        )
        .unwrap();
        let http = HttpSettings {
            persisted: std::sync::Arc::new(
                persisted::PersistedQueries::allow_list(&manifest).unwrap(),
            ),
            ..HttpSettings::default()
        };
        let Some(app) =
            TestApp::spawn_with(backend, &DatasetFiles::embedded(), Limits::default(), http).await
        else {
            continue;
        };

        assert_eq!(
            app.query(QUERY, json!({})).await["actor"]["name"],
            "Kim Jong-un"
        );
        let extension =
            json!({ "persistedQuery": { "version": 1, "sha256Hash": persisted::hash(QUERY) } });
        let by_hash = app.request(get("", Some(&extension), None)).await;
        assert_eq!(
            by_hash.status(),
            StatusCode::OK,
            "allow-listed documents run by hash without registering"
        );

        let (status, body) = app.post_graphql("{ dataset { version } }", json!({})).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(
            body["errors"][0]["extensions"]["code"],
            "OPERATION_NOT_ALLOWED"
        );
    }
}

#[test]
fn an_allow_list_whose_key_is_not_its_documents_hash_is_refused() {
    let folder = tempfile::tempdir().unwrap();
    let manifest = folder.path().join("allow.json");
    std::fs::write(&manifest, json!({ "0000": QUERY }).to_string()).unwrap();
    assert!(persisted::PersistedQueries::allow_list(&manifest).is_err());
}
