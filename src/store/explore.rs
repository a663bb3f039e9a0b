//! The questions a visualization asks of the whole dataset: a timeline of dated items, counts
//! per period and per kind, and the graph of entities and relations.
//!
//! Dates are stored as ISO prefixes of their precision (`2020`, `2020-03`, `2020-03-26`), and
//! those strings sort by their first possible day, a coarser date before a finer one that
//! starts on the same day. The timeline sorts on them as text, so a date known only to the
//! year comes at the start of its year, before the dated days of that year, on both databases.
//! Bucketing by month keeps a year-only date in a bucket of its own (`2020`), never in January.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::{
    entities::*,
    page::{Cursor, PageError, SortValue},
    queries::{self, DateRange, End},
    sql::Sql,
};
use crate::domain::{ActorKind, Certainty, ClaimKind, EntityKind, RelationType};

/// What a dated item on the timeline marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, async_graphql::Enum)]
pub enum TimelineKind {
    /// An event happened, or began.
    Event,
    /// An event that lasted ended.
    EventEnd,
    /// A measure was imposed.
    MeasureStart,
    /// A measure was lifted or ended.
    MeasureEnd,
    /// A law was enacted.
    LawEnacted,
    /// What a claim says holds from this date.
    Claim,
    /// What a claim says holds until this date.
    ClaimEnd,
}

impl TimelineKind {
    /// Every kind, in the order items of the same date are listed.
    pub const ALL: [TimelineKind; 7] = [
        TimelineKind::Event,
        TimelineKind::EventEnd,
        TimelineKind::MeasureStart,
        TimelineKind::MeasureEnd,
        TimelineKind::LawEnacted,
        TimelineKind::Claim,
        TimelineKind::ClaimEnd,
    ];

    fn rank(self) -> i64 {
        match self {
            TimelineKind::Event => 1,
            TimelineKind::EventEnd => 2,
            TimelineKind::MeasureStart => 3,
            TimelineKind::MeasureEnd => 4,
            TimelineKind::LawEnacted => 5,
            TimelineKind::Claim => 6,
            TimelineKind::ClaimEnd => 7,
        }
    }

    fn from_rank(rank: i64) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.rank() == rank)
    }

    /// Whether the item is an entity's date (else a claim's).
    pub fn is_entity(self) -> bool {
        !matches!(self, TimelineKind::Claim | TimelineKind::ClaimEnd)
    }

    /// The table, column and row condition the kind's dates come from.
    fn origin(self) -> (&'static str, &'static str, &'static str) {
        match self {
            TimelineKind::Event => ("entity", "starts_on", "kind = 'event'"),
            TimelineKind::EventEnd => ("entity", "ends_on", "kind = 'event'"),
            TimelineKind::MeasureStart => ("entity", "starts_on", "kind = 'measure'"),
            TimelineKind::MeasureEnd => ("entity", "ends_on", "kind = 'measure'"),
            TimelineKind::LawEnacted => ("entity", "starts_on", "kind = 'law'"),
            TimelineKind::Claim => ("claim", "holds_from", "1 = 1"),
            TimelineKind::ClaimEnd => ("claim", "holds_until", "1 = 1"),
        }
    }
}

/// Which items a timeline holds.
#[derive(Debug, Clone, Default)]
pub struct TimelineFilter {
    /// Only items of these kinds; every kind when empty.
    pub kinds: Vec<TimelineKind>,
    /// Only items whose date may fall in this range: a date known to the year is in a range
    /// that touches that year.
    pub dates: DateRange,
    /// Only items of this entity (its slug), of the entities related to it, and of the claims
    /// about it.
    pub entity: Option<String>,
}

/// One dated item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineRow {
    pub kind: TimelineKind,
    /// The slug of the entity or claim the date belongs to.
    pub slug: String,
    /// The date, as an ISO prefix of its precision.
    pub date: String,
}

