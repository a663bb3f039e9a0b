//! Importing a checked dataset into the database.
//!
//! The files are an import, not a mirror: every record keeps an identity minted the first time
//! it is imported (see [`super::identity`]), and every change to it is a revision. An import
//! matches each record of the files to its identity (by its current slug, then by its former
//! slugs, then by an explicit `id`), compares the record as the API describes it (its
//! *snapshot*, with references to other records by identity, so renaming one record changes
//! no other) with the state the last revision left, and writes a revision for exactly what
//! differs: `UPSERT` for a new, changed or restored record, `RETRACT` for one the files no
//! longer hold. The changelog's reasons attach to those revisions, each entry once. All of it
//! happens in one transaction; a failed import leaves the database as it was. Importing the
//! same files twice writes nothing the second time and keeps the version.
//!
//! The dataset tables hold the live records only, under their current slugs, so every list,
//! search and count already leaves retracted records out; the `record` table remembers them.
//! Those tables are brought in line by the row plans below: a rename is the row inserted under
//! its new slug and the old one deleted. The order of the steps keeps every foreign key
//! satisfied at every statement: stale and changed link rows go first, then records are
//! inserted and updated parents-first, stale rows are deleted children-first, and new link
//! rows come last. The search index is updated for the changed records only.

use std::collections::{HashMap, HashSet};

use anyhow::Context;
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, ConnectionTrait,
    DatabaseConnection, DatabaseTransaction, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect, TransactionTrait,
};
use serde_json::{Value, json};

use super::{entities::*, identity, search};
use crate::{
    dataset::{ChangelogEntry, Dataset, DateField, StanceField},
    domain::{DescriptionBasis, EntityKind, FactStance, RelationBasis},
};

/// What an import did: rows of the dataset tables, and revisions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    pub inserted: usize,
    pub updated: usize,
    pub deleted: usize,
    /// How many revisions the import wrote.
    pub revisions: usize,
    /// How many of them retract a record.
    pub retracted: usize,
    /// The dataset version after the import.
    pub version: i32,
}

impl SyncReport {
    /// Whether the import changed any record.
    pub fn changed(&self) -> bool {
        self.revisions > 0
    }
}

/// The rows of one table that a sync inserts, updates and deletes.
struct Plan<E: EntityTrait> {
    insert: Vec<E::Model>,
    update: Vec<E::Model>,
    delete: Vec<E::Model>,
    /// Changed link rows, deleted early and inserted again late.
    reinsert: Vec<E::Model>,
}

impl<E> Plan<E>
where
    E: EntityTrait,
    E::Model: PartialEq + IntoActiveModel<E::ActiveModel>,
    E::ActiveModel: ActiveModelTrait<Entity = E> + Send,
{
    /// Compares the rows a table holds with the rows it should hold, matched by `key`.
    async fn new(
        db: &impl ConnectionTrait,
        desired: Vec<E::Model>,
        key: impl Fn(&E::Model) -> String,
    ) -> Result<Self, sea_orm::DbErr> {
        let mut existing: HashMap<String, E::Model> = E::find()
            .all(db)
            .await?
            .into_iter()
            .map(|row| (key(&row), row))
            .collect();
        let mut plan = Self {
            insert: Vec::new(),
            update: Vec::new(),
            delete: Vec::new(),
            reinsert: Vec::new(),
        };
        for row in desired {
            match existing.remove(&key(&row)) {
                None => plan.insert.push(row),
                Some(current) if current != row => plan.update.push(row),
                Some(_) => {}
            }
        }
        let mut stale: Vec<(String, E::Model)> = existing.into_iter().collect();
        stale.sort_by(|a, b| a.0.cmp(&b.0));
        plan.delete = stale.into_iter().map(|(_, row)| row).collect();
        Ok(plan)
    }

    async fn insert_and_update(
        &mut self,
        db: &impl ConnectionTrait,
        report: &mut SyncReport,
    ) -> Result<(), sea_orm::DbErr> {
        report.inserted += self.insert.len();
        report.updated += self.reinsert.len();
        let mut rows = std::mem::take(&mut self.insert);
        rows.append(&mut self.reinsert);
        let mut rows = rows.into_iter().peekable();
        while rows.peek().is_some() {
            let chunk: Vec<E::ActiveModel> = rows
                .by_ref()
                .take(200)
                .map(|row| row.into_active_model().reset_all())
                .collect();
            E::insert_many(chunk).exec_without_returning(db).await?;
        }
        report.updated += self.update.len();
        for row in std::mem::take(&mut self.update) {
            E::update(row.into_active_model().reset_all())
                .exec(db)
                .await?;
        }
        Ok(())
    }

    /// For link tables: deletes the stale rows and the current version of the changed ones,
    /// which come back with [`Plan::insert_and_update`] once what they point at exists. A link
    /// row that now points at a renamed record cannot be updated in place before the old row
    /// it points at is deleted, nor after.
    async fn delete_stale_and_changed(
        &mut self,
        db: &impl ConnectionTrait,
        report: &mut SyncReport,
    ) -> Result<(), sea_orm::DbErr> {
        for row in &self.update {
            E::delete(row.clone().into_active_model()).exec(db).await?;
        }
        self.reinsert = std::mem::take(&mut self.update);
        self.delete(db, report).await
    }

    async fn delete(
        &mut self,
        db: &impl ConnectionTrait,
        report: &mut SyncReport,
    ) -> Result<(), sea_orm::DbErr> {
        report.deleted += self.delete.len();
        for row in std::mem::take(&mut self.delete) {
            E::delete(row.into_active_model()).exec(db).await?;
        }
        Ok(())
    }
}

/// The rows every table should hold for `dataset`.
struct Rows {
    sources: Vec<source::Model>,
    source_actors: Vec<source_actor::Model>,
    entities: Vec<entity::Model>,
    aliases: Vec<entity_alias::Model>,
    facts: Vec<fact::Model>,
    claims: Vec<claim::Model>,
    claim_subjects: Vec<claim_subject::Model>,
    claim_asserters: Vec<claim_asserter::Model>,
    provisions: Vec<law_provision::Model>,
    penalties: Vec<law_penalty::Model>,
    relations: Vec<relation::Model>,
    evidence: Vec<relation_evidence::Model>,
}

fn position(index: usize) -> i32 {
    i32::try_from(index).unwrap_or(i32::MAX)
}

fn date(value: &Option<DateField>) -> Option<String> {
    DateField::of(value).map(|d| d.to_string())
}

/// A date's first day, last day and sort key, for the columns SQL sorts and filters on.
fn bounds(value: &Option<DateField>) -> [Option<String>; 3] {
    match DateField::of(value) {
        Some(d) => [Some(d.earliest()), Some(d.latest()), Some(d.sort_key())],
        None => [None, None, None],
    }
}

