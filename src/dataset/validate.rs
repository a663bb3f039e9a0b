//! Reading the dataset files and checking every rule.
//!
//! Checking happens in passes — parse every file, register every slug, then check each
//! record against the rest — so that a reference to a record defined in a later file
//! resolves, and so that one run reports every violation rather than stopping at the first.

use std::collections::{HashMap, HashSet};

use sha2::{Digest, Sha256};

use super::{
    ChangelogEntry, Claim, Dataset, DatasetError, DatasetFiles, DateField, Relation, Rule, Source,
    Violation, coverage, markers, records::*,
};
use crate::domain::{
    Certainty, DescriptionBasis, EntityKind, FactStance, RelationBasis, RelationType,
};

/// Reads and checks a dataset. Fails with every violation found if any rule is broken.
pub fn load(files: &DatasetFiles) -> Result<Dataset, DatasetError> {
    let mut checker = Checker::default();
    let parsed = checker.parse(files);
    let index = checker.index(&parsed);
    let sources = checker.sources(files, &parsed, &index);
    let claims = checker.claims(&parsed, &index, &sources);
    checker.entities(&parsed, &index, &claims);
    let relations = checker.relations(&parsed, &index, &claims);
    checker.facts(&parsed, &claims);
    checker.exclusions(&parsed, &sources);
    let changelog = checker.changelog(&parsed, &index, &relations);

    if !checker.violations.is_empty() {
        return Err(DatasetError {
            origin: files.origin().to_owned(),
            violations: checker.violations,
        });
    }

    let mut dataset = Dataset {
        version: files.digest(),
        sources: sources.into_values().map(|(_, source)| source).collect(),
        actors: collect(&parsed, |f| &f.actor),
        laws: collect(&parsed, |f| &f.law),
        measures: collect(&parsed, |f| &f.measure),
        events: collect(&parsed, |f| &f.event),
        recommendations: collect(&parsed, |f| &f.recommendation),
        facts: collect(&parsed, |f| &f.fact),
        claims: claims.into_values().map(|(_, claim)| claim).collect(),
        relations,
        exclusions: collect(&parsed, |f| &f.exclusion),
        changelog,
    };
    dataset.sources.sort_by(|a, b| {
        (a.record.published.date, &a.record.slug).cmp(&(b.record.published.date, &b.record.slug))
    });
    dataset.claims.sort_by(|a, b| {
        (&a.record.source, a.start, &a.record.slug).cmp(&(
            &b.record.source,
            b.start,
            &b.record.slug,
        ))
    });
    Ok(dataset)
}

fn collect<T: Clone>(
    parsed: &[(String, DatasetFile)],
    field: impl Fn(&DatasetFile) -> &Vec<T>,
) -> Vec<T> {
    parsed
        .iter()
        .flat_map(|(_, file)| field(file).iter().cloned())
        .collect()
}

/// Where every slug is defined, by namespace.
#[derive(Default)]
struct Index<'a> {
    entities: HashMap<&'a str, EntityKind>,
    sources: HashMap<&'a str, &'a SourceRecord>,
    claims: HashMap<&'a str, &'a ClaimRecord>,
    facts: HashSet<&'a str>,
    /// Each entity's name and aliases, the words a text may name it by.
    names: HashMap<&'a str, Vec<&'a str>>,
}

#[derive(Default)]
struct Checker {
    violations: Vec<Violation>,
}

fn label(kind: &str, slug: &str) -> String {
    format!("{kind} \"{slug}\"")
}

fn is_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

impl Checker {
    fn violate(
        &mut self,
        file: &str,
        record: impl Into<String>,
        rule: Rule,
        message: impl Into<String>,
    ) {
        self.violations.push(Violation {
            file: file.to_owned(),
            record: record.into(),
            rule,
            message: message.into(),
        });
    }

    /// Parses every `.toml` file; every other file must be a source text some source names,
    /// or documentation (`.md`).
    fn parse(&mut self, files: &DatasetFiles) -> Vec<(String, DatasetFile)> {
        let mut parsed = Vec::new();
        for (path, bytes) in files.iter() {
            if !path.ends_with(".toml") {
                continue;
            }
            let text = match std::str::from_utf8(bytes) {
                Ok(text) => text,
                Err(_) => {
                    self.violate(path, "the file", Rule::FileFormat, "the file is not UTF-8");
                    continue;
                }
            };
            match toml::from_str::<DatasetFile>(text) {
                Ok(file) => parsed.push((path.to_owned(), file)),
                Err(error) => {
                    let message = error.message().to_owned();
                    let place = error
                        .span()
                        .map(|span| {
                            let line = text[..span.start].matches('\n').count() + 1;
                            format!(" (line {line})")
                        })
                        .unwrap_or_default();
                    self.violate(path, format!("the file{place}"), Rule::FileFormat, message);
                }
            }
        }
        let named: HashSet<&str> = parsed
            .iter()
            .flat_map(|(_, file)| file.source.iter().map(|s| s.file.as_str()))
            .collect();
        for (path, _) in files.iter() {
            let known = path.ends_with(".toml") || path.ends_with(".md") || named.contains(path);
            if !known {
                self.violate(
                    path,
                    "the file",
                    Rule::FileFormat,
                    "no source names this file as its text, so it would be silently ignored",
                );
            }
        }
        parsed
    }

