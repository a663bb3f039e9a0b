//! Each rule the dataset obeys, broken once in a small fixture: the load fails, and the
//! error names the file, the record and the rule.

use nkhr::dataset::{self, DatasetFiles, Rule, Violation};

use crate::harness::{tiny_dataset, tiny_dataset_edited};

/// Loads `files`, which must fail, and returns the violations.
fn violations(files: &DatasetFiles) -> Vec<Violation> {
    match dataset::load(files) {
        Ok(_) => panic!("the broken dataset loaded"),
        Err(error) => error.violations,
    }
}

/// Asserts that loading `files` reports `rule` against `record` in `file`, and that the
/// printed error says all three.
fn assert_violation(files: &DatasetFiles, file: &str, record: &str, rule: Rule) {
    let found = violations(files);
    let hit = found
        .iter()
        .find(|v| v.rule == rule && v.file == file && v.record.contains(record))
        .unwrap_or_else(|| {
            panic!("no [{rule}] violation for {record} in {file}; found: {found:#?}")
        });
    let printed = hit.to_string();
    for part in [file, record, rule.code()] {
        assert!(
            printed.contains(part),
            "the message {printed:?} does not name {part:?}"
        );
    }
}

#[test]
fn the_tiny_fixture_is_valid() {
    let dataset = dataset::load(&tiny_dataset()).expect("the fixture is valid");
    assert_eq!(dataset.claims.len(), 3);
    assert_eq!(dataset.relations.len(), 2);
}

#[test]
fn the_built_in_dataset_is_valid() {
    let dataset = dataset::load(&DatasetFiles::embedded()).expect("the built-in dataset is valid");
    assert_eq!(dataset.sources.len(), 2);
}

#[test]
fn an_unknown_field_breaks_the_file_format_rule() {
    let files = tiny_dataset_edited(
        "claims.toml",
        "kind = \"fact\"\ndate",
        "kind = \"fact\"\ncolour = \"red\"\ndate",
    );
    assert_violation(&files, "claims.toml", "the file (line", Rule::FileFormat);
}

#[test]
fn a_file_no_source_names_is_refused_rather_than_ignored() {
    let mut files: Vec<(String, Vec<u8>)> = tiny_dataset()
        .iter()
        .map(|(p, b)| (p.to_owned(), b.to_vec()))
        .collect();
    files.push(("sources/stray.txt".to_owned(), b"stray".to_vec()));
    let files = DatasetFiles::from_files("edited", files);
    assert_violation(&files, "sources/stray.txt", "the file", Rule::FileFormat);
}

#[test]
fn a_slug_used_twice_breaks_the_unique_slug_rule() {
    let files = tiny_dataset_edited(
        "entities.toml",
        "slug = \"watchdog\"",
        "slug = \"ministry\"",
    );
    assert_violation(
        &files,
        "entities.toml",
        "actor \"ministry\"",
        Rule::UniqueSlug,
    );
}

#[test]
fn a_changed_source_text_breaks_the_source_integrity_rule() {
    let files = tiny_dataset_edited("sources/tiny.txt", "January", "February");
    assert_violation(
        &files,
        "sources.toml",
        "source \"tiny-report\"",
        Rule::SourceIntegrity,
    );
}

#[test]
fn a_retyped_quote_breaks_the_quote_verbatim_rule() {
    let files = tiny_dataset_edited(
        "claims.toml",
        "The closure has likely hurt traders.",
        "The closure has likely hurt the traders.",
    );
    assert_violation(
        &files,
        "claims.toml",
        "claim \"tiny-traders\"",
        Rule::QuoteVerbatim,
    );
}

#[test]
fn an_ambiguous_quote_must_say_which_occurrence_it_means() {
    let files = tiny_dataset_edited("claims.toml", "occurrence = 1\n", "");
    let found = violations(&files);
    let hit = found
        .iter()
        .find(|v| v.rule == Rule::QuoteVerbatim)
        .expect("a quote-verbatim violation");
    assert_eq!(hit.record, "claim \"tiny-closure\"");
    assert!(hit.message.contains("appears 2 times"), "{}", hit.message);
}