/// An entity row with its dates and the columns derived from them.
fn dated_entity(
    row: entity::Model,
    start: &Option<DateField>,
    end: &Option<DateField>,
    as_of: &Option<DateField>,
) -> entity::Model {
    let [starts_on_earliest, starts_on_latest, starts_on_sort] = bounds(start);
    let [ends_on_earliest, ends_on_latest, ends_on_sort] = bounds(end);
    let [_, as_of_latest, _] = bounds(as_of);
    entity::Model {
        starts_on: date(start),
        ends_on: date(end),
        as_of: date(as_of),
        starts_on_earliest,
        starts_on_latest,
        starts_on_sort,
        ends_on_earliest,
        ends_on_latest,
        ends_on_sort,
        as_of_latest,
        ..row
    }
}

impl Rows {
    fn of(dataset: &Dataset, ids: &Identities) -> Self {
        let mut rows = Rows {
            sources: Vec::new(),
            source_actors: Vec::new(),
            entities: Vec::new(),
            aliases: Vec::new(),
            facts: Vec::new(),
            claims: Vec::new(),
            claim_subjects: Vec::new(),
            claim_asserters: Vec::new(),
            provisions: Vec::new(),
            penalties: Vec::new(),
            relations: Vec::new(),
            evidence: Vec::new(),
        };
        for source in &dataset.sources {
            let record = &source.record;
            rows.sources.push(source::Model {
                id: ids.get("source", &record.slug),
                slug: record.slug.clone(),
                title: record.title.clone(),
                kind: record.kind,
                language: record.language.clone(),
                published: record.published.text.clone(),
                written_from: date(&record.written_from),
                written_until: date(&record.written_until),
                written_note: record.written_note.clone(),
                url: record.url.clone(),
                file: record.file.clone(),
                text: source.text.clone(),
                sha256: record.sha256.to_lowercase(),
            });
            let actors = record
                .authors
                .iter()
                .map(|a| ("author", a))
                .enumerate()
                .chain(
                    record
                        .publisher
                        .iter()
                        .map(|p| ("publisher", p))
                        .enumerate(),
                );
            for (index, (role, actor)) in actors {
                rows.source_actors.push(source_actor::Model {
                    source_slug: record.slug.clone(),
                    role: role.to_owned(),
                    position: position(index),
                    actor_slug: actor.clone(),
                });
            }
        }

        let blank = |slug: &str, kind, name: &str, description: &str| entity::Model {
            id: ids.get("entity", slug),
            slug: slug.to_owned(),
            kind,
            name: name.to_owned(),
            description: description.to_owned(),
            description_basis: DescriptionBasis::Claims,
            actor_kind: None,
            status: None,
            starts_on: None,
            ends_on: None,
            as_of: None,
            starts_on_earliest: None,
            starts_on_latest: None,
            starts_on_sort: None,
            ends_on_earliest: None,
            ends_on_latest: None,
            ends_on_sort: None,
            as_of_latest: None,
            jurisdiction: None,
            source_slug: None,
        };
        let add_aliases = |rows: &mut Rows, slug: &str, aliases: &[String]| {
            for (index, alias) in aliases.iter().enumerate() {
                rows.aliases.push(entity_alias::Model {
                    entity_slug: slug.to_owned(),
                    position: position(index),
                    alias: alias.clone(),
                });
            }
        };
        for actor in &dataset.actors {
            rows.entities.push(entity::Model {
                description_basis: actor.description_basis,
                actor_kind: Some(actor.kind),
                ..blank(
                    &actor.slug,
                    EntityKind::Actor,
                    &actor.name,
                    &actor.description,
                )
            });
            add_aliases(&mut rows, &actor.slug, &actor.aliases);
        }
        for law in &dataset.laws {
            rows.entities.push(dated_entity(
                entity::Model {
                    description_basis: law.description_basis,
                    jurisdiction: law.jurisdiction.clone(),
                    ..blank(&law.slug, EntityKind::Law, &law.name, &law.description)
                },
                &law.enacted,
                &None,
                &None,
            ));
            add_aliases(&mut rows, &law.slug, &law.aliases);
            for (index, provision) in law.provision.iter().enumerate() {
                rows.provisions.push(law_provision::Model {
                    law_slug: law.slug.clone(),
                    position: position(index),
                    article: provision.article.clone(),
                    summary: provision.summary.clone(),
                    evidence_slug: provision.evidence.clone(),
                });
            }
            for (index, penalty) in law.penalty.iter().enumerate() {
                rows.penalties.push(law_penalty::Model {
                    law_slug: law.slug.clone(),
                    position: position(index),
                    penalty: penalty.kind,
                    applies_to: penalty.applies_to.clone(),
                    evidence_slug: penalty.evidence.clone(),
                });
            }
        }
        for measure in &dataset.measures {
            rows.entities.push(dated_entity(
                entity::Model {
                    description_basis: measure.description_basis,
                    status: Some(measure.status),
                    ..blank(
                        &measure.slug,
                        EntityKind::Measure,
                        &measure.name,
                        &measure.description,
                    )
                },
                &measure.start,
                &measure.end,
                &measure.as_of,
            ));
            add_aliases(&mut rows, &measure.slug, &measure.aliases);
        }
        for event in &dataset.events {
            rows.entities.push(dated_entity(
                entity::Model {
                    description_basis: event.description_basis,
                    ..blank(
                        &event.slug,
                        EntityKind::Event,
                        &event.name,
                        &event.description,
                    )
                },
                &event.start,
                &event.end,
                &event.as_of,
            ));
            add_aliases(&mut rows, &event.slug, &event.aliases);
        }
        for recommendation in &dataset.recommendations {
            rows.entities.push(entity::Model {
                description_basis: recommendation.description_basis,
                source_slug: Some(recommendation.source.clone()),
                ..blank(
                    &recommendation.slug,
                    EntityKind::Recommendation,
                    &recommendation.name,
                    &recommendation.description,
                )
            });
            add_aliases(&mut rows, &recommendation.slug, &recommendation.aliases);
        }

        for fact in &dataset.facts {
            rows.facts.push(fact::Model {
                id: ids.get("fact", &fact.slug),
                slug: fact.slug.clone(),
                statement: fact.statement.clone(),
            });
        }
        for claim in &dataset.claims {
            let record = &claim.record;
            let [holds_from_earliest, holds_from_latest, holds_from_sort] = bounds(&record.date);
            let [holds_until_earliest, holds_until_latest, holds_until_sort] =
                bounds(&record.until);
            rows.claims.push(claim::Model {
                id: ids.get("claim", &record.slug),
                slug: record.slug.clone(),
                source_slug: record.source.clone(),
                quote: record.quote.clone(),
                start_offset: position(claim.start),
                end_offset: position(claim.end),
                statement: record.statement.clone(),
                certainty: record.certainty,
                kind: record.kind,
                holds_from: date(&record.date),
                holds_until: date(&record.until),
                holds_from_earliest,
                holds_from_latest,
                holds_from_sort,
                holds_until_earliest,
                holds_until_latest,
                holds_until_sort,
                quantity_value: record.quantity.as_ref().map(|q| q.value),
                quantity_unit: record.quantity.as_ref().map(|q| q.unit.clone()),
                fact_slug: record.fact.clone(),
                stance: StanceField::of(&record.stance),
                note: record.note.clone(),
            });
            for (index, entity) in record.about.iter().enumerate() {
                rows.claim_subjects.push(claim_subject::Model {
                    claim_slug: record.slug.clone(),
                    position: position(index),
                    entity_slug: entity.clone(),
                });
            }
            for (index, actor) in record.asserted_by.iter().enumerate() {
                rows.claim_asserters.push(claim_asserter::Model {
                    claim_slug: record.slug.clone(),
                    position: position(index),
                    actor_slug: actor.clone(),
                });
            }
        }
        for relation in &dataset.relations {
            let record = &relation.record;
            rows.relations.push(relation::Model {
                id: ids.get("relation", &relation.key),
                key: relation.key.clone(),
                subject_slug: record.subject.clone(),
                relation_type: record.relation_type,
                object_slug: record.object.clone(),
                description: record.description.clone(),
                starts_on: date(&record.start),
                ends_on: date(&record.end),
                basis: record.basis,
                inference: record.inference.clone(),
                asserted_by: record.asserted_by.clone(),
            });
            for (index, claim) in record.evidence.iter().enumerate() {
                rows.evidence.push(relation_evidence::Model {
                    relation_key: relation.key.clone(),
                    position: position(index),
                    claim_slug: claim.clone(),
                });
            }
        }
        rows
    }
}