impl TimelineRow {
    /// The cursor that marks this item's place on the timeline.
    pub fn cursor(&self) -> Cursor {
        Cursor {
            ordering: "timeline".to_owned(),
            values: vec![
                SortValue::Text(self.date.clone()),
                SortValue::Int(self.kind.rank()),
                SortValue::Text(self.slug.clone()),
            ],
        }
    }

    /// The item a timeline cursor marks.
    pub fn from_cursor(cursor: &Cursor) -> Result<Self, PageError> {
        match (cursor.ordering.as_str(), cursor.values.as_slice()) {
            (
                "timeline",
                [
                    SortValue::Text(date),
                    SortValue::Int(rank),
                    SortValue::Text(slug),
                ],
            ) => Ok(TimelineRow {
                kind: TimelineKind::from_rank(*rank).ok_or(PageError::BadCursor)?,
                slug: slug.clone(),
                date: date.clone(),
            }),
            _ => Err(PageError::BadCursor),
        }
    }
}

/// Writes the union of every dated item `filter` lets through, as `rank, slug, date`.
fn dated_items(sql: &mut Sql, filter: &TimelineFilter) {
    let kinds: Vec<TimelineKind> = if filter.kinds.is_empty() {
        TimelineKind::ALL.to_vec()
    } else {
        TimelineKind::ALL
            .into_iter()
            .filter(|kind| filter.kinds.contains(kind))
            .collect()
    };
    for (index, kind) in kinds.into_iter().enumerate() {
        if index > 0 {
            sql.push(" UNION ALL ");
        }
        let (table, column, condition) = kind.origin();
        sql.push(&format!(
            "SELECT CAST({rank} AS BIGINT) AS rank, slug, {column} AS date FROM {table} \
             WHERE {column} IS NOT NULL AND {condition}",
            rank = kind.rank()
        ));
        if let Some(entity) = &filter.entity {
            if kind.is_entity() {
                sql.push(" AND (slug = ")
                    .bind(entity.as_str())
                    .push(" OR slug IN (SELECT object_slug FROM relation WHERE subject_slug = ")
                    .bind(entity.as_str())
                    .push(") OR slug IN (SELECT subject_slug FROM relation WHERE object_slug = ")
                    .bind(entity.as_str())
                    .push("))");
            } else {
                sql.push(" AND slug IN (SELECT claim_slug FROM claim_subject WHERE entity_slug = ")
                    .bind(entity.as_str())
                    .push(")");
            }
        }
        if let Some(to) = filter.dates.to {
            sql.push(&format!(" AND {column} <= ")).bind(to.latest());
        }
        if let Some(from) = filter.dates.from {
            // The date's last day is on or after the range's first day: compare the date with
            // the range's first day cut to the date's own precision.
            sql.push(&format!(" AND {column} >= substr("))
                .bind(from.earliest())
                .push(&format!(", 1, length({column}))"));
        }
    }
}

/// Up to `limit` items of the timeline, in date order, after `after` when given.
pub async fn timeline(
    db: &impl ConnectionTrait,
    filter: &TimelineFilter,
    after: Option<&TimelineRow>,
    limit: u64,
) -> Result<Vec<TimelineRow>, DbErr> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("SELECT rank, slug, date FROM (");
    dated_items(&mut sql, filter);
    sql.push(") AS item");
    if let Some(after) = after {
        sql.push(" WHERE date > ")
            .bind(after.date.as_str())
            .push(" OR (date = ")
            .bind(after.date.as_str())
            .push(" AND (rank > ")
            .bind(after.kind.rank())
            .push(" OR (rank = ")
            .bind(after.kind.rank())
            .push(" AND slug > ")
            .bind(after.slug.as_str())
            .push(")))");
    }
    sql.push(" ORDER BY date, rank, slug LIMIT ")
        .bind(i64::try_from(limit).unwrap_or(i64::MAX));
    let rows = db.query_all_raw(sql.statement()).await?;
    rows.into_iter()
        .map(|row| {
            let rank: i64 = row.try_get("", "rank")?;
            Ok(TimelineRow {
                kind: TimelineKind::from_rank(rank)
                    .ok_or_else(|| DbErr::Custom(format!("unknown timeline rank {rank}")))?,
                slug: row.try_get("", "slug")?,
                date: row.try_get("", "date")?,
            })
        })
        .collect()
}