#[test]
fn the_loader_stores_the_offsets_of_the_occurrence_named() {
    let files = tiny_dataset_edited("claims.toml", "occurrence = 1", "occurrence = 2");
    let dataset = dataset::load(&files).expect("the second occurrence exists");
    let claim = dataset
        .claims
        .iter()
        .find(|c| c.record.slug == "tiny-closure")
        .expect("the claim");
    let text: Vec<char> = dataset.sources[0].text.chars().collect();
    let quoted: String = text[claim.start..claim.end].iter().collect();
    assert_eq!(quoted, claim.record.quote);
    assert!(
        claim.start > 100,
        "the second occurrence starts late in the text, not at {}",
        claim.start
    );
}

#[test]
fn a_relation_without_evidence_breaks_the_evidence_rule() {
    let files = tiny_dataset_edited(
        "claims.toml",
        "evidence = [\"tiny-traders\"]",
        "evidence = []",
    );
    assert_violation(
        &files,
        "claims.toml",
        "relation \"border-closure/affects/traders\"",
        Rule::EvidenceRequired,
    );
}

#[test]
fn evidence_that_is_not_about_the_relation_breaks_the_evidence_rule() {
    let files = tiny_dataset_edited(
        "claims.toml",
        "evidence = [\"tiny-traders\"]",
        "evidence = [\"tiny-shoot\"]",
    );
    assert_violation(
        &files,
        "claims.toml",
        "relation \"border-closure/affects/traders\"",
        Rule::EvidenceRequired,
    );
}

#[test]
fn a_reference_to_nothing_breaks_the_references_rule() {
    let files = tiny_dataset_edited(
        "claims.toml",
        "about = [\"border-closure\", \"watchdog\"]",
        "about = [\"border-closure\", \"nobody\"]",
    );
    assert_violation(
        &files,
        "claims.toml",
        "claim \"tiny-shoot\"",
        Rule::ReferencesResolve,
    );
}

#[test]
fn a_reference_to_the_wrong_kind_breaks_the_references_rule() {
    let files = tiny_dataset_edited(
        "entities.toml",
        "jurisdiction = \"ministry\"",
        "jurisdiction = \"border-closure\"",
    );
    assert_violation(
        &files,
        "entities.toml",
        "law \"border-law\"",
        Rule::ReferencesResolve,
    );
}

#[test]
fn a_date_more_precise_than_the_calendar_allows_breaks_the_date_rule() {
    let files = tiny_dataset_edited("claims.toml", "date = \"2020-01\"", "date = \"2020-13\"");
    assert_violation(
        &files,
        "claims.toml",
        "claim \"tiny-closure\"",
        Rule::DatePrecision,
    );
}

#[test]
fn a_date_that_is_not_iso_breaks_the_date_rule() {
    let files = tiny_dataset_edited(
        "entities.toml",
        "start = \"2020-01\"",
        "start = \"January 2020\"",
    );
    assert_violation(
        &files,
        "entities.toml",
        "measure \"border-closure\"",
        Rule::DatePrecision,
    );
}

#[test]
fn a_decade_a_qualified_and_an_approximate_date_are_accepted() {
    for date in [
        "1990s",
        "early 2020",
        "mid 2020",
        "late 2019",
        "late 2010s",
        "2019~",
        "2020-01~",
    ] {
        let files = tiny_dataset_edited(
            "entities.toml",
            "start = \"2020-01\"",
            &format!("start = \"{date}\""),
        );
        if let Err(error) = dataset::load(&files) {
            panic!("{date} was refused: {error}");
        }
    }
}

