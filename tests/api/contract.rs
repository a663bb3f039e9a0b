//! The documentation's examples are part of the contract: every GraphQL example in the README
//! runs on the real dataset without an error, on SQLite and PostgreSQL, and every answer the
//! README prints as the real output is the live answer. (The contract checks in
//! `tests/contract/` also validate them with graphql-js, the validator clients run.)

use serde_json::json;

use crate::harness::{Backend, api_test};

/// The README's ```` ```graphql ```` blocks, each with the line it starts on.
fn readme_examples() -> Vec<(usize, String)> {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("the README");
    let mut examples = Vec::new();
    let mut lines = readme.lines().enumerate();
    while let Some((number, line)) = lines.next() {
        if line.trim() == "```graphql" {
            let body: Vec<&str> = lines
                .by_ref()
                .map(|(_, line)| line)
                .take_while(|line| line.trim() != "```")
                .collect();
            let example = body.join("\n");
            // Subscriptions run over WebSocket; `subscriptions.rs` checks the README's.
            if !example.trim_start().starts_with("subscription") {
                examples.push((number + 2, example));
            }
        }
    }
    examples
}

api_test! {
    async fn every_graphql_example_in_the_readme_runs_without_errors(app) {
        let examples = readme_examples();
        assert!(examples.len() >= 4, "the README's examples were not found: {examples:?}");
        for (line, example) in examples {
            let (status, body) = app.post_graphql(&example, json!({})).await;
            assert_eq!(status, 200, "README.md:{line}: {body:#}");
            assert!(body.get("errors").is_none(), "README.md:{line}: {body:#}");
            assert!(body["data"].as_object().is_some_and(|data| !data.is_empty()), "README.md:{line}: {body:#}");
        }
    }
}

/// The README's examples that print their answer: a ```` ```graphql ```` block followed by a
/// ```` ```json ```` block with nothing between them but blank lines or a line that says the
/// answer is the built-in dataset's ("The answer, from the built-in dataset:"). Abridged
/// answers are introduced by other words, and are not among these.
fn readme_answers() -> Vec<(usize, String, serde_json::Value)> {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("the README");
    let lines: Vec<&str> = readme.lines().collect();
    let block_end = |from: usize| {
        (from..lines.len())
            .find(|&i| lines[i].trim() == "```")
            .expect("every block is closed")
    };
    let mut answers = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim() != "```graphql" {
            i += 1;
            continue;
        }
        let end = block_end(i + 1);
        let query = lines[i + 1..end].join("\n");
        let mut next = end + 1;
        while next < lines.len()
            && (lines[next].trim().is_empty()
                || lines[next].trim() == "The answer, from the built-in dataset:")
        {
            next += 1;
        }
        if next < lines.len() && lines[next].trim() == "```json" {
            let json_end = block_end(next + 1);
            let text = lines[next + 1..json_end].join("\n");
            let answer = serde_json::from_str(&text).unwrap_or_else(|error| {
                panic!("README.md:{}: the answer is not JSON: {error}", next + 2)
            });
            answers.push((i + 2, query, answer));
            i = json_end + 1;
        } else {
            i = end + 1;
        }
    }
    answers
}

/// What of an answer the README can promise on `backend`. The README prints SQLite's answers;
/// PostgreSQL ranks search hits with `ts_rank` rather than BM25, so there a search answer is
/// compared without its order and cursors (the same hits, the same count).
fn comparable(answer: &serde_json::Value, backend: Backend, query: &str) -> serde_json::Value {
    let mut answer = answer.clone();
    if backend == Backend::Postgres
        && query.contains("search(")
        && let Some(search) = answer.pointer_mut("/data/search")
    {
        search["pageInfo"]["endCursor"] = serde_json::Value::Null;
        search["edges"] = serde_json::Value::Null;
    }
    answer
}

api_test! {
    async fn every_answer_the_readme_prints_is_the_live_answer(app) {
        let answers = readme_answers();
        assert!(answers.len() >= 5, "the README's answers were not found: {}", answers.len());
        let mut stale = Vec::new();
        for (line, query, printed) in answers {
            let (status, body) = app.post_graphql(&query, json!({})).await;
            assert_eq!(status, 200, "README.md:{line}: {body:#}");
            let live = if printed.get("data").is_some() { body } else { body["data"].clone() };
            if comparable(&live, app.backend, &query) != comparable(&printed, app.backend, &query) {
                stale.push(format!("README.md:{line}: the README's answer is not the live one, which is:\n{live:#}"));
            }
        }
        assert!(stale.is_empty(), "{} of the README's answers are stale:\n{}", stale.len(), stale.join("\n"));
    }
}