fn link_key(parent: &str, second: impl std::fmt::Display) -> String {
    format!("{parent}\u{1f}{second}")
}

/// The reason a retraction gets when the changelog gives none.
pub const REMOVED_FROM_FILES: &str = "removed from the dataset files";

/// Who made the changes of an import: the dataset files, with their digest.
pub fn files_author(digest: &str) -> String {
    format!("dataset files {digest}")
}

/// The identity of every record the files hold, by namespace and slug.
#[derive(Default)]
struct Identities {
    by_slug: HashMap<(&'static str, String), String>,
    /// The same, by the former slugs the files list.
    by_former: HashMap<(&'static str, String), String>,
}

impl Identities {
    fn get(&self, namespace: &'static str, slug: &str) -> String {
        self.by_slug
            .get(&(namespace, slug.to_owned()))
            .cloned()
            .unwrap_or_default()
    }

    /// The global ID of the record `slug` names, as the API shows it.
    fn global(&self, namespace: &'static str, slug: &str) -> Value {
        Value::String(identity::global_id(&self.get(namespace, slug)))
    }

    fn global_opt(&self, namespace: &'static str, slug: &Option<String>) -> Value {
        slug.as_deref()
            .map_or(Value::Null, |slug| self.global(namespace, slug))
    }

    fn global_list<'a>(
        &self,
        namespace: &'static str,
        slugs: impl IntoIterator<Item = &'a String>,
    ) -> Value {
        Value::Array(
            slugs
                .into_iter()
                .map(|s| self.global(namespace, s))
                .collect(),
        )
    }
}

/// A record of the files, as the import matches it to an identity.
struct Desired {
    namespace: &'static str,
    node_type: &'static str,
    slug: String,
    former: Vec<String>,
    explicit_id: Option<String>,
    /// A relation keyed by default (`subject/type/object`): its subject, type and object.
    triple: Option<(String, String, String)>,
}

impl Desired {
    fn label(&self) -> String {
        format!("{} {:?}", self.node_type.to_lowercase(), self.slug)
    }
}

fn desired_records(dataset: &Dataset) -> Vec<Desired> {
    let mut desired = Vec::new();
    let mut push = |namespace, node_type, slug: &str, former: &[String], id: &Option<String>| {
        desired.push(Desired {
            namespace,
            node_type,
            slug: slug.to_owned(),
            former: former.to_vec(),
            explicit_id: id.clone(),
            triple: None,
        })
    };
    for s in &dataset.sources {
        let r = &s.record;
        push("source", "Source", &r.slug, &r.former_slugs, &r.id);
    }
    for r in &dataset.actors {
        push("entity", "Actor", &r.slug, &r.former_slugs, &r.id);
    }
    for r in &dataset.laws {
        push("entity", "Law", &r.slug, &r.former_slugs, &r.id);
    }
    for r in &dataset.measures {
        push("entity", "Measure", &r.slug, &r.former_slugs, &r.id);
    }
    for r in &dataset.events {
        push("entity", "Event", &r.slug, &r.former_slugs, &r.id);
    }
    for r in &dataset.recommendations {
        push("entity", "Recommendation", &r.slug, &r.former_slugs, &r.id);
    }
    for r in &dataset.facts {
        push("fact", "Fact", &r.slug, &r.former_slugs, &r.id);
    }
    for c in &dataset.claims {
        let r = &c.record;
        push("claim", "Claim", &r.slug, &r.former_slugs, &r.id);
    }
    for rel in &dataset.relations {
        let r = &rel.record;
        desired.push(Desired {
            namespace: "relation",
            node_type: "Relation",
            slug: rel.key.clone(),
            former: r.former_slugs.clone(),
            explicit_id: r.id.clone(),
            triple: r.slug.is_none().then(|| {
                (
                    r.subject.clone(),
                    r.relation_type.to_string(),
                    r.object.clone(),
                )
            }),
        });
    }
    desired
}

/// What the database already knows of every identity.
struct Registry {
    records: HashMap<String, record::Model>,
    /// Identity by namespace and current slug, live or retracted.
    current: HashMap<(String, String), String>,
    /// Identity by namespace and former slug.
    former: HashMap<(String, String), String>,
    /// Former slugs by identity, in the order they were recorded.
    formers_of: HashMap<String, Vec<String>>,
    /// Changelog entries already attached to a revision.
    attached: HashSet<String>,
    /// Live relations keyed by default, by the global IDs of their subject and object and
    /// their type.
    relation_ends: HashMap<(String, String, String), String>,
}

impl Registry {
    async fn read(db: &impl ConnectionTrait) -> Result<Self, sea_orm::DbErr> {
        let records: HashMap<String, record::Model> = record::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .map(|r| (r.id.clone(), r))
            .collect();
        let current = records
            .values()
            .map(|r| ((r.kind.clone(), r.slug.clone()), r.id.clone()))
            .collect();
        let mut former = HashMap::new();
        let mut formers_of: HashMap<String, Vec<String>> = HashMap::new();
        for row in former_slug::Entity::find()
            .order_by_asc(former_slug::Column::Slug)
            .all(db)
            .await?
        {
            formers_of
                .entry(row.record_id.clone())
                .or_default()
                .push(row.slug.clone());
            former.insert((row.kind, row.slug), row.record_id);
        }
        let attached = revision::Entity::find()
            .select_only()
            .column(revision::Column::ChangelogDigest)
            .filter(revision::Column::ChangelogDigest.is_not_null())
            .into_tuple::<Option<String>>()
            .all(db)
            .await?
            .into_iter()
            .flatten()
            .collect();
        let relation_ends = records
            .values()
            .filter(|r| r.kind == "relation" && r.retracted_version.is_none())
            .filter_map(|r| {
                let snapshot: Value = serde_json::from_str(&r.snapshot).ok()?;
                if !snapshot["slug"].is_null() {
                    return None;
                }
                let end = |field: &str| snapshot[field].as_str().map(str::to_owned);
                Some((
                    (end("subject")?, end("type")?, end("object")?),
                    r.id.clone(),
                ))
            })
            .collect();
        Ok(Self {
            records,
            current,
            former,
            formers_of,
            attached,
            relation_ends,
        })
    }