#[test]
fn a_malformed_decade_qualifier_or_approximation_breaks_the_date_rule() {
    for date in [
        "1995s",
        "1990's",
        "the 1990s",
        "mid-2020",
        "Early 2020",
        "early 2020-01",
        "late 2020~",
        "~2019",
        "2020~~",
    ] {
        let files = tiny_dataset_edited(
            "entities.toml",
            "start = \"2020-01\"",
            &format!("start = \"{date}\""),
        );
        assert_violation(
            &files,
            "entities.toml",
            "measure \"border-closure\"",
            Rule::DatePrecision,
        );
    }
}

#[test]
fn an_as_of_date_beside_an_end_breaks_the_date_rule() {
    let files = tiny_dataset_edited(
        "entities.toml",
        "start = \"2020-01\"",
        "start = \"2020-01\"\nend = \"2020-06\"\nas_of = \"2021\"",
    );
    assert_violation(
        &files,
        "entities.toml",
        "measure \"border-closure\"",
        Rule::DatePrecision,
    );
}

#[test]
fn an_as_of_date_before_the_start_breaks_the_date_rule() {
    let files = tiny_dataset_edited(
        "entities.toml",
        "start = \"2020-01\"",
        "start = \"2020-01\"\nas_of = \"2019\"",
    );
    assert_violation(
        &files,
        "entities.toml",
        "measure \"border-closure\"",
        Rule::DatePrecision,
    );
}

#[test]
fn a_source_published_in_a_decade_breaks_the_date_rule() {
    let files = tiny_dataset_edited(
        "sources.toml",
        "published = \"2021-03-10\"",
        "published = \"2020s\"",
    );
    assert_violation(
        &files,
        "sources.toml",
        "source \"tiny-report\"",
        Rule::DatePrecision,
    );
}

#[test]
fn a_period_that_ends_before_it_starts_breaks_the_date_rule() {
    let files = tiny_dataset_edited(
        "entities.toml",
        "start = \"2020-01\"",
        "start = \"2020-01\"\nend = \"2019\"",
    );
    assert_violation(
        &files,
        "entities.toml",
        "measure \"border-closure\"",
        Rule::DatePrecision,
    );
}

#[test]
fn a_claim_dated_after_its_source_breaks_the_text_time_rule() {
    let files = tiny_dataset_edited("claims.toml", "date = \"2020-01\"", "date = \"2022\"");
    assert_violation(
        &files,
        "claims.toml",
        "claim \"tiny-closure\"",
        Rule::TextTime,
    );
}

#[test]
fn a_relative_time_without_a_date_breaks_the_text_time_rule() {
    let text = "A Tiny Report\n\nThe Ministry closed the border in January 2020. According to Watchdog, guards were ordered to shoot. The closure has likely hurt traders. The Ministry closed the border in January 2020.\n";
    let with_relative = text.replace(
        "hurt traders.",
        "hurt traders. It is closed at the time of writing.",
    );
    let digest = {
        use sha2::{Digest, Sha256};
        hex::encode(Sha256::digest(with_relative.as_bytes()))
    };
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for (path, bytes) in tiny_dataset().iter() {
        let mut bytes = bytes.to_vec();
        match path {
            "sources/tiny.txt" => bytes = with_relative.clone().into_bytes(),
            "sources.toml" => {
                let old = "6e6b3cb88b388c8082aebe3acab0a90f3b91a401aea0422003bb89589ca93fb5";
                bytes = String::from_utf8(bytes)
                    .unwrap()
                    .replace(old, &digest)
                    .into_bytes();
            }
            "claims.toml" => {
                let mut text = String::from_utf8(bytes).unwrap();
                text.push_str("\n[[claim]]\nslug = \"tiny-still-closed\"\nsource = \"tiny-report\"\nquote = \"It is closed at the time of writing.\"\nstatement = \"The border is closed.\"\nabout = [\"border-closure\"]\ncertainty = \"stated\"\nkind = \"fact\"\n");
                bytes = text.into_bytes();
            }
            _ => {}
        }
        files.push((path.to_owned(), bytes));
    }
    let files = DatasetFiles::from_files("edited", files);
    assert_violation(
        &files,
        "claims.toml",
        "claim \"tiny-still-closed\"",
        Rule::TextTime,
    );
}

