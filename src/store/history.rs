//! Reading the history: identities, former slugs, revisions, the change feed, corrections and
//! dataset versions. The import in [`super::sync`] writes what these read.
//!
//! The feed is the `revision` table read in `id` order: every import appends its revisions
//! in one transaction, so a partner that reads from its last position on never misses a
//! change and never sees one twice.

use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};

use super::entities::{dataset_version, former_slug, record, revision};

/// Whether any record has an identity yet: false on a database the first release loaded,
/// until the first import under this one.
pub async fn started(db: &impl ConnectionTrait) -> Result<bool, DbErr> {
    Ok(record::Entity::find().one(db).await?.is_some())
}

/// The record an identity names, live or retracted.
pub async fn record(
    db: &impl ConnectionTrait,
    identity: &str,
) -> Result<Option<record::Model>, DbErr> {
    record::Entity::find_by_id(identity.to_owned())
        .one(db)
        .await
}

/// The record a slug names in `namespace`: the one that has it now, or the one that had it.
pub async fn by_slug(
    db: &impl ConnectionTrait,
    namespace: &str,
    slug: &str,
) -> Result<Option<record::Model>, DbErr> {
    if let Some(found) = record::Entity::find()
        .filter(record::Column::Kind.eq(namespace))
        .filter(record::Column::Slug.eq(slug))
        .one(db)
        .await?
    {
        return Ok(Some(found));
    }
    let Some(former) = former_slug::Entity::find_by_id((namespace.to_owned(), slug.to_owned()))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    record(db, &former.record_id).await
}

/// The former slugs of each of `ids`, in slug order.
pub async fn former_slugs(
    db: &impl ConnectionTrait,
    ids: &[String],
) -> Result<Vec<former_slug::Model>, DbErr> {
    former_slug::Entity::find()
        .filter(former_slug::Column::RecordId.is_in(ids.to_vec()))
        .order_by_asc(former_slug::Column::Slug)
        .all(db)
        .await
}

/// The records `ids` name, for their revision numbers and retractions.
pub async fn records(
    db: &impl ConnectionTrait,
    ids: &[String],
) -> Result<Vec<record::Model>, DbErr> {
    record::Entity::find()
        .filter(record::Column::Id.is_in(ids.to_vec()))
        .all(db)
        .await
}

/// Up to `limit` revisions of one record after revision `after`, oldest first.
pub async fn revisions_of(
    db: &impl ConnectionTrait,
    identity: &str,
    after: i32,
    limit: u64,
) -> Result<Vec<revision::Model>, DbErr> {
    revision::Entity::find()
        .filter(revision::Column::RecordId.eq(identity))
        .filter(revision::Column::Number.gt(after))
        .order_by_asc(revision::Column::Number)
        .limit(limit)
        .all(db)
        .await
}

/// The changes of the feed, only of the GraphQL types `kinds` when given, only corrections
/// when `corrections_only`.
fn feed_select(kinds: Option<&[String]>, corrections_only: bool) -> Select<revision::Entity> {
    let mut select = revision::Entity::find();
    if let Some(kinds) = kinds {
        select = select.filter(revision::Column::NodeType.is_in(kinds.to_vec()));
    }
    if corrections_only {
        select = select.filter(revision::Column::Correction.eq(true));
    }
    select
}