    /// The identity a namespace's slug names today: its current holder, or the record it
    /// was a former slug of.
    fn find(&self, namespace: &str, slug: &str) -> Option<&String> {
        let key = (namespace.to_owned(), slug.to_owned());
        self.current.get(&key).or_else(|| self.former.get(&key))
    }
}

/// Gives every record of the files its identity: the one it already has, matched by current
/// slug, then former slugs, then an explicit `id`; or a new one, minted from its oldest slug.
fn match_identities(desired: &[Desired], registry: &Registry) -> anyhow::Result<Identities> {
    let mut identities = Identities::default();
    let mut claimed: HashMap<String, String> = HashMap::new();
    // Each entity's slugs, current then former, by its current slug: a relation keyed by
    // default was stored under the slugs its ends had then.
    let entity_slugs: HashMap<&str, Vec<&str>> = desired
        .iter()
        .filter(|r| r.namespace == "entity")
        .map(|r| {
            let slugs = std::iter::once(r.slug.as_str())
                .chain(r.former.iter().map(String::as_str))
                .collect();
            (r.slug.as_str(), slugs)
        })
        .collect();
    for record in desired {
        let by_slug = registry.find(record.namespace, &record.slug);
        let by_former = record
            .former
            .iter()
            .find_map(|f| registry.find(record.namespace, f));
        if let (Some(a), Some(b)) = (by_slug, by_former)
            && a != b
        {
            anyhow::bail!(
                "{} is the slug of the record {a}, but its `former_slugs` name the record {b}: \
                 a slug once held stays with its record",
                record.label()
            );
        }
        // A relation keyed by default changes key when an end is renamed; it is the same
        // relation when its ends and type are, by identity.
        let by_ends = record.triple.as_ref().and_then(|(subject, kind, object)| {
            let ends = (
                identity::global_id(&identities.get("entity", subject)),
                kind.clone(),
                identity::global_id(&identities.get("entity", object)),
            );
            registry.relation_ends.get(&ends).or_else(|| {
                let slugs = |slug: &String| -> Vec<String> {
                    match entity_slugs.get(slug.as_str()) {
                        Some(slugs) => slugs.iter().map(|s| (*s).to_owned()).collect(),
                        None => vec![slug.clone()],
                    }
                };
                slugs(subject).into_iter().find_map(|s| {
                    slugs(object)
                        .into_iter()
                        .find_map(|o| registry.find("relation", &format!("{s}/{kind}/{o}")))
                })
            })
        });
        let found = by_slug
            .or(by_former)
            .cloned()
            .or_else(|| {
                record
                    .explicit_id
                    .clone()
                    .filter(|id| registry.records.contains_key(id))
            })
            .or_else(|| by_ends.cloned());
        let id = match found {
            Some(id) => {
                if let Some(explicit) = &record.explicit_id
                    && explicit != &id
                {
                    anyhow::bail!(
                        "{} says its `id` is {explicit:?}, but it is the record {id:?}",
                        record.label()
                    );
                }
                id
            }
            None => {
                // A relation keyed by default is minted from the key its ends' oldest slugs
                // give it, which is the identity a database loaded before a rename holds.
                let oldest_key = record
                    .triple
                    .as_ref()
                    .filter(|_| record.former.is_empty())
                    .map(|(subject, kind, object)| {
                        let oldest = |slug: &String| {
                            entity_slugs
                                .get(slug.as_str())
                                .and_then(|slugs| slugs.get(1))
                                .map_or_else(|| slug.clone(), |s| (*s).to_owned())
                        };
                        format!("{}/{kind}/{}", oldest(subject), oldest(object))
                    });
                let oldest = oldest_key
                    .as_ref()
                    .or(record.former.first())
                    .unwrap_or(&record.slug);
                let id = record
                    .explicit_id
                    .clone()
                    .unwrap_or_else(|| identity::mint(record.node_type, oldest));
                if registry.records.contains_key(&id) {
                    anyhow::bail!(
                        "{} would be minted the identity {id:?}, which another record holds",
                        record.label()
                    );
                }
                id
            }
        };
        if let Some(other) = claimed.insert(id.clone(), record.label()) {
            anyhow::bail!(
                "{} and {other} are both the record {id:?}: a slug once held (see `former_slugs`) \
                 is reserved for its record",
                record.label()
            );
        }
        for former in &record.former {
            identities
                .by_former
                .insert((record.namespace, former.clone()), id.clone());
        }
        identities
            .by_slug
            .insert((record.namespace, record.slug.clone()), id);
    }
    Ok(identities)
}

/// Every record of the files as the API describes it, with references to other records by
/// global ID: the state a revision leaves. Keyed by identity, in the files' order.
fn snapshots(
    dataset: &Dataset,
    ids: &Identities,
    formers: &HashMap<String, Vec<String>>,
) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    let former = |id: &str| -> Value {
        let mut list: Vec<&String> = formers.get(id).into_iter().flatten().collect();
        list.sort();
        Value::Array(list.into_iter().map(|s| Value::String(s.clone())).collect())
    };
    let mut push = |namespace: &'static str, slug: &str, mut value: Value| {
        let id = ids.get(namespace, slug);
        if let Value::Object(map) = &mut value {
            map.insert("id".into(), Value::String(identity::global_id(&id)));
            // A relation's key follows its ends unless it has a slug of its own, so its
            // former keys are not part of what it says.
            if namespace != "relation" {
                map.insert("formerSlugs".into(), former(&id));
            }
        }
        out.push((id, value));
    };
    for s in &dataset.sources {
        let r = &s.record;
        push(
            "source",
            &r.slug,
            written(
                json!({
                    "__typename": "Source", "slug": r.slug, "title": r.title,
                    "authors": ids.global_list("entity", &r.authors),
                    "publisher": ids.global_opt("entity", &r.publisher),
                    "published": r.published.text, "kind": r.kind, "language": r.language,
                    "url": r.url, "file": r.file, "sha256": r.sha256.to_lowercase(),
                }),
                r,
            ),
        );
    }
    for r in &dataset.actors {
        push(
            "entity",
            &r.slug,
            editorial(
                json!({
                    "__typename": "Actor", "slug": r.slug, "name": r.name, "aliases": r.aliases,
                    "description": r.description, "actorKind": r.kind,
                }),
                r.description_basis,
            ),
        );
    }
    for r in &dataset.laws {
        let provisions: Vec<Value> = r
            .provision
            .iter()
            .map(|p| json!({ "article": p.article, "summary": p.summary, "evidence": ids.global("claim", &p.evidence) }))
            .collect();
        let penalties: Vec<Value> = r
            .penalty
            .iter()
            .map(|p| json!({ "kind": p.kind, "appliesTo": p.applies_to, "evidence": ids.global("claim", &p.evidence) }))
            .collect();
        push(
            "entity",
            &r.slug,
            editorial(
                json!({
                    "__typename": "Law", "slug": r.slug, "name": r.name, "aliases": r.aliases,
                    "description": r.description,
                    "jurisdiction": ids.global_opt("entity", &r.jurisdiction),
                    "enacted": date(&r.enacted), "provisions": provisions, "penalties": penalties,
                }),
                r.description_basis,
            ),
        );
    }
    for r in &dataset.measures {
        push(
            "entity",
            &r.slug,
            held_as_of(
                editorial(
                    json!({
                        "__typename": "Measure", "slug": r.slug, "name": r.name, "aliases": r.aliases,
                        "description": r.description, "status": r.status,
                        "start": date(&r.start), "end": date(&r.end),
                    }),
                    r.description_basis,
                ),
                &r.as_of,
            ),
        );
    }
    for r in &dataset.events {
        push(
            "entity",
            &r.slug,
            held_as_of(
                editorial(
                    json!({
                        "__typename": "Event", "slug": r.slug, "name": r.name, "aliases": r.aliases,
                        "description": r.description, "start": date(&r.start), "end": date(&r.end),
                    }),
                    r.description_basis,
                ),
                &r.as_of,
            ),
        );
    }
    for r in &dataset.recommendations {
        push(
            "entity",
            &r.slug,
            editorial(
                json!({
                    "__typename": "Recommendation", "slug": r.slug, "name": r.name,
                    "aliases": r.aliases, "description": r.description,
                    "source": ids.global("source", &r.source),
                }),
                r.description_basis,
            ),
        );
    }
    for r in &dataset.facts {
        push(
            "fact",
            &r.slug,
            json!({ "__typename": "Fact", "slug": r.slug, "statement": r.statement }),
        );
    }
    for c in &dataset.claims {
        let r = &c.record;
        push(
            "claim",
            &r.slug,
            with_stance(
                json!({
                    "__typename": "Claim", "slug": r.slug, "source": ids.global("source", &r.source),
                    "quote": r.quote, "startOffset": c.start, "endOffset": c.end,
                    "statement": r.statement, "about": ids.global_list("entity", &r.about),
                    "assertedBy": ids.global_list("entity", &r.asserted_by),
                    "certainty": r.certainty, "kind": r.kind,
                    "date": date(&r.date), "until": date(&r.until),
                    "quantity": r.quantity.as_ref().map(|q| json!({ "value": q.value, "unit": q.unit })),
                    "fact": ids.global_opt("fact", &r.fact), "note": r.note,
                }),
                StanceField::of(&r.stance),
            ),
        );
    }
    for rel in &dataset.relations {
        let r = &rel.record;
        push(
            "relation",
            &rel.key,
            known_by(
                json!({
                    "__typename": "Relation", "slug": r.slug,
                    "subject": ids.global("entity", &r.subject), "type": r.relation_type,
                    "object": ids.global("entity", &r.object), "description": r.description,
                    "start": date(&r.start), "end": date(&r.end),
                    "evidence": ids.global_list("claim", &r.evidence),
                }),
                r,
                ids.global_opt("entity", &r.asserted_by),
            ),
        );
    }
    out
}