#[test]
fn a_hedged_quote_recorded_as_stated_breaks_the_hedge_rule() {
    let files = tiny_dataset_edited(
        "claims.toml",
        "certainty = \"likely\"",
        "certainty = \"stated\"",
    );
    assert_violation(
        &files,
        "claims.toml",
        "claim \"tiny-traders\"",
        Rule::HedgedNotStated,
    );
}

#[test]
fn an_attributed_quote_without_its_asserter_breaks_the_attribution_rule() {
    let files = tiny_dataset_edited("claims.toml", "asserted_by = [\"watchdog\"]\n", "");
    assert_violation(
        &files,
        "claims.toml",
        "claim \"tiny-shoot\"",
        Rule::AttributionNamed,
    );
}

#[test]
fn an_exclusion_of_a_sentence_the_source_lacks_breaks_the_exclusion_rule() {
    let files = tiny_dataset_edited(
        "claims.toml",
        "sentence = \"A Tiny Report\"",
        "sentence = \"A Small Report\"",
    );
    assert_violation(
        &files,
        "claims.toml",
        "exclusion #1",
        Rule::ExclusionMatches,
    );
}

#[test]
fn every_violation_is_reported_at_once() {
    let files = tiny_dataset_edited(
        "claims.toml",
        "certainty = \"likely\"",
        "certainty = \"stated\"",
    );
    let files = DatasetFiles::from_files(
        "edited twice",
        files.iter().map(|(path, bytes)| {
            let bytes = if path == "entities.toml" {
                String::from_utf8(bytes.to_vec())
                    .unwrap()
                    .replace("enacted = \"2020\"", "enacted = \"2020-1\"")
                    .into_bytes()
            } else {
                bytes.to_vec()
            };
            (path.to_owned(), bytes)
        }),
    );
    let rules: Vec<Rule> = violations(&files).into_iter().map(|v| v.rule).collect();
    assert!(
        rules.contains(&Rule::HedgedNotStated) && rules.contains(&Rule::DatePrecision),
        "{rules:?}"
    );
}

/// The tiny fixture with `relation` added to its claims.
fn with_relation(relation: &str) -> DatasetFiles {
    tiny_dataset_edited(
        "claims.toml",
        "[[exclusion]]",
        &format!("{relation}\n[[exclusion]]"),
    )
}

#[test]
fn an_inferred_relation_without_its_inference_breaks_the_relation_basis_rule() {
    let files = tiny_dataset_edited(
        "claims.toml",
        "evidence = [\"tiny-closure\"]",
        "evidence = [\"tiny-closure\"]\nbasis = \"inferred\"",
    );
    assert_violation(
        &files,
        "claims.toml",
        "relation \"border-closure/imposed_by/ministry\"",
        Rule::RelationBasis,
    );
}

#[test]
fn a_stated_relation_with_an_inference_breaks_the_relation_basis_rule() {
    let files = tiny_dataset_edited(
        "claims.toml",
        "evidence = [\"tiny-closure\"]",
        "evidence = [\"tiny-closure\"]\ninference = \"The editors read it so.\"",
    );
    assert_violation(
        &files,
        "claims.toml",
        "relation \"border-closure/imposed_by/ministry\"",
        Rule::RelationBasis,
    );
}

#[test]
fn an_inferred_relation_with_its_inference_loads() {
    let files = tiny_dataset_edited(
        "claims.toml",
        "evidence = [\"tiny-closure\"]",
        "evidence = [\"tiny-closure\"]\nbasis = \"inferred\"\ninference = \"The editors read it so.\"",
    );
    let dataset = dataset::load(&files).expect("an inferred relation with its inference is valid");
    let relation = &dataset.relations[0].record;
    assert_eq!(relation.basis, nkhr::domain::RelationBasis::Inferred);
    assert_eq!(
        relation.inference.as_deref(),
        Some("The editors read it so.")
    );
}

