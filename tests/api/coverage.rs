//! The built-in dataset covers every asserting sentence of both sources: a sentence the
//! claims leave out fails the build, and so does a sentence set aside without a reason.

use nkhr::dataset::{self, DatasetFiles, coverage};

/// The sources the dataset was written to cover, by slug.
const SOURCES: [&str; 2] = ["dhrwg-2021-continue-to-decline", "fahy-2025-a-new-low"];

#[test]
fn every_asserting_sentence_of_both_sources_is_covered_by_claims() {
    let dataset = dataset::load(&DatasetFiles::embedded()).expect("the built-in dataset is valid");

    let report = coverage::report(&dataset);

    let mut measured: Vec<&str> = report.iter().map(|c| c.source.as_str()).collect();
    measured.sort_unstable();
    assert_eq!(measured, SOURCES, "coverage is measured for each source");
    for source in &report {
        eprintln!(
            "{}: {} of {} asserting sentences covered ({:.1}%), {} excluded, {:.1}% of asserting characters quoted",
            source.source,
            source.covered,
            source.asserting,
            source.percent(),
            source.excluded,
            100.0 * source.character_share,
        );
        assert!(
            source.asserting > source.excluded,
            "{}: most sentences assert something",
            source.source
        );
        let uncovered: Vec<&str> = source
            .uncovered
            .iter()
            .map(|(sentence, _)| sentence.text.as_str())
            .collect();
        assert!(
            uncovered.is_empty() && source.covered == source.asserting,
            "{}: {:.1}% covered; no claim quotes enough of: {uncovered:#?}",
            source.source,
            source.percent()
        );
        assert_eq!(source.percent(), 100.0);
    }
}

#[test]
fn every_exclusion_says_why_its_sentence_asserts_nothing() {
    let dataset = dataset::load(&DatasetFiles::embedded()).expect("the built-in dataset is valid");

    assert!(
        !dataset.exclusions.is_empty(),
        "headings and bylines are set aside"
    );
    for exclusion in &dataset.exclusions {
        assert!(
            SOURCES.contains(&exclusion.source.as_str()),
            "{exclusion:?} names an unknown source"
        );
        assert!(
            !exclusion.sentence.trim().is_empty(),
            "{exclusion:?} names no sentence"
        );
        assert!(
            exclusion.reason.split_whitespace().count() >= 3,
            "the exclusion of {:?} ({}) gives no reason",
            exclusion.sentence,
            exclusion.source
        );
    }
}