/// How many items the timeline holds with `filter`.
pub async fn timeline_count(
    db: &impl ConnectionTrait,
    filter: &TimelineFilter,
) -> Result<u64, DbErr> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("SELECT COUNT(*) AS n FROM (");
    dated_items(&mut sql, filter);
    sql.push(") AS item");
    let n: i64 = match db.query_one_raw(sql.statement()).await? {
        Some(row) => row.try_get("", "n")?,
        None => 0,
    };
    Ok(u64::try_from(n).unwrap_or_default())
}

/// The length of the periods a timeline is counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, async_graphql::Enum)]
pub enum Interval {
    /// One bucket per year.
    Year,
    /// One bucket per month, and one per year for the dates known only to the year.
    Month,
}

/// How many items fall in one period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bucket {
    /// The period: `2020` or `2020-03`. A `2020` bucket of a monthly count holds the dates
    /// known only to the year 2020.
    pub period: String,
    /// How many items of each kind, in kind order.
    pub by_kind: Vec<(TimelineKind, u64)>,
}

/// The timeline's items counted per `interval`, in period order.
pub async fn timeline_buckets(
    db: &impl ConnectionTrait,
    filter: &TimelineFilter,
    interval: Interval,
) -> Result<Vec<Bucket>, DbErr> {
    let bucket = match interval {
        Interval::Year => "substr(date, 1, 4)",
        Interval::Month => "substr(date, 1, 7)",
    };
    let mut sql = Sql::new(db.get_database_backend());
    sql.push(&format!(
        "SELECT {bucket} AS period, rank, COUNT(*) AS n FROM ("
    ));
    dated_items(&mut sql, filter);
    sql.push(&format!(") AS item GROUP BY {bucket}, rank"));
    let mut buckets: BTreeMap<String, BTreeMap<TimelineKind, u64>> = BTreeMap::new();
    for row in db.query_all_raw(sql.statement()).await? {
        let rank: i64 = row.try_get("", "rank")?;
        let n: i64 = row.try_get("", "n")?;
        let kind = TimelineKind::from_rank(rank)
            .ok_or_else(|| DbErr::Custom(format!("unknown timeline rank {rank}")))?;
        *buckets
            .entry(row.try_get("", "period")?)
            .or_default()
            .entry(kind)
            .or_default() += u64::try_from(n).unwrap_or_default();
    }
    Ok(buckets
        .into_iter()
        .map(|(period, by_kind)| Bucket {
            period,
            by_kind: by_kind.into_iter().collect(),
        })
        .collect())
}

/// Which part of the graph to draw.
#[derive(Debug, Clone, Default)]
pub struct GraphFilter {
    /// Only relations of these types; every type when empty.
    pub types: Vec<RelationType>,
    /// Only entities of these kinds (the centre is always drawn); every kind when empty.
    pub entity_kinds: Vec<EntityKind>,
}

impl GraphFilter {
    fn allows_type(&self, relation: &relation::Model) -> bool {
        self.types.is_empty() || self.types.contains(&relation.relation_type)
    }

    fn allows_kind(&self, entity: &entity::Model) -> bool {
        self.entity_kinds.is_empty() || self.entity_kinds.contains(&entity.kind)
    }
}

/// An edge of the graph with how much backs it.
#[derive(Debug, Clone)]
pub struct GraphEdge {
    pub relation: relation::Model,
    /// How many claims are its evidence.
    pub evidence: u64,
    /// How many distinct sources those claims quote.
    pub sources: u64,
}