#[test]
fn a_relation_asserted_by_an_unknown_actor_breaks_the_references_rule() {
    let files = tiny_dataset_edited(
        "claims.toml",
        "evidence = [\"tiny-closure\"]",
        "evidence = [\"tiny-closure\"]\nasserted_by = \"nobody\"",
    );
    assert_violation(
        &files,
        "claims.toml",
        "relation \"border-closure/imposed_by/ministry\"",
        Rule::ReferencesResolve,
    );
}

#[test]
fn a_relation_asserted_by_someone_its_evidence_does_not_attribute_breaks_the_attribution_rule() {
    let files = tiny_dataset_edited(
        "claims.toml",
        "evidence = [\"tiny-closure\"]",
        "evidence = [\"tiny-closure\"]\nasserted_by = \"watchdog\"",
    );
    assert_violation(
        &files,
        "claims.toml",
        "relation \"border-closure/imposed_by/ministry\"",
        Rule::AttributionNamed,
    );
}

#[test]
fn a_relation_resting_only_on_attributed_claims_names_who_asserts_it() {
    let relation = "[[relation]]\nsubject = \"border-closure\"\ntype = \"targets\"\nobject = \"traders\"\nevidence = [\"tiny-shoot\"]\n";
    let about = (
        "about = [\"border-closure\", \"watchdog\"]",
        "about = [\"border-closure\", \"watchdog\", \"traders\"]",
    );
    let unnamed = edited_twice(relation, about);
    assert_violation(
        &unnamed,
        "claims.toml",
        "relation \"border-closure/targets/traders\"",
        Rule::AttributionNamed,
    );

    let named = edited_twice(
        &relation.replace("evidence", "asserted_by = \"watchdog\"\nevidence"),
        about,
    );
    dataset::load(&named).expect("naming the asserter satisfies the rule");
}

/// The tiny fixture with `relation` added and one more replacement in its claims.
fn edited_twice(relation: &str, (from, to): (&str, &str)) -> DatasetFiles {
    let files = with_relation(relation);
    let edited: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|(path, bytes)| {
            let bytes = if path == "claims.toml" {
                let text = String::from_utf8(bytes.to_vec()).expect("UTF-8");
                assert!(text.contains(from), "claims.toml does not contain {from:?}");
                text.replacen(from, to, 1).into_bytes()
            } else {
                bytes.to_vec()
            };
            (path.to_owned(), bytes)
        })
        .collect();
    DatasetFiles::from_files("tests/fixtures/tiny (edited)", edited)
}

#[test]
fn a_causal_relation_whose_quotes_give_no_cause_breaks_the_causal_marker_rule() {
    let relation = "[[relation]]\nsubject = \"traders\"\ntype = \"caused_by\"\nobject = \"border-closure\"\nevidence = [\"tiny-traders\"]\n";
    assert_violation(
        &with_relation(relation),
        "claims.toml",
        "relation \"traders/caused_by/border-closure\"",
        Rule::CausalMarker,
    );

    let inferred = relation.replace(
        "evidence",
        "basis = \"inferred\"\ninference = \"The quote says the closure hurt traders, not that it caused them.\"\nevidence",
    );
    dataset::load(&with_relation(&inferred)).expect("an inferred causal relation is valid");
}

#[test]
fn an_editorial_description_that_names_a_source_breaks_the_description_basis_rule() {
    for named in [
        "A Tiny Report",
        "tiny-report",
        "the 2021 report",
        "the text",
    ] {
        let files = tiny_dataset_edited(
            "entities.toml",
            "description = \"Author of the tiny report.\"",
            &format!("description = \"Author of {named}.\""),
        );
        assert_violation(
            &files,
            "entities.toml",
            "actor \"analyst\"",
            Rule::DescriptionBasis,
        );
    }
}

#[test]
fn a_description_resting_on_claims_needs_a_claim_about_the_entity() {
    let files = tiny_dataset_edited("entities.toml", "description_basis = \"editorial\"\n", "");
    assert_violation(
        &files,
        "entities.toml",
        "actor \"analyst\"",
        Rule::DescriptionBasis,
    );
}