/// Adds `descriptionBasis` to an entity's snapshot when its description is editorial. A
/// description resting on claims (the default) adds nothing, so that the snapshots of the
/// records imported before the field existed stay the same and get no revision for it.
fn editorial(mut value: Value, basis: DescriptionBasis) -> Value {
    if basis != DescriptionBasis::Claims
        && let Value::Object(map) = &mut value
    {
        map.insert("descriptionBasis".into(), json!(basis));
    }
    value
}

/// Adds `asOf` to a measure's or event's snapshot when it has one, so that the snapshots of
/// records without one stay as they were before the field existed.
fn held_as_of(mut value: Value, as_of: &Option<DateField>) -> Value {
    if let (Value::Object(map), Some(as_of)) = (&mut value, date(as_of)) {
        map.insert("asOf".into(), json!(as_of));
    }
    value
}

/// Adds a source's writing time to its snapshot when the files give one. A source without
/// one adds nothing, for the reason [`editorial`] gives; giving it one is a revision.
fn written(mut value: Value, r: &crate::dataset::SourceRecord) -> Value {
    if let Value::Object(map) = &mut value
        && (r.written_from.is_some() || r.written_until.is_some() || r.written_note.is_some())
    {
        map.insert("writtenFrom".into(), json!(date(&r.written_from)));
        map.insert("writtenUntil".into(), json!(date(&r.written_until)));
        map.insert("writtenNote".into(), json!(r.written_note));
    }
    value
}

/// Adds a claim's stance towards its fact to its snapshot when it is not `supports`, the
/// default, for the reason [`editorial`] gives: a claim that now only mentions its fact gets
/// a revision, the claims that support theirs do not.
fn with_stance(mut value: Value, stance: FactStance) -> Value {
    if stance != FactStance::Supports
        && let Value::Object(map) = &mut value
    {
        map.insert("stance".into(), json!(stance));
    }
    value
}

