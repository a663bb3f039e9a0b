//! The documentation's examples are part of the contract: every GraphQL example in the README
//! runs on the real dataset without an error, on SQLite and PostgreSQL. (The contract checks in
//! `tests/contract/` also validate them with graphql-js, the validator clients run.)

use serde_json::json;

use crate::harness::api_test;

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
            examples.push((number + 2, body.join("\n")));
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