#[test]
fn a_number_in_a_statement_that_its_quote_lacks_breaks_the_statement_numbers_rule() {
    let added = tiny_dataset_edited(
        "claims.toml",
        "statement = \"Watchdog says guards were ordered to shoot.\"",
        "statement = \"Watchdog says 40 guards were ordered to shoot.\"",
    );
    assert_violation(
        &added,
        "claims.toml",
        "claim \"tiny-shoot\"",
        Rule::StatementNumbers,
    );

    let explained = tiny_dataset_edited(
        "claims.toml",
        "statement = \"Watchdog says guards were ordered to shoot.\"",
        "statement = \"Watchdog says 40 guards were ordered to shoot.\"\nnote = \"The 40 guards are counted in the report's annex.\"",
    );
    dataset::load(&explained).expect("a note that explains the number satisfies the rule");
}

#[test]
fn a_statement_that_drops_its_quotes_hedge_breaks_the_hedge_kept_rule() {
    let files = tiny_dataset_edited(
        "claims.toml",
        "statement = \"The closure has probably hurt traders.\"",
        "statement = \"The closure has hurt traders.\"",
    );
    assert_violation(
        &files,
        "claims.toml",
        "claim \"tiny-traders\"",
        Rule::HedgeKept,
    );
}

#[test]
fn an_addressee_no_quote_names_breaks_the_addressee_named_rule_unless_inferred() {
    let relation = "[[relation]]\nsubject = \"border-closure\"\ntype = \"addressed_to\"\nobject = \"traders\"\nevidence = [\"tiny-closure\"]\n";
    let about = (
        "about = [\"ministry\", \"border-closure\", \"border-law\"]",
        "about = [\"ministry\", \"border-closure\", \"border-law\", \"traders\"]",
    );
    assert_violation(
        &edited_twice(relation, about),
        "claims.toml",
        "relation \"border-closure/addressed_to/traders\"",
        Rule::AddresseeNamed,
    );

    let inferred = relation.replace(
        "evidence",
        "basis = \"inferred\"\ninference = \"The closure is read as meant for the traders.\"\nevidence",
    );
    dataset::load(&edited_twice(&inferred, about)).expect("an inferred addressee is valid");

    let named = relation.replace("object = \"traders\"", "object = \"ministry\"");
    dataset::load(&with_relation(&named)).expect("an addressee the quote names is valid");
}

#[test]
fn a_quote_not_in_its_text_is_told_the_closest_passage_and_how_it_differs() {
    let files = tiny_dataset_edited(
        "claims.toml",
        "quote = \"According to Watchdog, guards were ordered to shoot.\"",
        "quote = \"According to Watchdog, guards were told to shoot.\"",
    );
    let found = violations(&files);
    let hit = found
        .iter()
        .find(|v| v.rule == Rule::QuoteVerbatim && v.record.contains("tiny-shoot"))
        .unwrap_or_else(|| panic!("no quote-verbatim violation: {found:#?}"));
    assert!(
        hit.message
            .contains("the closest passage, at 63–115, is \"According to Watchdog, guards were ordered to shoot.\""),
        "{}",
        hit.message
    );
    assert!(
        hit.message
            .contains("Text at 98: \"told\" in the quote, \"ordered\" in the text"),
        "{}",
        hit.message
    );
}

#[test]
fn a_claim_dated_after_its_text_was_written_breaks_the_text_time_rule() {
    // Published in March 2021, but written by December 2019: its January 2020 is too late.
    let files = tiny_dataset_edited(
        "sources.toml",
        "published = \"2021-03-10\"",
        "published = \"2021-03-10\"\nwritten_from = \"2019\"\nwritten_until = \"2019-12\"\nwritten_note = \"Written in 2019.\"",
    );
    assert_violation(
        &files,
        "claims.toml",
        "claim \"tiny-closure\"",
        Rule::TextTime,
    );
    let printed = violations(&files)
        .iter()
        .find(|v| v.record.contains("tiny-closure") && v.rule == Rule::TextTime)
        .map(ToString::to_string)
        .unwrap_or_default();
    assert!(
        printed.contains("after its source was written (2019-12)"),
        "{printed}"
    );
}