/// Adds how a relation is known to its snapshot: `basis` and `inference` when it is
/// inferred, `assertedBy` when someone other than the authors asserts it. A stated relation
/// asserted by the authors (the default) adds nothing, for the reason [`editorial`] gives.
fn known_by(mut value: Value, r: &crate::dataset::RelationRecord, asserted_by: Value) -> Value {
    if let Value::Object(map) = &mut value {
        if r.basis != RelationBasis::Stated {
            map.insert("basis".into(), json!(r.basis));
            map.insert("inference".into(), json!(r.inference));
        }
        if !asserted_by.is_null() {
            map.insert("assertedBy".into(), asserted_by);
        }
    }
    value
}

/// What changed between two states of a record: `{ field, before, after }` for each
/// top-level field that differs.
fn diff(before: &Value, after: &Value) -> Vec<Value> {
    let empty = serde_json::Map::new();
    let before = before.as_object().unwrap_or(&empty);
    let after = after.as_object().unwrap_or(&empty);
    let fields: std::collections::BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    fields
        .into_iter()
        .filter(|f| f.as_str() != "id")
        .filter_map(|field| {
            let (b, a) = (
                before.get(field).unwrap_or(&Value::Null),
                after.get(field).unwrap_or(&Value::Null),
            );
            (b != a).then(|| json!({ "field": field, "before": b, "after": a }))
        })
        .collect()
}

/// The rows of `record` and `revision` an import writes.
#[derive(Default)]
struct History {
    new_records: Vec<record::Model>,
    changed_records: Vec<record::Model>,
    former_slugs: Vec<former_slug::Model>,
    revisions: Vec<revision::ActiveModel>,
    /// Identities whose slug changes.
    renamed: HashSet<String>,
}

/// Imports `dataset` as the dataset files, in one transaction.
pub async fn sync(db: &DatabaseConnection, dataset: &Dataset) -> anyhow::Result<SyncReport> {
    let txn = db
        .begin()
        .await
        .context("starting the import transaction")?;
    let report = import(&txn, dataset, &files_author(&dataset.version)).await?;
    txn.commit()
        .await
        .context("committing the import transaction")?;
    Ok(report)
}

/// Imports `dataset` on `db` (a transaction), writing `author` in the revisions it makes.
pub async fn import(
    db: &DatabaseTransaction,
    dataset: &Dataset,
    author: &str,
) -> anyhow::Result<SyncReport> {
    let registry = Registry::read(db)
        .await
        .context("reading the record identities")?;
    let desired = desired_records(dataset);
    let ids = match_identities(&desired, &registry)?;

    // Former slugs: what the database knows, what the files list, and the slug a record
    // is renamed from in this import.
    let mut formers = registry.formers_of.clone();
    let mut history = History::default();
    for record in &desired {
        let id = ids.get(record.namespace, &record.slug);
        let previous = registry.records.get(&id).map(|r| r.slug.clone());
        let list = formers.entry(id.clone()).or_default();
        for slug in record.former.iter().chain(previous.iter()) {
            if slug == &record.slug || list.contains(slug) {
                continue;
            }
            if let Some(other) = registry
                .former
                .get(&(record.namespace.to_owned(), slug.clone()))
                && other != &id
            {
                anyhow::bail!(
                    "{} lists the former slug {slug:?}, which is reserved for the record {other:?}",
                    record.label()
                );
            }
            list.push(slug.clone());
            history.former_slugs.push(former_slug::Model {
                kind: record.namespace.to_owned(),
                slug: slug.clone(),
                record_id: id.clone(),
            });
        }
    }

    let version = next_version(db)
        .await
        .context("reading the dataset version")?;
    let now = chrono::Utc::now();
    let mut pending = Changelog::new(dataset, &registry, &ids);
    let mut changed = search::Subset::default();
    let touch = |changed: &mut search::Subset, namespace: &str, slugs: [&str; 2]| {
        let list = match namespace {
            "source" => &mut changed.sources,
            "entity" => &mut changed.entities,
            "claim" => &mut changed.claims,
            _ => return,
        };
        for slug in slugs {
            if !list.iter().any(|s| s == slug) {
                list.push(slug.to_owned());
            }
        }
    };

    let namespace_of: HashMap<&str, (&'static str, &'static str, &str)> = desired
        .iter()
        .map(|d| {
            (
                ids.by_slug[&(d.namespace, d.slug.clone())].as_str(),
                (d.namespace, d.node_type, d.slug.as_str()),
            )
        })
        .collect();
    let mut live: HashSet<String> = HashSet::new();
    for (id, snapshot) in snapshots(dataset, &ids, &formers) {
        let (namespace, node_type, slug) = namespace_of[id.as_str()];
        live.insert(id.clone());
        let text = snapshot.to_string();
        let existing = registry.records.get(&id);
        let (number, changes) = match existing {
            Some(r) if r.retracted_version.is_none() && r.snapshot == text => {
                // The same record under a new key that says nothing new: a relation whose
                // default key followed a renamed end. Its old key keeps resolving.
                if r.slug != slug {
                    history.renamed.insert(id.clone());
                    history.changed_records.push(record::Model {
                        slug: slug.to_owned(),
                        ..r.clone()
                    });
                }
                continue;
            }
            Some(r) => {
                let before: Value = serde_json::from_str(&r.snapshot).unwrap_or(Value::Null);
                let mut changes = diff(&before, &snapshot);
                if r.retracted_version.is_some() {
                    changes.push(json!({ "field": "retracted", "before": true, "after": false }));
                }
                touch(&mut changed, namespace, [&r.slug, slug]);
                (r.revision + 1, changes)
            }
            None => {
                touch(&mut changed, namespace, [slug, slug]);
                (1, diff(&Value::Null, &snapshot))
            }
        };
        let entry = pending.take(&id);
        history.revisions.push(revision_row(
            &id, number, version, now, node_type, slug, author, entry, &changes, "UPSERT", &text,
        ));
        let row = record::Model {
            id: id.clone(),
            kind: namespace.to_owned(),
            slug: slug.to_owned(),
            revision: number,
            created_version: existing.map_or(version, |r| r.created_version),
            retracted_version: None,
            retraction_reason: None,
            snapshot: text,
            retracted_row: None,
        };
        match existing {
            Some(r) => {
                if r.slug != slug {
                    history.renamed.insert(id.clone());
                }
                history.changed_records.push(row)
            }
            None => history.new_records.push(row),
        }
    }

    // Whatever the database holds live that the files no longer do is retracted.
    let mut gone: Vec<&record::Model> = registry
        .records
        .values()
        .filter(|r| r.retracted_version.is_none() && !live.contains(&r.id))
        .collect();
    gone.sort_by(|a, b| (&a.kind, &a.slug).cmp(&(&b.kind, &b.slug)));
    let mut retracted_ids = Vec::new();
    for r in gone {
        let entry = pending.take(&r.id);
        let reason = entry
            .map(|e| e.record.reason.clone())
            .unwrap_or_else(|| REMOVED_FROM_FILES.to_owned());
        let node_type = serde_json::from_str::<Value>(&r.snapshot)
            .ok()
            .and_then(|v| v["__typename"].as_str().map(str::to_owned))
            .unwrap_or_else(|| r.id.split(':').next().unwrap_or_default().to_owned());
        let changes = [json!({ "field": "retracted", "before": false, "after": true })];
        let mut row = revision_row(
            &r.id,
            r.revision + 1,
            version,
            now,
            &node_type,
            &r.slug,
            author,
            entry,
            &changes,
            "RETRACT",
            &r.snapshot,
        );
        row.reason = Set(Some(reason.clone()));
        history.revisions.push(row);
        touch(&mut changed, &r.kind, [&r.slug, &r.slug]);
        retracted_ids.push((r.kind.clone(), r.slug.clone()));
        history.changed_records.push(record::Model {
            revision: r.revision + 1,
            retracted_version: Some(version),
            retraction_reason: Some(reason),
            ..r.clone()
        });
    }

    let mut report = SyncReport::default();
    let rows = Rows::of(dataset, &ids);
    let removed = apply(db, rows, &mut report)
        .await
        .context("writing the dataset into the database")?;
    for record in &mut history.changed_records {
        if record.retracted_version == Some(version) {
            record.retracted_row = removed
                .get(&(record.kind.clone(), record.slug.clone()))
                .cloned();
        }
    }
    if registry.records.is_empty() {
        // A database the first release loaded: its rows have identities but no history yet.
        // A row the files no longer hold is registered and retracted at once, so the ID the
        // first release handed out still resolves, to the record with its retraction.
        let mut rows: Vec<(&(String, String), &String)> = removed.iter().collect();
        rows.sort();
        for ((namespace, slug), row) in rows {
            let Some(id) = serde_json::from_str::<Value>(row)
                .ok()
                .and_then(|v| v["id"].as_str().map(str::to_owned))
            else {
                continue;
            };
            if live.contains(&id) {
                continue;
            }
            let entry = dataset.changelog.iter().find(|e| {
                e.namespace == namespace
                    && &e.slug == slug
                    && !registry.attached.contains(&e.digest)
            });
            let reason = entry
                .map(|e| e.record.reason.clone())
                .unwrap_or_else(|| REMOVED_FROM_FILES.to_owned());
            let node_type = id.split(':').next().unwrap_or_default().to_owned();
            let changes = [json!({ "field": "retracted", "before": false, "after": true })];
            let mut revision = revision_row(
                &id, 1, version, now, &node_type, slug, author, entry, &changes, "RETRACT", row,
            );
            revision.reason = Set(Some(reason.clone()));
            history.revisions.push(revision);
            touch(&mut changed, namespace, [slug, slug]);
            retracted_ids.push((namespace.clone(), slug.clone()));
            history.new_records.push(record::Model {
                id,
                kind: namespace.clone(),
                slug: slug.clone(),
                revision: 1,
                created_version: version,
                retracted_version: Some(version),
                retraction_reason: Some(reason),
                snapshot: row.clone(),
                retracted_row: Some(row.clone()),
            });
        }
    }
    report.revisions = history.revisions.len();
    report.retracted = retracted_ids.len();

    let untouched = history.revisions.is_empty()
        && history.changed_records.is_empty()
        && history.former_slugs.is_empty();
    if untouched {
        report.version = version - 1;
        super::search::refresh(db, false)
            .await
            .context("checking the search index")?;
        return Ok(report);
    }
    report.version = version - 1;
    if !history.revisions.is_empty() {
        dataset_version::Entity::insert(dataset_version::ActiveModel {
            id: Set(version),
            digest: Set(dataset.version.clone()),
            loaded_at: Set(now),
            summary: Set(dataset.summary()),
        })
        .exec_without_returning(db)
        .await
        .context("recording the dataset version")?;
        report.version = version;
    }
    write_history(db, history)
        .await
        .context("writing the revisions")?;
    search::update(db, &changed)
        .await
        .context("updating the search index for the changed records")?;
    super::search::refresh(db, false)
        .await
        .context("checking the search index")?;
    Ok(report)
}