/// Nodes and edges, ready to draw.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    /// The entities, the centre first, then in the order they were reached, by slug.
    pub nodes: Vec<entity::Model>,
    /// How many hops each node is from the centre (0 for the centre; 0 for every node of the
    /// whole-dataset graph).
    pub depths: HashMap<String, u8>,
    /// The relations between the nodes, by key.
    pub edges: Vec<GraphEdge>,
    /// Whether nodes were left out to keep the graph within its bound.
    pub truncated: bool,
}

/// The evidence and source counts of each relation; of every relation when `keys` is `None`.
async fn support(
    db: &impl ConnectionTrait,
    keys: Option<&[String]>,
) -> Result<HashMap<String, (u64, u64)>, DbErr> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push(
        "SELECT relation_evidence.relation_key AS relation_key, COUNT(*) AS evidence, \
         COUNT(DISTINCT claim.source_slug) AS sources \
         FROM relation_evidence JOIN claim ON claim.slug = relation_evidence.claim_slug",
    );
    if let Some(keys) = keys {
        if keys.is_empty() {
            return Ok(HashMap::new());
        }
        sql.push(" WHERE relation_evidence.relation_key IN ")
            .bind_list(keys.iter().map(String::as_str));
    }
    sql.push(" GROUP BY relation_evidence.relation_key");
    let mut counts = HashMap::new();
    for row in db.query_all_raw(sql.statement()).await? {
        let evidence: i64 = row.try_get("", "evidence")?;
        let sources: i64 = row.try_get("", "sources")?;
        counts.insert(
            row.try_get("", "relation_key")?,
            (
                u64::try_from(evidence).unwrap_or_default(),
                u64::try_from(sources).unwrap_or_default(),
            ),
        );
    }
    Ok(counts)
}

fn with_support(
    relations: Vec<relation::Model>,
    support: &HashMap<String, (u64, u64)>,
) -> Vec<GraphEdge> {
    relations
        .into_iter()
        .map(|relation| {
            let (evidence, sources) = support.get(&relation.key).copied().unwrap_or_default();
            GraphEdge {
                relation,
                evidence,
                sources,
            }
        })
        .collect()
}

/// The entities and relations within `depth` hops of `center`, at most `max_nodes` nodes;
/// `None` when there is no entity `center`. Runs two statements per hop and two more.
pub async fn neighbourhood(
    db: &impl ConnectionTrait,
    center: &str,
    depth: u8,
    filter: &GraphFilter,
    max_nodes: usize,
) -> Result<Option<Graph>, DbErr> {
    let Some(centre) = queries::entities_by_slug(db, &[center.to_owned()])
        .await?
        .remove(center)
    else {
        return Ok(None);
    };
    let mut graph = Graph::default();
    graph.depths.insert(centre.slug.clone(), 0);
    graph.nodes.push(centre);
    let mut edges: BTreeMap<String, relation::Model> = BTreeMap::new();
    let mut frontier = vec![center.to_owned()];
    for hop in 1..=depth {
        if frontier.is_empty() {
            break;
        }
        let mut relations: Vec<relation::Model> = Vec::new();
        for end in [End::Subject, End::Object] {
            relations.extend(
                queries::relations_of(db, end, &frontier)
                    .await?
                    .into_values()
                    .flatten()
                    .filter(|relation| filter.allows_type(relation)),
            );
        }
        let unseen: BTreeSet<String> = relations
            .iter()
            .flat_map(|r| [r.subject_slug.clone(), r.object_slug.clone()])
            .filter(|slug| !graph.depths.contains_key(slug))
            .collect();
        let unseen: Vec<String> = unseen.into_iter().collect();
        let mut found = queries::entities_by_slug(db, &unseen).await?;
        let mut next = Vec::new();
        for slug in unseen {
            let Some(entity) = found.remove(&slug) else {
                continue;
            };
            if !filter.allows_kind(&entity) {
                continue;
            }
            if graph.nodes.len() >= max_nodes {
                graph.truncated = true;
                break;
            }
            graph.depths.insert(slug.clone(), hop);
            graph.nodes.push(entity);
            next.push(slug);
        }
        for relation in relations {
            if graph.depths.contains_key(&relation.subject_slug)
                && graph.depths.contains_key(&relation.object_slug)
            {
                edges.insert(relation.key.clone(), relation);
            }
        }
        frontier = next;
    }
    let keys: Vec<String> = edges.keys().cloned().collect();
    let support = support(db, Some(&keys)).await?;
    graph.edges = with_support(edges.into_values().collect(), &support);
    Ok(Some(graph))
}

