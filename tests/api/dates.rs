//! Dates as the texts give them: a decade ("the 1990s"), a part of a year ("early 2020",
//! "late 2019"), an approximate date ("the previous three decades", about 1995) and "as of"
//! (the Rason border closed again at the time of writing). The API renders each in EDTF,
//! the timeline sorts each by its first day and a range keeps each whose days overlap it, on
//! both databases; a malformed date in the files is refused by `nkhr check`.

use serde_json::{Value, json};

use crate::harness::api_test;

const TIMELINE: &str = r#"
query Timeline($filter: TimelineInput) {
  timeline(filter: $filter, first: 100) {
    totalCount
    nodes {
      kind
      date { value edtf precision qualifier approximate earliest latest }
      subject { ... on Claim { slug } ... on Measure { slug } ... on Event { slug } ... on Law { slug } }
    }
  }
}"#;

/// The timeline's items with `filter`, as `(kind, slug, date value)`.
async fn timeline(app: &crate::harness::TestApp, filter: Value) -> Vec<(String, String, String)> {
    let data = app.query(TIMELINE, json!({ "filter": filter })).await;
    let nodes = data["timeline"]["nodes"].as_array().unwrap();
    assert_eq!(
        data["timeline"]["totalCount"].as_u64().unwrap() as usize,
        nodes.len(),
        "the test's filters fit in one page"
    );
    nodes
        .iter()
        .map(|node| {
            (
                node["kind"].as_str().unwrap().to_owned(),
                node["subject"]["slug"].as_str().unwrap().to_owned(),
                node["date"]["value"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn item(kind: &str, slug: &str, date: &str) -> (String, String, String) {
    (kind.to_owned(), slug.to_owned(), date.to_owned())
}

const DATES: &str = r#"{
  famine: event(slug: "famine-of-the-1990s") { start { ...d } }
  smuggling: event(slug: "cross-border-smuggling-economy") { start { ...d } end { ...d } }
  bufferZone: measure(slug: "dprk-china-border-buffer-zone") { start { ...d } }
  closure: measure(slug: "dprk-border-closure-2020") { start { ...d } end { ...d } asOf { ...d } }
  threeDecades: claim(slug: "fahy-2025-defectors-weakened-regime-control") { date { ...d } until { ...d } }
  envoy: claim(slug: "dhrwg-2021-north-korea-envoy-vacant-since-2019") { date { ...d } }
  source(slug: "fahy-2025-a-new-low") { published { ...d } }
}
fragment d on PartialDate { value edtf precision qualifier approximate earliest latest year }"#;

api_test! {
    async fn edtf_renders_a_decade_a_qualified_an_approximate_and_a_plain_date(app) {
        let data = app.query(DATES, json!({})).await;

        assert_eq!(data["famine"]["start"], json!({
            "value": "1990s", "edtf": "199X", "precision": "DECADE", "qualifier": null,
            "approximate": false, "earliest": "1990-01-01", "latest": "1999-12-31", "year": 1990,
        }));
        assert_eq!(data["bufferZone"]["start"], json!({
            "value": "early 2020", "edtf": "2020-01/2020-04", "precision": "YEAR", "qualifier": "EARLY",
            "approximate": false, "earliest": "2020-01-01", "latest": "2020-04-30", "year": 2020,
        }));
        assert_eq!(data["envoy"]["date"], json!({
            "value": "late 2019", "edtf": "2019-09/2019-12", "precision": "YEAR", "qualifier": "LATE",
            "approximate": false, "earliest": "2019-09-01", "latest": "2019-12-31", "year": 2019,
        }));
        assert_eq!(data["threeDecades"]["date"], json!({
            "value": "1995~", "edtf": "1995~", "precision": "YEAR", "qualifier": null,
            "approximate": true, "earliest": "1993-01-01", "latest": "1997-12-31", "year": 1995,
        }));
        assert_eq!(data["threeDecades"]["until"]["edtf"], "2025");
        assert_eq!(data["source"]["published"], json!({
            "value": "2025-03-26", "edtf": "2025-03-26", "precision": "DAY", "qualifier": null,
            "approximate": false, "earliest": "2025-03-26", "latest": "2025-03-26", "year": 2025,
        }));
        assert_eq!(data["smuggling"]["end"]["value"], "early 2020");
    }
}

api_test! {
    async fn the_rason_closure_holds_as_of_the_time_of_writing_with_no_end(app) {
        let data = app.query(DATES, json!({})).await;
        let during = app
            .query(r#"{ measures(filter: {from: "2024", to: "2024"}, first: 100) { nodes { slug } } }"#, json!({}))
            .await;

        let closure = &data["closure"];
        assert_eq!(closure["asOf"]["value"], "2025-03");
        assert_eq!(closure["asOf"]["edtf"], "2025-03");
        assert!(closure["end"].is_null(), "the end is unknown: {closure:#}");
        let slugs: Vec<&str> = during["measures"]["nodes"].as_array().unwrap().iter().map(|m| m["slug"].as_str().unwrap()).collect();
        assert!(
            slugs.contains(&"dprk-border-closure-2020"),
            "a measure known to hold from 2020-01 as of 2025-03 is in a range of 2024: {slugs:?}"
        );
    }
}

api_test! {
    async fn the_timeline_sorts_a_decade_before_its_first_year_and_an_approximate_date_by_its_first_possible_year(app) {
        let items = timeline(&app, json!({ "to": "1999", "kinds": ["EVENT", "CLAIM"] })).await;

        assert_eq!(
            items,
            [
                item("EVENT", "cross-border-smuggling-economy", "1990s"),
                item("EVENT", "famine-of-the-1990s", "1990s"),
                item("EVENT", "illicit-economic-life-independent-of-the-regime", "1990s"),
                item("CLAIM", "fahy-2025-defectors-weakened-regime-control", "1995~"),
            ],
            "the decade sorts at 1990-01-01, about 1995 at 1993-01-01"
        );
    }
}

api_test! {
    async fn a_timeline_range_keeps_a_decade_and_an_approximate_date_whose_days_overlap_it(app) {
        let in_1997 = timeline(&app, json!({ "from": "1997", "to": "1997" })).await;
        let in_1998 = timeline(&app, json!({ "from": "1998", "to": "1998" })).await;
        let in_1989 = timeline(&app, json!({ "from": "1989", "to": "1989" })).await;

        let slugs = |items: &[(String, String, String)]| -> Vec<String> { items.iter().map(|(_, slug, _)| slug.clone()).collect() };
        assert!(slugs(&in_1997).contains(&"famine-of-the-1990s".to_owned()), "{in_1997:?}");
        assert!(slugs(&in_1997).contains(&"fahy-2025-defectors-weakened-regime-control".to_owned()), "about 1995 reaches 1997: {in_1997:?}");
        assert!(slugs(&in_1998).contains(&"famine-of-the-1990s".to_owned()), "{in_1998:?}");
        assert!(!slugs(&in_1998).contains(&"fahy-2025-defectors-weakened-regime-control".to_owned()), "about 1995 stops at 1997: {in_1998:?}");
        assert!(in_1989.is_empty(), "nothing is dated before the 1990s: {in_1989:?}");
    }
}

api_test! {
    async fn a_timeline_range_keeps_a_qualified_date_only_within_its_part_of_the_year(app) {
        let february = timeline(&app, json!({ "from": "2020-02", "to": "2020-02", "kinds": ["MEASURE_START", "EVENT_END"] })).await;
        let summer = timeline(&app, json!({ "from": "2020-06", "to": "2020-08", "kinds": ["MEASURE_START", "EVENT_END"] })).await;
        let august_2019 = timeline(&app, json!({ "from": "2019-08", "to": "2019-08", "kinds": ["CLAIM"] })).await;
        let autumn_2019 = timeline(&app, json!({ "from": "2019-10", "to": "2019-10", "kinds": ["CLAIM"] })).await;

        assert!(february.contains(&item("MEASURE_START", "dprk-china-border-buffer-zone", "early 2020")), "{february:?}");
        assert!(february.contains(&item("EVENT_END", "cross-border-smuggling-economy", "early 2020")), "{february:?}");
        assert!(!summer.iter().any(|(_, _, date)| date == "early 2020"), "early 2020 ends in April: {summer:?}");
        assert!(summer.iter().any(|(_, _, date)| date == "2020"), "a year-only date reaches the summer: {summer:?}");
        let envoy = item("CLAIM", "dhrwg-2021-north-korea-envoy-vacant-since-2019", "late 2019");
        assert!(!august_2019.contains(&envoy), "late 2019 starts in September: {august_2019:?}");
        assert!(autumn_2019.contains(&envoy), "{autumn_2019:?}");
    }
}

api_test! {
    async fn the_timeline_puts_a_year_before_its_early_part_and_that_before_its_months(app) {
        let items = timeline(&app, json!({ "from": "2020-01", "to": "2020-01", "kinds": ["MEASURE_START"] })).await;

        let dates: Vec<&str> = items.iter().map(|(_, _, date)| date.as_str()).collect();
        let first = |date: &str| dates.iter().position(|d| *d == date).unwrap_or_else(|| panic!("no {date}: {dates:?}"));
        let last = |date: &str| dates.iter().rposition(|d| *d == date).unwrap();
        assert!(last("2020") < first("early 2020"), "{dates:?}");
        assert!(last("early 2020") < first("2020-01"), "{dates:?}");
    }
}

api_test! {
    async fn timeline_counts_keep_a_date_wider_than_the_interval_in_a_bucket_of_its_own(app) {
        let data = app
            .query(r#"{ timelineCounts(filter: {to: "1999"}, interval: YEAR) { period precision start end count date { edtf qualifier approximate } } }"#, json!({}))
            .await;

        let buckets = data["timelineCounts"].as_array().unwrap();
        let periods: Vec<&str> = buckets.iter().map(|b| b["period"].as_str().unwrap()).collect();
        assert_eq!(periods, ["1990s", "1995~"]);
        assert_eq!(buckets[0]["precision"], "DECADE");
        assert_eq!((buckets[0]["start"].as_str(), buckets[0]["end"].as_str()), (Some("1990-01-01"), Some("1999-12-31")));
        assert_eq!(buckets[0]["count"], 3);
        assert_eq!(buckets[0]["date"]["edtf"], "199X");
        assert_eq!(buckets[1]["date"], json!({ "edtf": "1995~", "qualifier": null, "approximate": true }));
    }
}

#[test]
fn nkhr_check_refuses_a_malformed_date_naming_the_file_the_record_and_the_rule() {
    let folder = tempfile::tempdir().unwrap();
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny");
    for entry in walk(&fixture) {
        let target = folder.path().join(entry.strip_prefix(&fixture).unwrap());
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(&entry, &target).unwrap();
    }
    let entities = folder.path().join("entities.toml");
    let text = std::fs::read_to_string(&entities).unwrap();
    std::fs::write(
        &entities,
        text.replacen("start = \"2020-01\"", "start = \"mid-2020\"", 1),
    )
    .unwrap();

    let output = std::process::Command::new(env!("CARGO_BIN_EXE_nkhr"))
        .arg("--seeds")
        .arg(folder.path())
        .args(["--log", "warn", "check"])
        .env_remove("DATABASE_URL")
        .env_remove("NKHR_SEEDS")
        .output()
        .unwrap();

    assert!(!output.status.success(), "the check passed");
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    for part in [
        "entities.toml",
        "measure \"border-closure\"",
        "date-precision",
        "mid-2020",
    ] {
        assert!(
            printed.contains(part),
            "the check's output does not name {part:?}: {printed}"
        );
    }
}

/// Every file under `folder`.
fn walk(folder: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}