#[expect(
    clippy::too_many_arguments,
    reason = "one revision row's columns, named"
)]
fn revision_row(
    id: &str,
    number: i32,
    version: i32,
    at: chrono::DateTime<chrono::Utc>,
    node_type: &str,
    slug: &str,
    author: &str,
    entry: Option<&ChangelogEntry>,
    changes: &[Value],
    operation: &str,
    snapshot: &str,
) -> revision::ActiveModel {
    revision::ActiveModel {
        id: NotSet,
        record_id: Set(id.to_owned()),
        number: Set(number),
        version: Set(version),
        at: Set(at),
        node_type: Set(node_type.to_owned()),
        slug: Set(slug.to_owned()),
        author: Set(author.to_owned()),
        reason: Set(entry.map(|e| e.record.reason.clone())),
        changes: Set(Value::Array(changes.to_vec()).to_string()),
        operation: Set(operation.to_owned()),
        correction: Set(entry.is_some_and(|e| e.record.correction)),
        snapshot: Set(snapshot.to_owned()),
        changelog_digest: Set(entry.map(|e| e.digest.clone())),
    }
}

/// The changelog entries not yet attached to a revision, by the identity they name.
struct Changelog<'a> {
    by_record: HashMap<String, std::collections::VecDeque<&'a ChangelogEntry>>,
}

impl<'a> Changelog<'a> {
    fn new(dataset: &'a Dataset, registry: &Registry, ids: &Identities) -> Self {
        let mut by_record: HashMap<String, std::collections::VecDeque<&'a ChangelogEntry>> =
            HashMap::new();
        let mut seen = HashSet::new();
        for entry in &dataset.changelog {
            if registry.attached.contains(&entry.digest) || !seen.insert(&entry.digest) {
                continue;
            }
            let id = ids
                .by_slug
                .get(&(entry.namespace, entry.slug.clone()))
                .or_else(|| registry.find(entry.namespace, &entry.slug))
                .or_else(|| ids.by_former.get(&(entry.namespace, entry.slug.clone())))
                .cloned();
            if let Some(id) = id {
                by_record.entry(id).or_default().push_back(entry);
            }
        }
        Self { by_record }
    }