#[test]
fn a_writing_time_without_its_reasoning_breaks_the_text_time_rule() {
    let files = tiny_dataset_edited(
        "sources.toml",
        "published = \"2021-03-10\"",
        "published = \"2021-03-10\"\nwritten_until = \"2020-11\"",
    );
    assert_violation(
        &files,
        "sources.toml",
        "source \"tiny-report\"",
        Rule::TextTime,
    );
}

#[test]
fn a_text_written_after_its_publication_breaks_the_text_time_rule() {
    let files = tiny_dataset_edited(
        "sources.toml",
        "published = \"2021-03-10\"",
        "published = \"2021-03-10\"\nwritten_until = \"2021-04\"\nwritten_note = \"Too late.\"",
    );
    assert_violation(
        &files,
        "sources.toml",
        "source \"tiny-report\"",
        Rule::TextTime,
    );
}

#[test]
fn a_writing_time_within_the_publication_loads() {
    let files = tiny_dataset_edited(
        "sources.toml",
        "published = \"2021-03-10\"",
        "published = \"2021-03-10\"\nwritten_from = \"2020-01\"\nwritten_until = \"2020-11\"\nwritten_note = \"Reports January 2020; speaks of November 2020 as to come.\"",
    );
    let dataset = dataset::load(&files).expect("the writing time fits the claims");
    assert_eq!(
        dataset.sources[0]
            .record
            .written_by()
            .map(|d| d.to_string()),
        Some("2020-11".to_owned())
    );
}

#[test]
fn a_stance_outside_the_vocabulary_breaks_the_fact_support_rule() {
    let files = tiny_dataset_edited(
        "claims.toml",
        "fact = \"border-closed-january-2020\"",
        "fact = \"border-closed-january-2020\"\nstance = \"agrees\"",
    );
    assert_violation(
        &files,
        "claims.toml",
        "claim \"tiny-closure\"",
        Rule::FactSupport,
    );
}

#[test]
fn a_stance_without_a_fact_breaks_the_fact_support_rule() {
    let files = tiny_dataset_edited(
        "claims.toml",
        "kind = \"assessment\"",
        "kind = \"assessment\"\nstance = \"mentions\"",
    );
    assert_violation(
        &files,
        "claims.toml",
        "claim \"tiny-traders\"",
        Rule::FactSupport,
    );
}

#[test]
fn a_fact_its_claims_only_mention_breaks_the_fact_support_rule() {
    let files = tiny_dataset_edited(
        "claims.toml",
        "fact = \"border-closed-january-2020\"",
        "fact = \"border-closed-january-2020\"\nstance = \"mentions\"",
    );
    assert_violation(
        &files,
        "entities.toml",
        "fact \"border-closed-january-2020\"",
        Rule::FactSupport,
    );
}

#[test]
fn every_fact_of_the_built_in_dataset_has_a_supporting_claim() {
    let dataset = dataset::load(&DatasetFiles::embedded()).expect("the built-in dataset is valid");
    for fact in &dataset.facts {
        let supporting = dataset
            .claims
            .iter()
            .filter(|c| c.record.fact.as_deref() == Some(fact.slug.as_str()))
            .filter(|c| {
                dataset::StanceField::of(&c.record.stance) == nkhr::domain::FactStance::Supports
            })
            .count();
        assert!(supporting > 0, "{} has no supporting claim", fact.slug);
    }
    let kim = dataset
        .claims
        .iter()
        .find(|c| c.record.slug == "fahy-2025-kim-jong-un-regime")
        .expect("the claim");
    assert_eq!(
        dataset::StanceField::of(&kim.record.stance),
        nkhr::domain::FactStance::Mentions
    );
}
