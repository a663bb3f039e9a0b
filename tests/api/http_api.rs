//! `/graphql` over HTTP and the service's other endpoints.

use axum::{
    body::Body,
    http::{Method, Request, StatusCode, header},
};
use serde_json::json;

use crate::harness::{api_test, body_json, body_text};

fn post(content_type: &str, accept: &str, body: impl Into<Body>) -> Request<Body> {
    Request::post("/graphql")
        .header(header::CONTENT_TYPE, content_type)
        .header(header::ACCEPT, accept)
        .body(body.into())
        .unwrap()
}

fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

api_test! {
    async fn a_query_can_be_sent_with_get(app) {
        let response = app.request(get("/graphql?query=%7B%20actor(slug%3A%22kim-jong-un%22)%20%7B%20name%20%7D%20%7D")).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(body_json(response).await["data"]["actor"]["name"], "Kim Jong-un");
    }
}

api_test! {
    async fn a_mutation_sent_with_get_is_refused_with_405(app) {
        let response = app.request(get("/graphql?query=mutation%20%7B%20x%20%7D")).await;
        assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(response.headers()[header::ALLOW], "POST");
        assert_eq!(body_json(response).await["errors"][0]["extensions"]["code"], "METHOD_NOT_ALLOWED");
    }
}

api_test! {
    async fn the_answer_is_in_the_media_type_asked_for(app) {
        let body = json!({ "query": "{ dataset { version } }" }).to_string();
        let new = app.request(post("application/json", GRAPHQL_RESPONSE, body.clone())).await;
        assert_eq!(new.headers()[header::CONTENT_TYPE], "application/graphql-response+json; charset=utf-8");
        let legacy = app.request(post("application/json", "application/json", body.clone())).await;
        assert_eq!(legacy.headers()[header::CONTENT_TYPE], "application/json; charset=utf-8");
        let refused = app.request(post("application/json", "text/html", body)).await;
        assert_eq!(refused.status(), StatusCode::NOT_ACCEPTABLE);
    }
}

api_test! {
    async fn a_document_that_does_not_validate_is_400_under_the_new_media_type_and_200_under_json(app) {
        let body = json!({ "query": "{ noSuchField }" }).to_string();

        let new = app.request(post("application/json", GRAPHQL_RESPONSE, body.clone())).await;
        assert_eq!(new.status(), StatusCode::BAD_REQUEST);
        let new = body_json(new).await;
        assert!(new.get("data").is_none(), "a request error has no data: {new:#}");
        assert_eq!(new["errors"][0]["extensions"]["code"], "GRAPHQL_VALIDATION_FAILED");

        let legacy = app.request(post("application/json", "application/json", body)).await;
        assert_eq!(legacy.status(), StatusCode::OK);
    }
}

api_test! {
    async fn a_document_that_does_not_parse_is_a_parse_error(app) {
        let body = json!({ "query": "{ actor(" }).to_string();
        let response = app.request(post("application/json", GRAPHQL_RESPONSE, body)).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert_eq!(body_json(response).await["errors"][0]["extensions"]["code"], "GRAPHQL_PARSE_FAILED");
    }
}

api_test! {
    async fn bodies_a_browser_form_can_send_are_never_executed(app) {
        for content_type in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"] {
            let response = app.request(post(content_type, GRAPHQL_RESPONSE, r#"{"query":"{ dataset { version } }"}"#)).await;
            assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "{content_type}");
        }
    }
}

api_test! {
    async fn malformed_json_is_a_bad_request(app) {
        let response = app.request(post("application/json", GRAPHQL_RESPONSE, "{ not json")).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert_eq!(body_json(response).await["errors"][0]["extensions"]["code"], "BAD_REQUEST");
    }
}

api_test! {
    async fn a_batch_is_a_bad_request(app) {
        let body = json!([{ "query": "{ dataset { version } }" }, { "query": "{ dataset { version } }" }]).to_string();
        let response = app.request(post("application/json", GRAPHQL_RESPONSE, body)).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    }
}

