//! The exports say what the API says: every export is read back with a real CSV, JSON or
//! NDJSON reader and compared, record for record and field for field, with the answers of
//! the GraphQL API; and the exports' HTTP contract (filters, unknown parameters, caching, the
//! version line, the byte order mark) holds, on SQLite and PostgreSQL.

use std::collections::BTreeMap;

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use serde_json::{Map, Value, json};

use crate::harness::{TestApp, api_test, body_json, body_text};

fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

const DATE: &str = "{ value precision edtf }";

/// The list field of each exported kind, and what it selects in GraphQL's own names.
fn selection(kind: &str) -> (&'static str, String) {
    let history = "id revision formerSlugs";
    let entity = format!("{history} slug kind name aliases description descriptionBasis");
    match kind {
        "actors" => ("actors", format!("{entity} actorKind")),
        "laws" => (
            "laws",
            format!(
                "{entity} jurisdiction {{ slug }} enacted {DATE} provisions {{ article summary evidence {{ slug }} }} penalties {{ kind appliesTo evidence {{ slug }} }} deathPenalty"
            ),
        ),
        "measures" => (
            "measures",
            format!("{entity} status start {DATE} end {DATE} asOf {DATE}"),
        ),
        "events" => (
            "events",
            format!("{entity} start {DATE} end {DATE} asOf {DATE}"),
        ),
        "recommendations" => ("recommendations", format!("{entity} source {{ slug }}")),
        "claims" => (
            "claims",
            format!(
                "{history} slug statement quote source {{ slug title }} quoteSpan {{ start end }} certainty claimKind date {DATE} until {DATE} about {{ slug }} assertedBy {{ slug }} attributed fact {{ slug }} stance quantity {{ value unit }} note citation {{ text }} permalink"
            ),
        ),
        "sources" => (
            "sources",
            format!(
                "{history} slug title sourceKind language published {DATE} writtenFrom {DATE} writtenUntil {DATE} writtenNote authors {{ slug }} publisher {{ slug }} url sha256 length citation {{ text }} permalink text"
            ),
        ),
        "relations" => (
            "relations",
            format!(
                "{history} key subject {{ slug }} type object {{ slug }} summary start {DATE} end {DATE} basis inference asserter {{ slug }} certainty evidence {{ slug }} support {{ source {{ slug }} }} sourceCount"
            ),
        ),
        "facts" => (
            "facts",
            format!(
                "{history} slug statement claims {{ slug }} contested sources {{ slug }} sourceCount"
            ),
        ),
        other => panic!("no selection for {other}"),
    }
}

