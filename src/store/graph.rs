//! The graph of entities and relations: the neighbourhood of one entity, hop by hop, and the
//! best-connected part of the whole dataset, each edge with how much evidence backs it.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

use super::{
    entities::*,
    queries::{self, End},
    sql::Sql,
};
use crate::domain::{EntityKind, RelationType};

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
    /// Whether nodes or edges were left out to keep the graph within its bounds.
    pub truncated: bool,
}

/// A graph of `n` nodes has at most `EDGES_PER_NODE × n` edges: the first by key are kept.
pub const EDGES_PER_NODE: usize = 4;

impl Graph {
    /// Keeps at most [`EDGES_PER_NODE`] edges per node the graph may have.
    fn bound_edges(&mut self, max_nodes: usize) {
        let max_edges = max_nodes.saturating_mul(EDGES_PER_NODE);
        if self.edges.len() > max_edges {
            self.edges.truncate(max_edges);
            self.truncated = true;
        }
    }
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
    graph.bound_edges(max_nodes);
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
    let mut graph = Graph {
        depths: ranked.iter().map(|e| (e.slug.clone(), 0)).collect(),
        nodes: ranked.into_iter().cloned().collect(),
        edges: with_support(edges, &support),
        truncated,
    };
    graph.bound_edges(max_nodes);
    Ok(graph)
}