/// The graph of the whole dataset, cut to the `max_nodes` best-connected entities (by number
/// of relations, then slug) and the relations among them.
pub async fn whole_graph(
    db: &impl ConnectionTrait,
    filter: &GraphFilter,
    max_nodes: usize,
) -> Result<Graph, DbErr> {
    let mut entities = entity::Entity::find();
    if !filter.entity_kinds.is_empty() {
        entities = entities.filter(entity::Column::Kind.is_in(filter.entity_kinds.iter().copied()));
    }
    let entities = entities.order_by_asc(entity::Column::Slug).all(db).await?;
    let allowed: HashSet<&str> = entities.iter().map(|e| e.slug.as_str()).collect();
    let relations: Vec<relation::Model> = queries::relations(&queries::RelationFilter {
        types: filter.types.clone(),
        ..Default::default()
    })
    .order_by_asc(relation::Column::Key)
    .all(db)
    .await?
    .into_iter()
    .filter(|r| {
        allowed.contains(r.subject_slug.as_str()) && allowed.contains(r.object_slug.as_str())
    })
    .collect();
    let mut degree: HashMap<&str, usize> = HashMap::new();
    for relation in &relations {
        *degree.entry(relation.subject_slug.as_str()).or_default() += 1;
        *degree.entry(relation.object_slug.as_str()).or_default() += 1;
    }
    let mut ranked: Vec<&entity::Model> = entities
        .iter()
        .filter(|e| degree.contains_key(e.slug.as_str()))
        .collect();
    ranked.sort_by(|a, b| {
        degree[b.slug.as_str()]
            .cmp(&degree[a.slug.as_str()])
            .then_with(|| a.slug.cmp(&b.slug))
    });
    let truncated = ranked.len() > max_nodes;
    ranked.truncate(max_nodes);
    let kept: HashSet<&str> = ranked.iter().map(|e| e.slug.as_str()).collect();
    let edges: Vec<relation::Model> = relations
        .iter()
        .filter(|r| kept.contains(r.subject_slug.as_str()) && kept.contains(r.object_slug.as_str()))
        .cloned()
        .collect();
    let support = support(db, None).await?;
    Ok(Graph {
        depths: ranked.iter().map(|e| (e.slug.clone(), 0)).collect(),
        nodes: ranked.into_iter().cloned().collect(),
        edges: with_support(edges, &support),
        truncated,
    })
}

/// The counts a chart of the dataset shows.
#[derive(Debug, Clone, Default)]
pub struct Aggregates {
    pub entity_kinds: Vec<(EntityKind, u64)>,
    pub actor_kinds: Vec<(ActorKind, u64)>,
    pub certainties: Vec<(Certainty, u64)>,
    pub claim_kinds: Vec<(ClaimKind, u64)>,
    /// Claims per source slug.
    pub sources: Vec<(String, u64)>,
    /// Claims per year they hold from; undated claims are not counted.
    pub years: Vec<(i32, u64)>,
    /// Relations per type.
    pub relation_types: Vec<(RelationType, u64)>,
}

fn counted<K: Ord>(mut rows: Vec<(K, i64)>) -> Vec<(K, u64)> {
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    rows.into_iter()
        .map(|(key, n)| (key, u64::try_from(n).unwrap_or_default()))
        .collect()
}

