//! Syncing a checked dataset into the database.
//!
//! A sync makes the tables hold exactly what the files hold: it inserts what is new, updates
//! what changed, deletes what the files no longer have, and leaves everything else alone, so
//! running it twice changes nothing the second time. It runs in one transaction: a sync that
//! fails leaves the database as it was. When it changes anything, it records a new dataset
//! version. The search index is rebuilt in the same transaction, so it never disagrees with
//! the data.
//!
//! The order of the steps keeps every foreign key satisfied at every statement: stale link
//! rows go first, then records are inserted and updated parents-first, stale records are
//! deleted children-first, and new link rows come last.

use std::collections::HashMap;

use anyhow::Context;
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel,
    QueryOrder, TransactionTrait,
};

use super::entities::*;
use crate::{
    dataset::{Dataset, DateField},
    domain::EntityKind,
};

/// What a sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    pub inserted: usize,
    pub updated: usize,
    pub deleted: usize,
    /// The dataset version after the sync.
    pub version: i32,
}

impl SyncReport {
    /// Whether the sync changed any row.
    pub fn changed(&self) -> bool {
        self.inserted + self.updated + self.deleted > 0
    }
}

/// The rows of one table that a sync inserts, updates and deletes.
struct Plan<E: EntityTrait> {
    insert: Vec<E::Model>,
    update: Vec<E::Model>,
    delete: Vec<E::Model>,
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
        let rows = std::mem::take(&mut self.insert);
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

impl Rows {
    fn of(dataset: &Dataset) -> Self {
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
                slug: record.slug.clone(),
                title: record.title.clone(),
                kind: record.kind,
                language: record.language.clone(),
                published: record.published.text.clone(),
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
            slug: slug.to_owned(),
            kind,
            name: name.to_owned(),
            description: description.to_owned(),
            actor_kind: None,
            status: None,
            starts_on: None,
            ends_on: None,
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
            rows.entities.push(entity::Model {
                starts_on: date(&law.enacted),
                jurisdiction: law.jurisdiction.clone(),
                ..blank(&law.slug, EntityKind::Law, &law.name, &law.description)
            });
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
            rows.entities.push(entity::Model {
                status: Some(measure.status),
                starts_on: date(&measure.start),
                ends_on: date(&measure.end),
                ..blank(
                    &measure.slug,
                    EntityKind::Measure,
                    &measure.name,
                    &measure.description,
                )
            });
            add_aliases(&mut rows, &measure.slug, &measure.aliases);
        }
        for event in &dataset.events {
            rows.entities.push(entity::Model {
                starts_on: date(&event.start),
                ends_on: date(&event.end),
                ..blank(
                    &event.slug,
                    EntityKind::Event,
                    &event.name,
                    &event.description,
                )
            });
            add_aliases(&mut rows, &event.slug, &event.aliases);
        }
        for recommendation in &dataset.recommendations {
            rows.entities.push(entity::Model {
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
                slug: fact.slug.clone(),
                statement: fact.statement.clone(),
            });
        }
        for claim in &dataset.claims {
            let record = &claim.record;
            rows.claims.push(claim::Model {
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
                quantity_value: record.quantity.as_ref().map(|q| q.value),
                quantity_unit: record.quantity.as_ref().map(|q| q.unit.clone()),
                fact_slug: record.fact.clone(),
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
                key: relation.key.clone(),
                subject_slug: record.subject.clone(),
                relation_type: record.relation_type,
                object_slug: record.object.clone(),
                description: record.description.clone(),
                starts_on: date(&record.start),
                ends_on: date(&record.end),
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

/// Makes the database hold exactly `dataset`, in one transaction.
pub async fn sync(db: &DatabaseConnection, dataset: &Dataset) -> anyhow::Result<SyncReport> {
    let rows = Rows::of(dataset);
    let txn = db.begin().await.context("starting the sync transaction")?;
    let mut report = SyncReport::default();
    apply(&txn, rows, &mut report)
        .await
        .context("writing the dataset into the database")?;
    super::search::refresh(&txn, report.changed())
        .await
        .context("rebuilding the search index")?;
    report.version = record_version(&txn, dataset, &report)
        .await
        .context("recording the dataset version")?;
    txn.commit()
        .await
        .context("committing the sync transaction")?;
    Ok(report)
}

async fn apply(
    db: &impl ConnectionTrait,
    rows: Rows,
    report: &mut SyncReport,
) -> Result<(), sea_orm::DbErr> {
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

    // Stale links first: nothing refers to a link row.
    evidence.delete(db, report).await?;
    penalties.delete(db, report).await?;
    provisions.delete(db, report).await?;
    asserters.delete(db, report).await?;
    subjects.delete(db, report).await?;
    aliases.delete(db, report).await?;
    source_actors.delete(db, report).await?;

    // Records parents-first, so every reference points at a row that exists.
    sources.insert_and_update(db, report).await?;
    entity_plan.insert_and_update(db, report).await?;
    facts.insert_and_update(db, report).await?;
    claims.insert_and_update(db, report).await?;
    relations.insert_and_update(db, report).await?;

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
    Ok(())
}

/// Adds a dataset version when the sync changed rows or the files changed; returns the
/// current version.
async fn record_version(
    db: &impl ConnectionTrait,
    dataset: &Dataset,
    report: &SyncReport,
) -> Result<i32, sea_orm::DbErr> {
    let latest = dataset_version::Entity::find()
        .order_by_desc(dataset_version::Column::Id)
        .one(db)
        .await?;
    match latest {
        Some(latest) if !report.changed() && latest.digest == dataset.version => Ok(latest.id),
        _ => {
            let row = dataset_version::ActiveModel {
                id: sea_orm::ActiveValue::NotSet,
                digest: sea_orm::ActiveValue::Set(dataset.version.clone()),
                loaded_at: sea_orm::ActiveValue::Set(chrono::Utc::now()),
                summary: sea_orm::ActiveValue::Set(dataset.summary()),
            };
            let inserted = dataset_version::Entity::insert(row).exec(db).await?;
            Ok(inserted.last_insert_id)
        }
    }
}