    /// Registers every slug, refusing duplicates and malformed slugs.
    fn index<'a>(&mut self, parsed: &'a [(String, DatasetFile)]) -> Index<'a> {
        let mut index = Index::default();
        let mut seen: HashMap<(&str, &str), &str> = HashMap::new();
        let mut register = |checker: &mut Checker,
                            file: &'a str,
                            namespace: &'static str,
                            kind: &str,
                            slug: &'a str| {
            if !is_slug(slug) {
                checker.violate(
                    file,
                    label(kind, slug),
                    Rule::FileFormat,
                    "a slug is lower-case letters and digits in words joined by single hyphens",
                );
            }
            if let Some(first) = seen.insert((namespace, slug), file) {
                checker.violate(
                    file,
                    label(kind, slug),
                    Rule::UniqueSlug,
                    format!("the slug is already used by another {namespace} record in {first}"),
                );
                return false;
            }
            true
        };
        for (file, records) in parsed {
            let entities = records
                .actor
                .iter()
                .map(|r| (EntityKind::Actor, r.slug.as_str()))
                .chain(
                    records
                        .law
                        .iter()
                        .map(|r| (EntityKind::Law, r.slug.as_str())),
                )
                .chain(
                    records
                        .measure
                        .iter()
                        .map(|r| (EntityKind::Measure, r.slug.as_str())),
                )
                .chain(
                    records
                        .event
                        .iter()
                        .map(|r| (EntityKind::Event, r.slug.as_str())),
                )
                .chain(
                    records
                        .recommendation
                        .iter()
                        .map(|r| (EntityKind::Recommendation, r.slug.as_str())),
                );
            let named = records
                .actor
                .iter()
                .map(|r| (r.slug.as_str(), &r.name, &r.aliases))
                .chain(
                    records
                        .law
                        .iter()
                        .map(|r| (r.slug.as_str(), &r.name, &r.aliases)),
                )
                .chain(
                    records
                        .measure
                        .iter()
                        .map(|r| (r.slug.as_str(), &r.name, &r.aliases)),
                )
                .chain(
                    records
                        .event
                        .iter()
                        .map(|r| (r.slug.as_str(), &r.name, &r.aliases)),
                )
                .chain(
                    records
                        .recommendation
                        .iter()
                        .map(|r| (r.slug.as_str(), &r.name, &r.aliases)),
                );
            for (slug, name, aliases) in named {
                let words =
                    std::iter::once(name.as_str()).chain(aliases.iter().map(String::as_str));
                index.names.entry(slug).or_default().extend(words);
            }
            for (kind, slug) in entities {
                if register(self, file, "entity", kind.as_str(), slug) {
                    index.entities.insert(slug, kind);
                }
            }
            // Former slugs are reserved forever: none may be another record's slug, current
            // or former, in the same namespace.
            let formers = records
                .actor
                .iter()
                .flat_map(|r| &r.former_slugs)
                .chain(records.law.iter().flat_map(|r| &r.former_slugs))
                .chain(records.measure.iter().flat_map(|r| &r.former_slugs))
                .chain(records.event.iter().flat_map(|r| &r.former_slugs))
                .chain(records.recommendation.iter().flat_map(|r| &r.former_slugs))
                .map(|slug| ("entity", slug))
                .chain(
                    records
                        .source
                        .iter()
                        .flat_map(|r| &r.former_slugs)
                        .map(|s| ("source", s)),
                )
                .chain(
                    records
                        .claim
                        .iter()
                        .flat_map(|r| &r.former_slugs)
                        .map(|s| ("claim", s)),
                )
                .chain(
                    records
                        .fact
                        .iter()
                        .flat_map(|r| &r.former_slugs)
                        .map(|s| ("fact", s)),
                );
            for (namespace, slug) in formers {
                register(self, file, namespace, "former slug", slug);
            }
            for source in &records.source {
                if register(self, file, "source", "source", &source.slug) {
                    index.sources.insert(&source.slug, source);
                }
            }
            for claim in &records.claim {
                if register(self, file, "claim", "claim", &claim.slug) {
                    index.claims.insert(&claim.slug, claim);
                }
            }
            for fact in &records.fact {
                if register(self, file, "fact", "fact", &fact.slug) {
                    index.facts.insert(&fact.slug);
                }
            }
        }
        index
    }

    fn expect_entity(
        &mut self,
        index: &Index,
        file: &str,
        record: &str,
        field: &str,
        slug: &str,
        kind: Option<EntityKind>,
    ) {
        match (index.entities.get(slug), kind) {
            (None, _) => self.violate(
                file,
                record,
                Rule::ReferencesResolve,
                format!("`{field}` names \"{slug}\", which is not an entity"),
            ),
            (Some(found), Some(wanted)) if *found != wanted => self.violate(
                file,
                record,
                Rule::ReferencesResolve,
                format!("`{field}` names \"{slug}\", which is a {found}, not a {wanted}"),
            ),
            _ => {}
        }
    }

    /// Rule 3: every date is written in one of the forms `PartialDate` reads and exists; a
    /// period does not end before it starts.
    fn check_period(
        &mut self,
        file: &str,
        record: &str,
        (start_name, start): (&str, &Option<DateField>),
        (end_name, end): (&str, &Option<DateField>),
    ) {
        self.check_dates(file, record, &[(start_name, start), (end_name, end)]);
        if let (Some(start), Some(end)) = (DateField::of(start), DateField::of(end))
            && end.is_before(&start)
        {
            self.violate(
                file,
                record,
                Rule::DatePrecision,
                format!("the period ends ({end}) before it starts ({start})"),
            );
        }
    }

    /// Rule 3: an "as of" date is a well-formed date, says the period still holds when its
    /// end is unknown (so never beside an `end`), and does not come before the start.
    fn check_as_of(
        &mut self,
        file: &str,
        record: &str,
        start: &Option<DateField>,
        end: &Option<DateField>,
        as_of: &Option<DateField>,
    ) {
        self.check_dates(file, record, &[("as_of", as_of)]);
        if as_of.is_some() && end.is_some() {
            self.violate(
                file,
                record,
                Rule::DatePrecision,
                "`as_of` says the period still holds at a date, its end unknown; a record with an `end` takes no `as_of`",
            );
        }
        if let (Some(start), Some(as_of)) = (DateField::of(start), DateField::of(as_of))
            && as_of.is_before(&start)
        {
            self.violate(
                file,
                record,
                Rule::DatePrecision,
                format!("the period is said to hold as of {as_of}, before it starts ({start})"),
            );
        }
    }

    /// Rule 3: each of `fields` that is given is a well-formed date.
    fn check_dates(&mut self, file: &str, record: &str, fields: &[(&str, &Option<DateField>)]) {
        for (name, field) in fields {
            if let Some(field) = field
                && field.date.is_none()
            {
                self.violate(
                        file,
                        record,
                        Rule::DatePrecision,
                        format!("`{name}` is {:?}; write a date as precise as the text and no more: YYYY, YYYY-MM or YYYY-MM-DD, a decade as YYY0s (\"1990s\"), \"early\", \"mid\" or \"late\" and a year or decade (\"early 2020\"), or a year, month or day with a trailing `~` when the text gives it as approximate (\"1995~\")", field.text),
                    );
            }
        }
    }

    /// Rules 3 and 4 for a source's writing time: well-formed dates, a period that ends no
    /// later than the publication, and the reasoning written down.
    fn check_writing_time(&mut self, file: &str, name: &str, record: &SourceRecord) {
        self.check_period(
            file,
            name,
            ("written_from", &record.written_from),
            ("written_until", &record.written_until),
        );
        let written = [
            ("written_from", DateField::of(&record.written_from)),
            ("written_until", DateField::of(&record.written_until)),
        ];
        if let Some(published) = record.published.date {
            for (field, date) in written {
                if let Some(date) = date
                    && date.is_after(&published)
                {
                    self.violate(
                        file,
                        name,
                        Rule::TextTime,
                        format!("`{field}` is {date}, after the text was published ({published})"),
                    );
                }
            }
        }
        let dated = record.written_from.is_some() || record.written_until.is_some();
        let noted = record
            .written_note
            .as_deref()
            .is_some_and(|note| !note.trim().is_empty());
        if dated && !noted {
            self.violate(
                file,
                name,
                Rule::TextTime,
                "a writing time is read off the text: say how in `written_note` (the latest event it reports, what it speaks of as still to come)",
            );
        }
        if !dated && record.written_note.is_some() {
            self.violate(
                file,
                name,
                Rule::TextTime,
                "`written_note` explains `written_from` or `written_until`; give them too",
            );
        }
    }

    /// Reads each source's text and checks it against its recorded digest.
    fn sources(
        &mut self,
        files: &DatasetFiles,
        parsed: &[(String, DatasetFile)],
        index: &Index,
    ) -> std::collections::BTreeMap<String, (String, Source)> {
        let mut sources = std::collections::BTreeMap::new();
        for (file, records) in parsed {
            for record in &records.source {
                let name = label("source", &record.slug);
                self.check_dates(
                    file,
                    &name,
                    &[("published", &Some(record.published.clone()))],
                );
                if let Some(published) = record.published.date
                    && !published.is_plain()
                {
                    self.violate(
                        file,
                        &name,
                        Rule::DatePrecision,
                        format!("`published` is {:?}; a source's publication date is a year, a month or a day (YYYY, YYYY-MM or YYYY-MM-DD)", record.published.text),
                    );
                }
                self.check_writing_time(file, &name, record);
                for author in &record.authors {
                    self.expect_entity(
                        index,
                        file,
                        &name,
                        "authors",
                        author,
                        Some(EntityKind::Actor),
                    );
                }
                if record.authors.is_empty() {
                    self.violate(
                        file,
                        &name,
                        Rule::ReferencesResolve,
                        "a source names at least one author",
                    );
                }
                if let Some(publisher) = &record.publisher {
                    self.expect_entity(
                        index,
                        file,
                        &name,
                        "publisher",
                        publisher,
                        Some(EntityKind::Actor),
                    );
                }
                let Some(bytes) = files.get(&record.file) else {
                    self.violate(
                        file,
                        &name,
                        Rule::SourceIntegrity,
                        format!("the text file {} does not exist", record.file),
                    );
                    continue;
                };
                let digest = hex::encode(Sha256::digest(bytes));
                if !digest.eq_ignore_ascii_case(&record.sha256) {
                    self.violate(
                        file,
                        &name,
                        Rule::SourceIntegrity,
                        format!(
                            "{} has SHA-256 {digest}, not the recorded {}",
                            record.file, record.sha256
                        ),
                    );
                    continue;
                }
                match String::from_utf8(bytes.to_vec()) {
                    Ok(text) => {
                        sources.insert(
                            record.slug.clone(),
                            (
                                file.clone(),
                                Source {
                                    record: record.clone(),
                                    text,
                                },
                            ),
                        );
                    }
                    Err(_) => self.violate(
                        file,
                        &name,
                        Rule::SourceIntegrity,
                        format!("{} is not UTF-8", record.file),
                    ),
                }
            }
        }
        sources
    }

    /// Locates every quote and checks each claim's references, dates, hedges and attributions.
    fn claims(
        &mut self,
        parsed: &[(String, DatasetFile)],
        index: &Index,
        sources: &std::collections::BTreeMap<String, (String, Source)>,
    ) -> std::collections::BTreeMap<String, (String, Claim)> {
        let mut claims = std::collections::BTreeMap::new();
        for (file, records) in parsed {
            for record in &records.claim {
                let name = label("claim", &record.slug);
                if record.about.is_empty() {
                    self.violate(
                        file,
                        &name,
                        Rule::ReferencesResolve,
                        "a claim is about at least one entity (`about`)",
                    );
                }
                for slug in &record.about {
                    self.expect_entity(index, file, &name, "about", slug, None);
                }
                for slug in &record.asserted_by {
                    self.expect_entity(
                        index,
                        file,
                        &name,
                        "asserted_by",
                        slug,
                        Some(EntityKind::Actor),
                    );
                }
                if let Some(fact) = &record.fact
                    && !index.facts.contains(fact.as_str())
                {
                    self.violate(
                        file,
                        &name,
                        Rule::ReferencesResolve,
                        format!("`fact` names \"{fact}\", which is not a fact"),
                    );
                }
                if let Some(stance) = &record.stance {
                    if stance.stance.is_none() {
                        self.violate(
                            file,
                            &name,
                            Rule::FactSupport,
                            format!("`stance` is {:?}; write \"supports\", \"mentions\" or \"disputes\"", stance.text),
                        );
                    }
                    if record.fact.is_none() {
                        self.violate(
                            file,
                            &name,
                            Rule::FactSupport,
                            "`stance` says how the claim bears on its `fact`; name the fact too",
                        );
                    }
                }
                if record.statement.trim().is_empty() {
                    self.violate(file, &name, Rule::FileFormat, "the statement is empty");
                }
                if let Some(quantity) = &record.quantity {
                    let unit_ok =
                        !quantity.unit.is_empty() && quantity.unit == quantity.unit.to_lowercase();
                    if !quantity.value.is_finite() || !unit_ok {
                        self.violate(
                            file,
                            &name,
                            Rule::FileFormat,
                            "a quantity has a finite value and a lower-case unit",
                        );
                    }
                }
                self.check_period(
                    file,
                    &name,
                    ("date", &record.date),
                    ("until", &record.until),
                );
                if record.until.is_some() && record.date.is_none() {
                    self.violate(
                        file,
                        &name,
                        Rule::DatePrecision,
                        "`until` ends a period that `date` starts; give `date` too",
                    );
                }
                self.check_wording(file, &name, record);

                let Some(source) = index.sources.get(record.source.as_str()) else {
                    self.violate(
                        file,
                        &name,
                        Rule::ReferencesResolve,
                        format!(
                            "`source` names \"{}\", which is not a source",
                            record.source
                        ),
                    );
                    continue;
                };
                let dates = [DateField::of(&record.date), DateField::of(&record.until)];
                if let Some(written) = source.written_by() {
                    // A text written in 2020 and published in 2021 vouches for nothing after
                    // its writing: its "current" and "now" are 2020's.
                    let when = if DateField::of(&source.written_until).is_some() {
                        "written"
                    } else {
                        "published"
                    };
                    for date in dates.into_iter().flatten() {
                        if date.is_after(&written) {
                            self.violate(
                                file,
                                &name,
                                Rule::TextTime,
                                format!("the claim is dated {date}, after its source was {when} ({written})"),
                            );
                        }
                    }
                }
                let Some((_, source)) = sources.get(&record.source) else {
                    continue; // The source's own violation is already reported.
                };
                if let Some((start, end)) = self.locate(file, &name, record, &source.text) {
                    claims.insert(
                        record.slug.clone(),
                        (
                            file.clone(),
                            Claim {
                                record: record.clone(),
                                start,
                                end,
                            },
                        ),
                    );
                }
            }
        }
        claims
    }

    /// Rules 4 and 5, and attribution, read off the quote's words.
    fn check_wording(&mut self, file: &str, name: &str, record: &ClaimRecord) {
        if let Some(hedge) = markers::find(&record.quote, markers::HEDGES)
            && record.certainty == Certainty::Stated
        {
            self.violate(
                file,
                name,
                Rule::HedgedNotStated,
                format!("the quote hedges (\"{hedge}\"), so its certainty cannot be `stated`"),
            );
        }
        if let Some(attribution) = markers::find(&record.quote, markers::ATTRIBUTIONS)
            && record.asserted_by.is_empty()
        {
            self.violate(
                    file,
                    name,
                    Rule::AttributionNamed,
                    format!("the quote attributes what it says (\"{attribution}\"); name who asserts it in `asserted_by`"),
                );
        }
        if let Some(hedge) = markers::find(&record.quote, markers::HEDGES)
            && markers::find(&record.statement, markers::HEDGES).is_none()
            && markers::find(&record.statement, markers::STATEMENT_HEDGES).is_none()
        {
            self.violate(
                file,
                name,
                Rule::HedgeKept,
                format!("the quote hedges (\"{hedge}\") and the statement does not; keep the hedge in the statement"),
            );
        }
        let explained: Vec<String> = markers::numbers(&record.quote)
            .into_iter()
            .chain(record.note.iter().flat_map(|note| markers::numbers(note)))
            .collect();
        for number in markers::numbers(&record.statement) {
            if !explained.contains(&number) {
                self.violate(
                    file,
                    name,
                    Rule::StatementNumbers,
                    format!("the statement says {number}, which its quote does not; say in the claim's `note` where it comes from"),
                );
            }
        }
        if let Some(relative) = markers::find(&record.quote, markers::RELATIVE_TIME)
            && record.date.is_none()
        {
            self.violate(
                    file,
                    name,
                    Rule::TextTime,
                    format!("the quote speaks of time relative to its text (\"{relative}\"); give the `date` it means in the text's own time"),
                );
        }
    }

    /// Finds the quote in the source text, returning its offsets in Unicode scalar values.
    fn locate(
        &mut self,
        file: &str,
        name: &str,
        record: &ClaimRecord,
        text: &str,
    ) -> Option<(usize, usize)> {
        if record.quote.trim().is_empty() || record.quote.trim() != record.quote {
            self.violate(
                file,
                name,
                Rule::QuoteVerbatim,
                "a quote is not empty and does not start or end with white space",
            );
            return None;
        }
        let found: Vec<usize> = text
            .match_indices(&record.quote)
            .map(|(at, _)| at)
            .collect();
        let at = match (found.len(), record.occurrence) {
            (0, _) => {
                self.violate(
                    file,
                    name,
                    Rule::QuoteVerbatim,
                    format!(
                        "the quote does not appear verbatim in source \"{}\"{}",
                        record.source,
                        closest_passage(text, &record.quote)
                    ),
                );
                return None;
            }
            (1, None | Some(1)) => found[0],
            (n, None) => {
                self.violate(
                    file,
                    name,
                    Rule::QuoteVerbatim,
                    format!(
                        "the quote appears {n} times in source \"{}\"; say which with `occurrence`",
                        record.source
                    ),
                );
                return None;
            }
            (n, Some(occurrence)) if occurrence == 0 || occurrence > n => {
                self.violate(
                    file,
                    name,
                    Rule::QuoteVerbatim,
                    format!("`occurrence` is {occurrence}, but the quote appears {n} time(s) in source \"{}\"", record.source),
                );
                return None;
            }
            (_, Some(occurrence)) => found[occurrence - 1],
        };
        let start = text[..at].chars().count();
        Some((start, start + record.quote.chars().count()))
    }

    /// Laws' jurisdictions, provisions and penalties; recommendations' sources; periods.
    fn entities(
        &mut self,
        parsed: &[(String, DatasetFile)],
        index: &Index,
        claims: &std::collections::BTreeMap<String, (String, Claim)>,
    ) {
        let about: HashSet<&str> = claims
            .values()
            .flat_map(|(_, claim)| claim.record.about.iter().map(String::as_str))
            .collect();
        // How a description can name a source: its slug, its title, or as the dataset's
        // descriptions refer to one, "the <year> <kind>" ("the 2025 commentary").
        let sources: Vec<(String, Vec<String>)> = index
            .sources
            .values()
            .map(|s| {
                let mut names = vec![s.slug.clone(), s.title.clone()];
                if let Some(date) = s.published.date {
                    names.push(format!("the {} {}", date.year_number(), s.kind));
                }
                (s.slug.clone(), names)
            })
            .collect();
        for (file, records) in parsed {
            let descriptions = records
                .actor
                .iter()
                .map(|r| ("actor", &r.slug, &r.description, r.description_basis))
                .chain(
                    records
                        .law
                        .iter()
                        .map(|r| ("law", &r.slug, &r.description, r.description_basis)),
                )
                .chain(
                    records
                        .measure
                        .iter()
                        .map(|r| ("measure", &r.slug, &r.description, r.description_basis)),
                )
                .chain(
                    records
                        .event
                        .iter()
                        .map(|r| ("event", &r.slug, &r.description, r.description_basis)),
                )
                .chain(records.recommendation.iter().map(|r| {
                    (
                        "recommendation",
                        &r.slug,
                        &r.description,
                        r.description_basis,
                    )
                }));
            for (kind, slug, description, basis) in descriptions {
                self.check_description(file, kind, slug, description, basis, &about, &sources);
            }
            for law in &records.law {
                let name = label("law", &law.slug);
                self.check_dates(file, &name, &[("enacted", &law.enacted)]);
                if let Some(jurisdiction) = &law.jurisdiction {
                    self.expect_entity(
                        index,
                        file,
                        &name,
                        "jurisdiction",
                        jurisdiction,
                        Some(EntityKind::Actor),
                    );
                }
                let evidence = law
                    .provision
                    .iter()
                    .map(|p| ("provision", &p.evidence))
                    .chain(law.penalty.iter().map(|p| ("penalty", &p.evidence)));
                for (what, claim) in evidence {
                    self.expect_evidence(index, claims, file, &name, what, claim, &[&law.slug]);
                }
            }
            for measure in &records.measure {
                let name = label("measure", &measure.slug);
                self.check_period(
                    file,
                    &name,
                    ("start", &measure.start),
                    ("end", &measure.end),
                );
                self.check_as_of(file, &name, &measure.start, &measure.end, &measure.as_of);
            }
            for event in &records.event {
                let name = label("event", &event.slug);
                self.check_period(file, &name, ("start", &event.start), ("end", &event.end));
                self.check_as_of(file, &name, &event.start, &event.end, &event.as_of);
            }
            for recommendation in &records.recommendation {
                if !index.sources.contains_key(recommendation.source.as_str()) {
                    self.violate(
                        file,
                        label("recommendation", &recommendation.slug),
                        Rule::ReferencesResolve,
                        format!(
                            "`source` names \"{}\", which is not a source",
                            recommendation.source
                        ),
                    );
                }
            }
        }
    }

    /// Checks that `claim` exists and is about every one of `ends`.
    #[expect(
        clippy::too_many_arguments,
        reason = "each argument names part of the message"
    )]
    fn expect_evidence(
        &mut self,
        index: &Index,
        claims: &std::collections::BTreeMap<String, (String, Claim)>,
        file: &str,
        name: &str,
        what: &str,
        claim: &str,
        ends: &[&str],
    ) {
        let Some(record) = index.claims.get(claim) else {
            self.violate(
                file,
                name,
                Rule::ReferencesResolve,
                format!("the {what}'s evidence \"{claim}\" is not a claim"),
            );
            return;
        };
        if !claims.contains_key(claim) {
            return; // The claim's own violation is already reported.
        }
        for end in ends {
            if !record.about.iter().any(|about| about == end) {
                self.violate(
                    file,
                    name,
                    Rule::EvidenceRequired,
                    format!("the {what}'s evidence \"{claim}\" is not about \"{end}\"; add it to the claim's `about`"),
                );
            }
        }
    }

    /// Every relation resolves and has evidence about both of its ends.
    fn relations(
        &mut self,
        parsed: &[(String, DatasetFile)],
        index: &Index,
        claims: &std::collections::BTreeMap<String, (String, Claim)>,
    ) -> Vec<Relation> {
        let mut relations = Vec::new();
        let mut keys: HashMap<String, String> = HashMap::new();
        for (file, records) in parsed {
            for record in &records.relation {
                let key = record.slug.clone().unwrap_or_else(|| {
                    format!(
                        "{}/{}/{}",
                        record.subject, record.relation_type, record.object
                    )
                });
                let name = label("relation", &key);
                if let Some(slug) = &record.slug
                    && !is_slug(slug)
                {
                    self.violate(
                        file,
                        &name,
                        Rule::FileFormat,
                        "a slug is lower-case letters and digits in words joined by single hyphens",
                    );
                }
                if let Some(first) = keys.insert(key.clone(), file.clone()) {
                    self.violate(
                        file,
                        &name,
                        Rule::UniqueSlug,
                        format!("a relation with this key is already in {first}; give one of them a `slug`"),
                    );
                }
                for former in &record.former_slugs {
                    if let Some(first) = keys.insert(former.clone(), file.clone()) {
                        self.violate(
                            file,
                            &name,
                            Rule::UniqueSlug,
                            format!("the former key {former:?} is already a relation's key or former key in {first}"),
                        );
                    }
                }
                self.expect_entity(index, file, &name, "subject", &record.subject, None);
                self.expect_entity(index, file, &name, "object", &record.object, None);
                self.check_period(file, &name, ("start", &record.start), ("end", &record.end));
                if record.evidence.is_empty() {
                    self.violate(
                        file,
                        &name,
                        Rule::EvidenceRequired,
                        "a relation has at least one evidence claim",
                    );
                }
                for claim in &record.evidence {
                    self.expect_evidence(
                        index,
                        claims,
                        file,
                        &name,
                        "relation",
                        claim,
                        &[&record.subject, &record.object],
                    );
                }
                self.check_basis(index, claims, file, &name, record);
                relations.push(Relation {
                    key,
                    record: record.clone(),
                });
            }
        }
        relations
    }

    /// How a relation is known: its basis and inference agree, whoever asserts it is an actor
    /// the evidence attributes it to, and a causal relation is stated only when a quote of its
    /// evidence gives the cause.
    fn check_basis(
        &mut self,
        index: &Index,
        claims: &std::collections::BTreeMap<String, (String, Claim)>,
        file: &str,
        name: &str,
        record: &RelationRecord,
    ) {
        let inference = record.inference.as_deref().map(str::trim);
        match (record.basis, inference) {
            (RelationBasis::Inferred, None | Some("")) => self.violate(
                file,
                name,
                Rule::RelationBasis,
                "an inferred relation writes its inference down: add `inference = \"…\"`",
            ),
            (RelationBasis::Stated, Some(_)) => self.violate(
                file,
                name,
                Rule::RelationBasis,
                "the relation has an `inference` but is not `basis = \"inferred\"`; a stated relation is said by its quotes",
            ),
            _ => {}
        }
        let evidence: Vec<&ClaimRecord> = record
            .evidence
            .iter()
            .filter_map(|slug| claims.get(slug).map(|(_, claim)| &claim.record))
            .collect();
        if let Some(actor) = &record.asserted_by {
            self.expect_entity(
                index,
                file,
                name,
                "asserted_by",
                actor,
                Some(EntityKind::Actor),
            );
            if index.entities.get(actor.as_str()) == Some(&EntityKind::Actor)
                && !evidence
                    .iter()
                    .any(|claim| claim.asserted_by.iter().any(|a| a == actor))
            {
                self.violate(
                    file,
                    name,
                    Rule::AttributionNamed,
                    format!(
                        "`asserted_by` names \"{actor}\", but no evidence claim is asserted by it"
                    ),
                );
            }
        } else if !evidence.is_empty()
            && evidence.len() == record.evidence.len()
            && evidence.iter().all(|claim| !claim.asserted_by.is_empty())
            // A relation about an actor's own saying ("the regime issued the denial", "the
            // reports are by Radio Free Asia") is the author's report of it, not the actor's.
            && !evidence.iter().flat_map(|claim| &claim.asserted_by).any(|actor| {
                actor == &record.subject || actor == &record.object
            })
        {
            let actor = &evidence[0].asserted_by[0];
            self.violate(
                file,
                name,
                Rule::AttributionNamed,
                format!("every evidence claim is attributed (to \"{actor}\" first); name who asserts the relation in `asserted_by`"),
            );
        }
        if record.relation_type == RelationType::AddressedTo
            && record.basis == RelationBasis::Stated
            && evidence.len() == record.evidence.len()
        {
            let names = index.names.get(record.object.as_str());
            let named = names.is_some_and(|names| {
                evidence
                    .iter()
                    .any(|claim| markers::find(&claim.quote, names).is_some())
            });
            if names.is_some() && !named {
                self.violate(
                    file,
                    name,
                    Rule::AddresseeNamed,
                    format!(
                        "no quote of its evidence names \"{}\" by its name or an alias; an addressee the text only implies is marked `basis = \"inferred\"` with its `inference`",
                        record.object
                    ),
                );
            }
        }
        if record.relation_type.is_causal()
            && record.basis == RelationBasis::Stated
            && evidence.len() == record.evidence.len()
            && !evidence
                .iter()
                .any(|claim| markers::find(&claim.quote, markers::CAUSAL).is_some())
        {
            self.violate(
                file,
                name,
                Rule::CausalMarker,
                format!(
                    "a `{}` relation is causal, but no quote of its evidence gives a cause ({}…); mark it `basis = \"inferred\"` with its `inference`",
                    record.relation_type,
                    markers::CAUSAL[..6]
                        .iter()
                        .map(|m| format!("\"{m}\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
    }

    /// An entity's description rests on the claims about it, or is labelled editorial and
    /// names no source: editorial text cannot borrow a source's authority.
    #[expect(
        clippy::too_many_arguments,
        reason = "each argument names part of the message"
    )]
    fn check_description(
        &mut self,
        file: &str,
        kind: &str,
        slug: &str,
        description: &str,
        basis: DescriptionBasis,
        about: &HashSet<&str>,
        sources: &[(String, Vec<String>)],
    ) {
        let name = label(kind, slug);
        match basis {
            DescriptionBasis::Claims if !about.contains(slug) => self.violate(
                file,
                &name,
                Rule::DescriptionBasis,
                "the description rests on claims, but no claim is about the entity; label it `description_basis = \"editorial\"` or add the claim",
            ),
            DescriptionBasis::Editorial => {
                let lower = description.to_lowercase();
                let named = sources
                    .iter()
                    .find(|(_, names)| {
                        names
                            .iter()
                            .any(|name| lower.contains(&name.to_lowercase()))
                    })
                    .map(|(slug, _)| format!("the source \"{slug}\""))
                    .or_else(|| {
                        markers::find(description, markers::ATTRIBUTIONS)
                            .or_else(|| markers::find(description, markers::CITING))
                            .map(|phrase| format!("\"{phrase}\""))
                    });
                if let Some(named) = named {
                    self.violate(
                        file,
                        &name,
                        Rule::DescriptionBasis,
                        format!("the description is editorial but names a source ({named}); an editorial description rests on no source, so either drop the reference or rest it on claims"),
                    );
                }
            }
            DescriptionBasis::Claims => {}
        }
    }

    /// Every fact has a claim, and at least one of its claims supports it: a fact that is
    /// only mentioned or disputed is no fact of the dataset.
    fn facts(
        &mut self,
        parsed: &[(String, DatasetFile)],
        claims: &std::collections::BTreeMap<String, (String, Claim)>,
    ) {
        let linked: HashSet<&str> = claims
            .values()
            .filter_map(|(_, c)| c.record.fact.as_deref())
            .collect();
        let supported: HashSet<&str> = claims
            .values()
            .filter(|(_, c)| StanceField::of(&c.record.stance) == FactStance::Supports)
            .filter_map(|(_, c)| c.record.fact.as_deref())
            .collect();
        for (file, records) in parsed {
            for fact in &records.fact {
                if !linked.contains(fact.slug.as_str()) {
                    self.violate(
                        file,
                        label("fact", &fact.slug),
                        Rule::EvidenceRequired,
                        "no claim states this fact",
                    );
                } else if !supported.contains(fact.slug.as_str()) {
                    self.violate(
                        file,
                        label("fact", &fact.slug),
                        Rule::FactSupport,
                        "no claim supports this fact: its claims only mention or dispute it",
                    );
                }
            }
        }
    }

    /// Every exclusion names one real sentence of its source, with a reason.
    fn exclusions(
        &mut self,
        parsed: &[(String, DatasetFile)],
        sources: &std::collections::BTreeMap<String, (String, Source)>,
    ) {
        let mut seen = HashSet::new();
        for (file, records) in parsed {
            for (position, exclusion) in records.exclusion.iter().enumerate() {
                let name = format!("exclusion #{} ({:?})", position + 1, exclusion.sentence);
                if exclusion.reason.trim().is_empty() {
                    self.violate(
                        file,
                        &name,
                        Rule::ExclusionMatches,
                        "an exclusion gives its reason",
                    );
                }
                let Some((_, source)) = sources.get(&exclusion.source) else {
                    self.violate(
                        file,
                        &name,
                        Rule::ReferencesResolve,
                        format!(
                            "`source` names \"{}\", which is not a source",
                            exclusion.source
                        ),
                    );
                    continue;
                };
                let sentences = coverage::sentences(&source.text);
                let matching = sentences
                    .iter()
                    .filter(|s| s.text == exclusion.sentence)
                    .count();
                if matching == 0 {
                    self.violate(
                        file,
                        &name,
                        Rule::ExclusionMatches,
                        format!(
                            "no sentence of source \"{}\" reads exactly so",
                            exclusion.source
                        ),
                    );
                }
                if !seen.insert((&exclusion.source, &exclusion.sentence)) {
                    self.violate(
                        file,
                        &name,
                        Rule::ExclusionMatches,
                        "the sentence is already excluded",
                    );
                }
            }
        }
    }
}

/// The slug namespace a changelog entry's kind names, or none for an unknown kind.
/// What the quote locator finds closest to a quote that is not in its text, for the message.
fn closest_passage(text: &str, quote: &str) -> String {
    let location = super::locate::locate(text, quote, 1);
    let Some(best) = location.closest.first() else {
        return String::new();
    };
    let differences: Vec<String> = best
        .differences
        .iter()
        .take(5)
        .map(|d| {
            format!(
                "{:?} at {}: {:?} in the quote, {:?} in the text",
                d.kind, d.at, d.passage, d.text
            )
        })
        .collect();
    format!(
        "; the closest passage, at {}–{}, is \"{}\" ({})",
        best.start,
        best.end,
        best.text,
        differences.join("; ")
    )
}

pub fn namespace_of(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "source" => "source",
        "actor" | "law" | "measure" | "event" | "recommendation" | "entity" => "entity",
        "fact" => "fact",
        "claim" => "claim",
        "relation" => "relation",
        _ => return None,
    })
}