/// Every count a chart of the dataset needs, one grouped statement each.
pub async fn aggregates(db: &impl ConnectionTrait) -> Result<Aggregates, DbErr> {
    let entity_kinds: Vec<(EntityKind, i64)> = entity::Entity::find()
        .select_only()
        .column(entity::Column::Kind)
        .column_as(entity::Column::Slug.count(), "n")
        .group_by(entity::Column::Kind)
        .into_tuple()
        .all(db)
        .await?;
    let actor_kinds: Vec<(ActorKind, i64)> = entity::Entity::find()
        .select_only()
        .column(entity::Column::ActorKind)
        .column_as(entity::Column::Slug.count(), "n")
        .filter(entity::Column::ActorKind.is_not_null())
        .group_by(entity::Column::ActorKind)
        .into_tuple()
        .all(db)
        .await?;
    let certainties: Vec<(Certainty, i64)> = claim::Entity::find()
        .select_only()
        .column(claim::Column::Certainty)
        .column_as(claim::Column::Slug.count(), "n")
        .group_by(claim::Column::Certainty)
        .into_tuple()
        .all(db)
        .await?;
    let claim_kinds: Vec<(ClaimKind, i64)> = claim::Entity::find()
        .select_only()
        .column(claim::Column::Kind)
        .column_as(claim::Column::Slug.count(), "n")
        .group_by(claim::Column::Kind)
        .into_tuple()
        .all(db)
        .await?;
    let sources: Vec<(String, i64)> = claim::Entity::find()
        .select_only()
        .column(claim::Column::SourceSlug)
        .column_as(claim::Column::Slug.count(), "n")
        .group_by(claim::Column::SourceSlug)
        .into_tuple()
        .all(db)
        .await?;
    let relation_types: Vec<(RelationType, i64)> = relation::Entity::find()
        .select_only()
        .column(relation::Column::RelationType)
        .column_as(relation::Column::Key.count(), "n")
        .group_by(relation::Column::RelationType)
        .into_tuple()
        .all(db)
        .await?;
    let mut sql = Sql::new(db.get_database_backend());
    sql.push(
        "SELECT substr(holds_from, 1, 4) AS year, COUNT(*) AS n FROM claim \
         WHERE holds_from IS NOT NULL GROUP BY substr(holds_from, 1, 4)",
    );
    let mut years = Vec::new();
    for row in db.query_all_raw(sql.statement()).await? {
        let year: String = row.try_get("", "year")?;
        let n: i64 = row.try_get("", "n")?;
        let year: i32 = year
            .parse()
            .map_err(|_| DbErr::Custom(format!("a claim is dated in the year {year:?}")))?;
        years.push((year, n));
    }
    Ok(Aggregates {
        entity_kinds: counted(entity_kinds),
        actor_kinds: counted(actor_kinds),
        certainties: counted(certainties),
        claim_kinds: counted(claim_kinds),
        sources: counted(sources),
        years: counted(years),
        relation_types: counted(relation_types),
    })
}

/// The keys of the relations whose evidence quotes at least `min` distinct sources.
pub fn relations_with_sources(min: u32) -> sea_orm::sea_query::SelectStatement {
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    Query::select()
        .column((
            relation_evidence::Entity,
            relation_evidence::Column::RelationKey,
        ))
        .from(relation_evidence::Entity)
        .inner_join(
            claim::Entity,
            Expr::col((claim::Entity, claim::Column::Slug)).equals((
                relation_evidence::Entity,
                relation_evidence::Column::ClaimSlug,
            )),
        )
        .group_by_col((
            relation_evidence::Entity,
            relation_evidence::Column::RelationKey,
        ))
        .and_having(
            Expr::col((claim::Entity, claim::Column::SourceSlug))
                .count_distinct()
                .gte(i64::from(min)),
        )
        .to_owned()
}