api_test! {
    async fn a_body_over_the_limit_is_refused_with_413(app) {
        let huge = format!(r#"{{"query":"{{ dataset {{ version }} }}","variables":{{"pad":"{}"}}}}"#, "x".repeat(100 * 1024));
        let response = app.request(post("application/json", GRAPHQL_RESPONSE, huge)).await;
        assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(body_json(response).await["errors"][0]["extensions"]["code"], "PAYLOAD_TOO_LARGE");
    }
}

api_test! {
    async fn other_methods_on_graphql_are_405(app) {
        let response = app.request(Request::builder().method(Method::PUT).uri("/graphql").body(Body::empty()).unwrap()).await;
        assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    }
}

api_test! {
    async fn graphiql_opens_on_the_flagship_query(app) {
        let response = app.request(get("/")).await;
        assert_eq!(response.status(), StatusCode::OK);
        let page = body_text(response).await;
        assert!(page.contains("GraphiQL.createFetcher"));
        assert!(page.contains("us-state-department-grant-freeze"), "the page opens on the flagship query");
        assert!(!page.contains("https://"), "the default page loads nothing from another host");
    }
}

api_test! {
    async fn graphiql_s_scripts_are_served_from_the_binary_and_cached_for_good(app) {
        let page = body_text(app.request(get("/")).await).await;
        for path in [
            "/assets/vendor/react@18.3.1/umd/react.production.min.js",
            "/assets/vendor/react-dom@18.3.1/umd/react-dom.production.min.js",
            "/assets/vendor/graphiql@3.8.3/graphiql.min.js",
            "/assets/vendor/graphiql@3.8.3/graphiql.min.css",
        ] {
            assert!(page.contains(&format!("\"{path}\"")), "the page loads {path}");
            let response = app.request(get(path)).await;
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            assert_eq!(response.headers()["cache-control"], "public, max-age=31536000, immutable");
            let etag = response.headers()["etag"].clone();
            assert!(body_text(response).await.len() > 1000, "{path} has its content");

            let again = Request::builder().uri(path).header("if-none-match", etag).body(Body::empty()).unwrap();
            assert_eq!(app.request(again).await.status(), StatusCode::NOT_MODIFIED, "{path}");
        }
        let script = app.request(get("/assets/vendor/graphiql@3.8.3/graphiql.min.js")).await;
        assert_eq!(script.headers()["content-type"], "text/javascript; charset=utf-8");
        assert_eq!(app.request(get("/assets/vendor/graphiql@3.8.3/MISSING.js")).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.request(get("/assets/vendor/graphiql@3.8.3/../react@18.3.1/LICENSE")).await.status(), StatusCode::NOT_FOUND);
    }
}

api_test! {
    async fn the_sdl_is_served(app) {
        let response = app.request(get("/schema.graphql")).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(body_text(response).await, nkhr::graphql::sdl());
    }
}

api_test! {
    async fn health_and_readiness_answer(app) {
        assert_eq!(app.request(get("/healthz")).await.status(), StatusCode::OK);
        assert_eq!(app.request(get("/readyz")).await.status(), StatusCode::OK);

        app.db.close_by_ref().await.unwrap();

        assert_eq!(app.request(get("/healthz")).await.status(), StatusCode::OK);
        assert_eq!(app.request(get("/readyz")).await.status(), StatusCode::SERVICE_UNAVAILABLE);
    }
}

api_test! {
    async fn a_browser_on_another_origin_may_call_the_api(app) {
        let preflight = Request::builder()
            .method(Method::OPTIONS)
            .uri("/graphql")
            .header(header::ORIGIN, "https://viz.example.org")
            .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
            .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "content-type")
            .body(Body::empty())
            .unwrap();
        let response = app.request(preflight).await;
        assert!(response.status().is_success());
        assert_eq!(response.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    }
}

api_test! {
    async fn a_browser_reads_an_exports_version_and_caching_headers(app) {
        let request = Request::builder()
            .uri("/export/claims.csv")
            .header(header::ORIGIN, "https://viz.example.org")
            .body(Body::empty())
            .unwrap();
        let response = app.request(request).await;
        assert_eq!(response.status(), StatusCode::OK);
        let exposed = response.headers()[header::ACCESS_CONTROL_EXPOSE_HEADERS]
            .to_str()
            .unwrap()
            .to_ascii_lowercase();
        let exposed: Vec<&str> = exposed.split(',').map(str::trim).collect();
        for name in [
            "etag",
            "last-modified",
            "content-disposition",
            "nkhr-dataset-version",
            "nkhr-dataset-digest",
        ] {
            assert!(response.headers().contains_key(name), "the export sends {name}");
            assert!(exposed.contains(&name), "{name} is not exposed: {exposed:?}");
        }
    }
}