/// Up to `limit` changes after feed position `after`, in feed order; only of the GraphQL
/// types `kinds` when given; only corrections when `corrections_only`.
pub async fn changes(
    db: &impl ConnectionTrait,
    after: i32,
    limit: u64,
    kinds: Option<&[String]>,
    corrections_only: bool,
) -> Result<Vec<revision::Model>, DbErr> {
    feed_select(kinds, corrections_only)
        .filter(revision::Column::Id.gt(after))
        .order_by_asc(revision::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// How many changes the feed holds, with the same filters as [`changes`].
pub async fn change_total(
    db: &impl ConnectionTrait,
    kinds: Option<&[String]>,
    corrections_only: bool,
) -> Result<u64, DbErr> {
    feed_select(kinds, corrections_only).count(db).await
}

/// The position of the last change in the feed, 0 before the first.
pub async fn last_position(db: &impl ConnectionTrait) -> Result<i32, DbErr> {
    Ok(revision::Entity::find()
        .order_by_desc(revision::Column::Id)
        .one(db)
        .await?
        .map_or(0, |r| r.id))
}

/// How many changes a version made.
pub async fn change_count(db: &impl ConnectionTrait, version: i32) -> Result<u64, DbErr> {
    revision::Entity::find()
        .filter(revision::Column::Version.eq(version))
        .count(db)
        .await
}

/// Up to `limit` dataset versions after `after`, oldest first.
pub async fn versions(
    db: &impl ConnectionTrait,
    after: i32,
    limit: u64,
) -> Result<Vec<dataset_version::Model>, DbErr> {
    dataset_version::Entity::find()
        .filter(dataset_version::Column::Id.gt(after))
        .order_by_asc(dataset_version::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// How many dataset versions there are.
pub async fn version_total(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    dataset_version::Entity::find().count(db).await
}

/// The last revision of every record at dataset version `version` that was live then: the
/// dataset exactly as it was, as snapshots, in feed order of their first appearance.
pub async fn state_at(
    db: &impl ConnectionTrait,
    version: i32,
) -> Result<Vec<revision::Model>, DbErr> {
    let revisions = revision::Entity::find()
        .filter(revision::Column::Version.lte(version))
        .order_by_asc(revision::Column::Id)
        .all(db)
        .await?;
    let mut latest: std::collections::HashMap<String, usize> = Default::default();
    let mut order: Vec<revision::Model> = Vec::new();
    for revision in revisions {
        match latest.get(&revision.record_id) {
            Some(&index) => order[index] = revision,
            None => {
                latest.insert(revision.record_id.clone(), order.len());
                order.push(revision);
            }
        }
    }
    Ok(order
        .into_iter()
        .filter(|r| r.operation != "RETRACT")
        .collect())
}

/// The records `ids` name, by identity: the loader behind `revision` and `retraction`.
pub async fn records_by_id(
    db: &impl ConnectionTrait,
    ids: &[String],
) -> Result<std::collections::HashMap<String, record::Model>, DbErr> {
    Ok(records(db, ids)
        .await?
        .into_iter()
        .map(|r| (r.id.clone(), r))
        .collect())
}

/// The former slugs of each of `ids`, by identity: the loader behind `formerSlugs`.
pub async fn former_slugs_by_record(
    db: &impl ConnectionTrait,
    ids: &[String],
) -> Result<std::collections::HashMap<String, Vec<String>>, DbErr> {
    let mut out: std::collections::HashMap<String, Vec<String>> =
        ids.iter().map(|id| (id.clone(), Vec::new())).collect();
    for row in former_slugs(db, ids).await? {
        out.entry(row.record_id).or_default().push(row.slug);
    }
    Ok(out)
}

/// The dataset version `id`.
pub async fn version(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<Option<dataset_version::Model>, DbErr> {
    dataset_version::Entity::find_by_id(id).one(db).await
}

/// Up to `limit` corrections, newest first, after skipping the `skip` newest: the pages of
/// the public corrections log.
pub async fn corrections_newest_first(
    db: &impl ConnectionTrait,
    skip: u64,
    limit: u64,
) -> Result<Vec<revision::Model>, DbErr> {
    feed_select(None, true)
        .order_by_desc(revision::Column::Id)
        .offset(skip)
        .limit(limit)
        .all(db)
        .await
}

/// Up to `limit` of the corrections of one record, newest first: what its permalink page
/// lists.
pub async fn corrections_of(
    db: &impl ConnectionTrait,
    identity: &str,
    limit: u64,
) -> Result<Vec<revision::Model>, DbErr> {
    revision::Entity::find()
        .filter(revision::Column::RecordId.eq(identity))
        .filter(revision::Column::Correction.eq(true))
        .order_by_desc(revision::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// The last dataset-table row of every retracted record in `namespace`, as JSON, by slug:
/// what a list adds with `includeRetracted`. Retracted records are the exceptions of a
/// dataset, so they are read whole and merged into a page in memory (see
/// [`super::page::merge`]) rather than kept in a second set of tables.
pub async fn retracted_rows(
    db: &impl ConnectionTrait,
    namespace: &str,
) -> Result<Vec<String>, DbErr> {
    Ok(record::Entity::find()
        .filter(record::Column::Kind.eq(namespace))
        .filter(record::Column::RetractedVersion.is_not_null())
        .order_by_asc(record::Column::Slug)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|r| r.retracted_row)
        .collect())
}