    /// The next entry for `id`, taken so it is attached once.
    fn take(&mut self, id: &str) -> Option<&'a ChangelogEntry> {
        self.by_record.get_mut(id)?.pop_front()
    }
}

/// The number the next dataset version gets.
async fn next_version(db: &impl ConnectionTrait) -> Result<i32, sea_orm::DbErr> {
    let latest = dataset_version::Entity::find()
        .order_by_desc(dataset_version::Column::Id)
        .one(db)
        .await?;
    Ok(latest.map_or(1, |v| v.id + 1))
}

async fn write_history(db: &impl ConnectionTrait, history: History) -> Result<(), sea_orm::DbErr> {
    for chunk in history.new_records.chunks(200) {
        record::Entity::insert_many(
            chunk
                .iter()
                .map(|r| r.clone().into_active_model().reset_all()),
        )
        .exec_without_returning(db)
        .await?;
    }
    // A slug moves between records only through a rename, and a record's old slug is freed
    // before another takes it: first every changed record's slug is parked on its identity,
    // then written.
    for r in history
        .changed_records
        .iter()
        .filter(|r| history.renamed.contains(&r.id))
    {
        let mut parked = r.clone().into_active_model().reset_all();
        parked.slug = Set(format!("\u{1}{}", r.id));
        record::Entity::update(parked).exec(db).await?;
    }
    for r in history.changed_records {
        record::Entity::update(r.into_active_model().reset_all())
            .exec(db)
            .await?;
    }
    for chunk in history.former_slugs.chunks(200) {
        former_slug::Entity::insert_many(
            chunk
                .iter()
                .map(|r| r.clone().into_active_model().reset_all()),
        )
        .exec_without_returning(db)
        .await?;
    }
    let mut revisions = history.revisions.into_iter().peekable();
    while revisions.peek().is_some() {
        let chunk: Vec<revision::ActiveModel> = revisions.by_ref().take(100).collect();
        revision::Entity::insert_many(chunk)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// The last row of each record the import removes from the dataset tables, as JSON, by
/// namespace and slug: what a retracted record resolves to.
type Removed = HashMap<(String, String), String>;

fn removed<M: serde::Serialize>(
    out: &mut Removed,
    namespace: &str,
    rows: &[M],
    slug: impl Fn(&M) -> &str,
) {
    for row in rows {
        if let Ok(json) = serde_json::to_string(row) {
            out.insert((namespace.to_owned(), slug(row).to_owned()), json);
        }
    }
}

async fn apply(
    db: &impl ConnectionTrait,
    rows: Rows,
    report: &mut SyncReport,
) -> Result<Removed, sea_orm::DbErr> {
    // Entities are written actors first and deleted actors last, because a law's
    // jurisdiction refers to an actor.
    let mut entities = rows.entities;
    entities.sort_by_key(|e| e.kind != EntityKind::Actor);

    let mut sources = Plan::<source::Entity>::new(db, rows.sources, |r| r.slug.clone()).await?;
    let mut entity_plan = Plan::<entity::Entity>::new(db, entities, |r| r.slug.clone()).await?;
    entity_plan
        .insert
        .sort_by_key(|e| e.kind != EntityKind::Actor);
    entity_plan
        .delete
        .sort_by_key(|e| e.kind == EntityKind::Actor);
    let mut facts = Plan::<fact::Entity>::new(db, rows.facts, |r| r.slug.clone()).await?;
    let mut claims = Plan::<claim::Entity>::new(db, rows.claims, |r| r.slug.clone()).await?;
    let mut relations =
        Plan::<relation::Entity>::new(db, rows.relations, |r| r.key.clone()).await?;

    let mut source_actors = Plan::<source_actor::Entity>::new(db, rows.source_actors, |r| {
        link_key(&r.source_slug, format!("{}\u{1f}{}", r.role, r.position))
    })
    .await?;
    let mut aliases = Plan::<entity_alias::Entity>::new(db, rows.aliases, |r| {
        link_key(&r.entity_slug, r.position)
    })
    .await?;
    let mut subjects = Plan::<claim_subject::Entity>::new(db, rows.claim_subjects, |r| {
        link_key(&r.claim_slug, r.position)
    })
    .await?;
    let mut asserters = Plan::<claim_asserter::Entity>::new(db, rows.claim_asserters, |r| {
        link_key(&r.claim_slug, r.position)
    })
    .await?;
    let mut provisions = Plan::<law_provision::Entity>::new(db, rows.provisions, |r| {
        link_key(&r.law_slug, r.position)
    })
    .await?;
    let mut penalties =
        Plan::<law_penalty::Entity>::new(db, rows.penalties, |r| link_key(&r.law_slug, r.position))
            .await?;
    let mut evidence = Plan::<relation_evidence::Entity>::new(db, rows.evidence, |r| {
        link_key(&r.relation_key, r.position)
    })
    .await?;

    // Stale and changed links first: nothing refers to a link row.
    evidence.delete_stale_and_changed(db, report).await?;
    penalties.delete_stale_and_changed(db, report).await?;
    provisions.delete_stale_and_changed(db, report).await?;
    asserters.delete_stale_and_changed(db, report).await?;
    subjects.delete_stale_and_changed(db, report).await?;
    aliases.delete_stale_and_changed(db, report).await?;
    source_actors.delete_stale_and_changed(db, report).await?;

    // Records parents-first, so every reference points at a row that exists.
    sources.insert_and_update(db, report).await?;
    entity_plan.insert_and_update(db, report).await?;
    facts.insert_and_update(db, report).await?;
    claims.insert_and_update(db, report).await?;
    relations.insert_and_update(db, report).await?;

    let mut gone = Removed::new();
    removed(&mut gone, "relation", &relations.delete, |r| &r.key);
    removed(&mut gone, "claim", &claims.delete, |r| &r.slug);
    removed(&mut gone, "fact", &facts.delete, |r| &r.slug);
    removed(&mut gone, "entity", &entity_plan.delete, |r| &r.slug);
    removed(&mut gone, "source", &sources.delete, |r| &r.slug);

    // Stale records children-first: nothing desired refers to them any more.
    relations.delete(db, report).await?;
    claims.delete(db, report).await?;
    facts.delete(db, report).await?;
    entity_plan.delete(db, report).await?;
    sources.delete(db, report).await?;

    // New and changed links last, once everything they point at exists.
    source_actors.insert_and_update(db, report).await?;
    aliases.insert_and_update(db, report).await?;
    subjects.insert_and_update(db, report).await?;
    asserters.insert_and_update(db, report).await?;
    provisions.insert_and_update(db, report).await?;
    penalties.insert_and_update(db, report).await?;
    evidence.insert_and_update(db, report).await?;
    Ok(gone)
}