/// Every node of a list, read page by page through the API.
async fn api_nodes(app: &TestApp, kind: &str, filter: Option<Value>) -> Vec<Value> {
    let (field, fields) = selection(kind);
    let arguments = if filter.is_some() {
        "(first: 50, after: $after, filter: $filter)"
    } else {
        "(first: 50, after: $after)"
    };
    let variables = if filter.is_some() {
        "($after: String, $filter: ClaimFilter)"
    } else {
        "($after: String)"
    };
    let query = format!(
        "query {variables} {{ {field}{arguments} {{ pageInfo {{ hasNextPage endCursor }} nodes {{ {fields} }} }} }}"
    );
    let mut nodes = Vec::new();
    let mut after = Value::Null;
    loop {
        let data = app
            .query(&query, json!({ "after": after, "filter": filter }))
            .await;
        let page = &data[field];
        nodes.extend(page["nodes"].as_array().unwrap().iter().cloned());
        if page["pageInfo"]["hasNextPage"] != true {
            return nodes;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
}

fn slug(value: &Value) -> Value {
    value.get("slug").cloned().unwrap_or(Value::Null)
}

fn slugs(value: &Value) -> Value {
    Value::Array(value.as_array().unwrap().iter().map(slug).collect())
}

/// A date as the exports write it: the value, its precision and its EDTF form.
fn date(record: &mut Map<String, Value>, name: &str, value: &Value) {
    record.insert(
        format!("{name}_edtf"),
        value.get("edtf").cloned().unwrap_or(Value::Null),
    );
    record.insert(
        name.to_owned(),
        value.get("value").cloned().unwrap_or(Value::Null),
    );
    record.insert(
        format!("{name}_precision"),
        value.get("precision").cloned().unwrap_or(Value::Null),
    );
}

/// What the export of `kind` must hold for an API node: its fields under their names in
/// `snake_case`, links by slug.
fn expected(kind: &str, node: &Value) -> Map<String, Value> {
    let mut record = Map::new();
    let copy = |record: &mut Map<String, Value>, to: &str, from: &str| {
        record.insert(to.to_owned(), node[from].clone());
    };
    copy(&mut record, "id", "id");
    copy(&mut record, "revision", "revision");
    copy(&mut record, "former_slugs", "formerSlugs");
    match kind {
        "actors" | "laws" | "measures" | "events" | "recommendations" => {
            copy(&mut record, "description_basis", "descriptionBasis");
            for field in ["slug", "kind", "name", "aliases", "description"] {
                copy(&mut record, field, field);
            }
            match kind {
                "actors" => copy(&mut record, "actor_kind", "actorKind"),
                "laws" => {
                    record.insert("jurisdiction".into(), slug(&node["jurisdiction"]));
                    date(&mut record, "enacted", &node["enacted"]);
                    let provisions = node["provisions"].as_array().unwrap().iter().map(|p| json!({ "article": p["article"], "summary": p["summary"], "evidence": p["evidence"]["slug"] }));
                    record.insert("provisions".into(), provisions.collect());
                    let penalties = node["penalties"].as_array().unwrap().iter().map(|p| json!({ "kind": p["kind"], "applies_to": p["appliesTo"], "evidence": p["evidence"]["slug"] }));
                    record.insert("penalties".into(), penalties.collect());
                    copy(&mut record, "death_penalty", "deathPenalty");
                }
                "measures" | "events" => {
                    if kind == "measures" {
                        copy(&mut record, "status", "status");
                    }
                    date(&mut record, "start", &node["start"]);
                    date(&mut record, "end", &node["end"]);
                    date(&mut record, "as_of", &node["asOf"]);
                }
                _ => {
                    record.insert("source".into(), slug(&node["source"]));
                }
            }
        }
        "claims" => {
            for field in [
                "slug",
                "statement",
                "quote",
                "certainty",
                "attributed",
                "note",
                "permalink",
            ] {
                copy(&mut record, field, field);
            }
            copy(&mut record, "kind", "claimKind");
            record.insert("source".into(), slug(&node["source"]));
            record.insert("source_title".into(), node["source"]["title"].clone());
            record.insert("start_offset".into(), node["quoteSpan"]["start"].clone());
            record.insert("end_offset".into(), node["quoteSpan"]["end"].clone());
            date(&mut record, "date", &node["date"]);
            date(&mut record, "until", &node["until"]);
            record.insert("about".into(), slugs(&node["about"]));
            record.insert("asserted_by".into(), slugs(&node["assertedBy"]));
            record.insert("fact".into(), slug(&node["fact"]));
            copy(&mut record, "stance", "stance");
            record.insert(
                "quantity_value".into(),
                node["quantity"]
                    .get("value")
                    .cloned()
                    .unwrap_or(Value::Null),
            );
            record.insert(
                "quantity_unit".into(),
                node["quantity"].get("unit").cloned().unwrap_or(Value::Null),
            );
            record.insert("citation".into(), node["citation"]["text"].clone());
        }
        "sources" => {
            for field in [
                "slug",
                "title",
                "language",
                "url",
                "sha256",
                "length",
                "permalink",
                "text",
            ] {
                copy(&mut record, field, field);
            }
            copy(&mut record, "kind", "sourceKind");
            date(&mut record, "published", &node["published"]);
            date(&mut record, "written_from", &node["writtenFrom"]);
            date(&mut record, "written_until", &node["writtenUntil"]);
            copy(&mut record, "written_note", "writtenNote");
            record.insert("authors".into(), slugs(&node["authors"]));
            record.insert("publisher".into(), slug(&node["publisher"]));
            record.insert("citation".into(), node["citation"]["text"].clone());
        }
        "relations" => {
            for field in ["key", "certainty", "basis", "inference"] {
                copy(&mut record, field, field);
            }
            record.insert("asserted_by".into(), slug(&node["asserter"]));
            // `type` in the API; on an NDJSON line `type` says what the record is.
            copy(&mut record, "relation_type", "type");
            copy(&mut record, "description", "summary");
            copy(&mut record, "source_count", "sourceCount");
            record.insert("subject".into(), slug(&node["subject"]));
            record.insert("object".into(), slug(&node["object"]));
            date(&mut record, "start", &node["start"]);
            date(&mut record, "end", &node["end"]);
            record.insert("evidence".into(), slugs(&node["evidence"]));
            let sources = node["support"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| slug(&s["source"]));
            record.insert("sources".into(), sources.collect());
        }
        "facts" => {
            for field in ["slug", "statement"] {
                copy(&mut record, field, field);
            }
            copy(&mut record, "source_count", "sourceCount");
            copy(&mut record, "contested", "contested");
            record.insert("claims".into(), slugs(&node["claims"]));
            record.insert("sources".into(), slugs(&node["sources"]));
        }
        other => panic!("no export of {other}"),
    }
    record
}

/// What the API says about each record of `kind`, by global ID.
async fn api_records(
    app: &TestApp,
    kind: &str,
    filter: Option<Value>,
) -> BTreeMap<String, Map<String, Value>> {
    api_nodes(app, kind, filter)
        .await
        .iter()
        .map(|node| {
            (
                node["id"].as_str().unwrap().to_owned(),
                expected(kind, node),
            )
        })
        .collect()
}

/// A JSON value as a CSV cell of the exports holds it: text as it is, null empty, the rest
/// (numbers, booleans, lists, objects) as JSON.
fn cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// The records of a CSV export, by ID, read with the `csv` crate; and its header.
fn read_csv(text: &str) -> (Vec<String>, BTreeMap<String, BTreeMap<String, String>>) {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|row| {
            let row = row.expect("every CSV row parses");
            let cells: BTreeMap<String, String> = header
                .iter()
                .cloned()
                .zip(row.iter().map(str::to_owned))
                .collect();
            (cells["id"].clone(), cells)
        })
        .collect();
    (header, rows)
}

/// The records of a JSON or NDJSON export, by ID, with their `type` taken off.
fn by_id(records: impl IntoIterator<Item = Value>) -> BTreeMap<String, Map<String, Value>> {
    records
        .into_iter()
        .map(|record| {
            let mut record = record.as_object().unwrap().clone();
            record.remove("type");
            (record["id"].as_str().unwrap().to_owned(), record)
        })
        .collect()
}

/// Checks a CSV export against the API's records: the same records, and each cell as the
/// API's value is written (a source's full text is not in CSV).
fn assert_csv_matches(file: &str, text: &str, api: &BTreeMap<String, Map<String, Value>>) {
    let (header, rows) = read_csv(text);
    let expected_columns: std::collections::BTreeSet<&str> = api
        .values()
        .next()
        .unwrap()
        .keys()
        .map(String::as_str)
        .filter(|column| *column != "text")
        .collect();
    assert_eq!(
        header
            .iter()
            .map(String::as_str)
            .collect::<std::collections::BTreeSet<_>>(),
        expected_columns,
        "{file}: its columns are the API's fields"
    );
    assert_eq!(
        rows.keys().collect::<Vec<_>>(),
        api.keys().collect::<Vec<_>>(),
        "{file}: the same records as the API"
    );
    for (id, row) in &rows {
        for (column, value) in row {
            assert_eq!(value, &cell(&api[id][column]), "{file}: {id} {column}");
        }
    }
}

const KINDS: [&str; 9] = [
    "actors",
    "laws",
    "measures",
    "events",
    "recommendations",
    "claims",
    "sources",
    "relations",
    "facts",
];

api_test! {
    async fn every_csv_and_json_export_holds_what_the_api_says_record_for_record(app) {
        for kind in KINDS {
            let api = api_records(&app, kind, None).await;
            assert!(!api.is_empty(), "the API lists some {kind}");

            let csv = body_text(app.request(get(&format!("/export/{kind}.csv"))).await).await;
            assert_csv_matches(&format!("{kind}.csv"), &csv, &api);

            let response = app.request(get(&format!("/export/{kind}.json"))).await;
            assert_eq!(response.status(), StatusCode::OK, "{kind}.json");
            assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
            let records: Vec<Value> = serde_json::from_str(&body_text(response).await).expect("the JSON export parses");
            let json = by_id(records);
            assert_eq!(json.keys().collect::<Vec<_>>(), api.keys().collect::<Vec<_>>(), "{kind}.json: the same records");
            for (id, record) in &json {
                assert_eq!(record, &api[id], "{kind}.json: {id}");
            }
        }
    }
}

api_test! {
    async fn the_ndjson_export_starts_with_the_version_and_holds_what_the_api_says(app) {
        let response = app.request(get("/export/dataset.ndjson")).await;
        let version = response.headers()["nkhr-dataset-version"].to_str().unwrap().to_owned();
        let text = body_text(response).await;
        let mut lines = text.lines().map(|line| serde_json::from_str::<Value>(line).expect("each line is JSON"));

        let first = lines.next().unwrap();
        let info = app.query("{ dataset { version digest loadedAt loadedTime } }", json!({})).await;
        assert_eq!(first["type"], "dataset");
        assert_eq!(first["version"], info["dataset"]["version"]);
        assert_eq!(first["version"].to_string(), version);
        assert_eq!(first["digest"], info["dataset"]["digest"]);
        assert_eq!(first["loaded_at"], info["dataset"]["loadedTime"]);
        assert_eq!(info["dataset"]["loadedAt"], info["dataset"]["loadedTime"], "the deprecated field answers as before");

        let exported = by_id(lines);
        let mut api = BTreeMap::new();
        for kind in KINDS {
            api.extend(api_records(&app, kind, None).await);
        }
        assert_eq!(exported.keys().collect::<Vec<_>>(), api.keys().collect::<Vec<_>>(), "the same records as the API");
        for (id, record) in &exported {
            assert_eq!(record, &api[id], "dataset.ndjson: {id}");
        }
    }
}

api_test! {
    async fn claims_exports_take_the_claims_lists_filters(app) {
        let filters = [
            ("source=fahy-2025-a-new-low", json!({ "source": "fahy-2025-a-new-low" })),
            ("about=kim-regime&certainties=STATED,REPORTED", json!({ "about": "kim-regime", "certainties": ["STATED", "REPORTED"] })),
            ("kinds=ASSESSMENT&kinds=prediction", json!({ "kinds": ["ASSESSMENT", "PREDICTION"] })),
            ("from=2020&to=2021-06", json!({ "from": "2020", "to": "2021-06" })),
            ("assertedBy=sandra-fahy", json!({ "assertedBy": "sandra-fahy" })),
            ("fact=dprk-closed-borders-january-2020", json!({ "fact": "dprk-closed-borders-january-2020" })),
        ];
        let all = api_records(&app, "claims", None).await.len();
        for (query, filter) in filters {
            let api = api_records(&app, "claims", Some(filter)).await;
            let csv = body_text(app.request(get(&format!("/export/claims.csv?{query}"))).await).await;
            let (_, rows) = read_csv(&csv);
            assert_eq!(rows.keys().collect::<Vec<_>>(), api.keys().collect::<Vec<_>>(), "claims.csv?{query}");
            let json: Vec<Value> = serde_json::from_str(&body_text(app.request(get(&format!("/export/claims.json?{query}"))).await).await).unwrap();
            assert_eq!(json.len(), api.len(), "claims.json?{query}");
            assert!(api.len() < all, "claims.csv?{query} leaves some claims out");
        }
    }
}

api_test! {
    async fn an_export_refuses_a_parameter_it_does_not_take_with_a_code(app) {
        for uri in [
            "/export/actors.csv?source=fahy-2025-a-new-low",
            "/export/dataset.ndjson?bom=1",
            "/export/claims.json?bom=1",
            "/export/relations.json?first=10",
            "/export/claims.csv?certainty=STATED",
        ] {
            let response = app.request(get(uri)).await;
            assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{uri}");
            let body = body_json(response).await;
            assert_eq!(body["errors"][0]["extensions"]["code"], "UNKNOWN_PARAMETER", "{uri}: {body}");
            crate::harness::assert_error_codes_are_listed(&body);
        }
        for uri in [
            "/export/claims.csv?certainties=SURE",
            "/export/claims.csv?from=2020-13",
            "/export/claims.csv?source=a&source=b",
            "/export/claims.csv?bom=yes",
            "/export/claims.csv?about=a%00b",
        ] {
            let response = app.request(get(uri)).await;
            assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{uri}");
            let body = body_json(response).await;
            assert_eq!(body["errors"][0]["extensions"]["code"], "INVALID_ARGUMENT", "{uri}: {body}");
        }
    }
}

api_test! {
    async fn an_export_is_not_sent_again_while_the_dataset_version_is_the_same(app) {
        let first = app.request(get("/export/claims.csv?source=fahy-2025-a-new-low")).await;
        assert_eq!(first.status(), StatusCode::OK);
        let etag = first.headers()[header::ETAG].clone();
        let modified = first.headers()[header::LAST_MODIFIED].clone();
        assert!(first.headers().contains_key("nkhr-dataset-digest"));

        let by_tag = app.request(Request::get("/export/claims.csv?source=fahy-2025-a-new-low").header(header::IF_NONE_MATCH, etag.clone()).body(Body::empty()).unwrap()).await;
        assert_eq!(by_tag.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(by_tag.headers()[header::ETAG], etag);
        assert!(body_text(by_tag).await.is_empty());

        let by_date = app.request(Request::get("/export/claims.csv?source=fahy-2025-a-new-low").header(header::IF_MODIFIED_SINCE, modified.clone()).body(Body::empty()).unwrap()).await;
        assert_eq!(by_date.status(), StatusCode::NOT_MODIFIED);

        let other_file = app.request(Request::get("/export/claims.csv").header(header::IF_NONE_MATCH, etag.clone()).body(Body::empty()).unwrap()).await;
        assert_eq!(other_file.status(), StatusCode::OK, "another query string is another entity");
        assert_ne!(other_file.headers()[header::ETAG], etag);

        let stale = app.request(Request::get("/export/claims.csv").header(header::IF_MODIFIED_SINCE, "Mon, 01 Jan 2001 00:00:00 GMT").body(Body::empty()).unwrap()).await;
        assert_eq!(stale.status(), StatusCode::OK);
        let tag_wins = app.request(Request::get("/export/claims.csv").header(header::IF_NONE_MATCH, "\"other\"").header(header::IF_MODIFIED_SINCE, modified).body(Body::empty()).unwrap()).await;
        assert_eq!(tag_wins.status(), StatusCode::OK, "If-None-Match decides when both are sent");
    }
}

api_test! {
    async fn a_csv_export_starts_with_a_byte_order_mark_when_asked(app) {
        let plain = body_text(app.request(get("/export/sources.csv")).await).await;
        let marked = body_text(app.request(get("/export/sources.csv?bom=1")).await).await;

        assert!(plain.starts_with("id,"));
        assert_eq!(marked.strip_prefix('\u{feff}'), Some(plain.as_str()));
    }
}

api_test! {
    async fn a_list_cell_holds_json_so_values_with_separators_stay_whole(app) {
        let csv = body_text(app.request(get("/export/actors.csv")).await).await;
        let (_, rows) = read_csv(&csv);
        let mut aliases = 0;
        for row in rows.values() {
            let list: Vec<String> = serde_json::from_str(&row["aliases"]).expect("an aliases cell is a JSON array");
            aliases += list.len();
        }
        assert!(aliases > 0, "some actor has aliases");
    }
}

api_test! {
    async fn the_permalink_json_spells_enums_as_graphql_does(app) {
        let response = app.request(get("/claims/fahy-2025-grant-freeze-survival-mode?format=json")).await;
        let body = body_json(response).await;
        let data = app.query(r#"{ claim(slug: "fahy-2025-grant-freeze-survival-mode") { certainty claimKind } }"#, json!({})).await;
        assert_eq!(body["certainty"], data["claim"]["certainty"]);
        assert_eq!(body["kind"], data["claim"]["claimKind"]);
    }
}