impl Checker {
    /// Every changelog entry names a record: one in the files, or, with `retracted = true`,
    /// one that is no longer there; and it says why.
    fn changelog(
        &mut self,
        parsed: &[(String, DatasetFile)],
        index: &Index,
        relations: &[Relation],
    ) -> Vec<ChangelogEntry> {
        let mut entries = Vec::new();
        let relation_keys: HashSet<&str> = relations
            .iter()
            .flat_map(|r| {
                std::iter::once(r.key.as_str())
                    .chain(r.record.former_slugs.iter().map(String::as_str))
            })
            .collect();
        // An entity's current slug, by each of its former slugs: an entry naming an entity, or
        // a relation keyed by its ends, by a slug it had then still names it.
        let renamed: HashMap<&str, &str> = parsed
            .iter()
            .flat_map(|(_, f)| {
                let entities = f
                    .actor
                    .iter()
                    .map(|r| (&r.slug, &r.former_slugs))
                    .chain(f.law.iter().map(|r| (&r.slug, &r.former_slugs)))
                    .chain(f.measure.iter().map(|r| (&r.slug, &r.former_slugs)))
                    .chain(f.event.iter().map(|r| (&r.slug, &r.former_slugs)))
                    .chain(f.recommendation.iter().map(|r| (&r.slug, &r.former_slugs)));
                entities
                    .flat_map(|(slug, former)| {
                        former.iter().map(move |f| (f.as_str(), slug.as_str()))
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        let former = |namespace: &str, slug: &str| -> bool {
            parsed.iter().any(|(_, f)| match namespace {
                "source" => f
                    .source
                    .iter()
                    .any(|r| r.former_slugs.iter().any(|s| s == slug)),
                "claim" => f
                    .claim
                    .iter()
                    .any(|r| r.former_slugs.iter().any(|s| s == slug)),
                "fact" => f
                    .fact
                    .iter()
                    .any(|r| r.former_slugs.iter().any(|s| s == slug)),
                _ => renamed.contains_key(slug),
            })
        };
        let current_key = |key: &str| -> Option<String> {
            let mut parts = key.splitn(3, '/');
            let (subject, kind, object) = (parts.next()?, parts.next()?, parts.next()?);
            let now = |slug| *renamed.get(slug).unwrap_or(&slug);
            let current = format!("{}/{kind}/{}", now(subject), now(object));
            (current != key && relation_keys.contains(current.as_str())).then_some(current)
        };
        for (file, records) in parsed {
            for (position, change) in records.change.iter().enumerate() {
                let name = format!("change #{} ({:?})", position + 1, change.record);
                let Some((namespace, slug)) = change
                    .record
                    .split_once(':')
                    .and_then(|(kind, slug)| Some((namespace_of(kind)?, slug)))
                else {
                    self.violate(
                        file,
                        &name,
                        Rule::ChangelogNamesRecord,
                        "`record` is `<kind>:<slug>`, the kind being source, actor, law, measure, event, recommendation, entity, fact, claim or relation",
                    );
                    continue;
                };
                if change.reason.trim().is_empty() {
                    self.violate(
                        file,
                        &name,
                        Rule::ChangelogNamesRecord,
                        "a changelog entry gives its reason",
                    );
                }
                let renamed_key = match namespace {
                    "relation" if !relation_keys.contains(slug) => current_key(slug),
                    _ => None,
                };
                let slug = renamed_key.as_deref().unwrap_or(slug);
                let present = match namespace {
                    "source" => index.sources.contains_key(slug),
                    "entity" => index.entities.contains_key(slug),
                    "fact" => index.facts.contains(slug),
                    "claim" => index.claims.contains_key(slug),
                    _ => relation_keys.contains(slug),
                } || (namespace != "relation" && former(namespace, slug));
                if present && change.retracted {
                    self.violate(
                        file,
                        &name,
                        Rule::ChangelogNamesRecord,
                        "the entry says the record was removed (`retracted = true`), but the files still hold it",
                    );
                } else if !present && !change.retracted {
                    self.violate(
                        file,
                        &name,
                        Rule::ChangelogNamesRecord,
                        format!("no {namespace} in the files has the slug {slug:?}; an entry explaining a removal says `retracted = true`"),
                    );
                }
                let mut hasher = Sha256::new();
                hasher.update(format!(
                    "{}\u{1f}{}\u{1f}{}\u{1f}{}",
                    change.record, change.reason, change.correction, change.retracted
                ));
                entries.push(ChangelogEntry {
                    file: file.clone(),
                    position: position + 1,
                    namespace,
                    slug: slug.to_owned(),
                    record: change.clone(),
                    digest: hex::encode(hasher.finalize()),
                });
            }
        }
        entries
    }
}
