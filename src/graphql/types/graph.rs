//! Graph-shaped output: nodes and edges a visualization library takes as they are.

use std::collections::HashMap;

use async_graphql::{ID, Object};

use super::{Entity, Relation};
use crate::{
    domain::{ActorKind, EntityKind, RelationType},
    graphql::ids,
    store::{entities::entity, graph},
};

/// Entities and the relations between them, shaped for d3-force, Cytoscape.js, vis-network or
/// Sigma: `nodes` carry `id`, `label` and `kind`; `edges` carry `source` and `target` (node
/// IDs), `type` and how much evidence backs them.
pub struct Graph(pub graph::Graph);

/// Entities and the relations between them, shaped for d3-force, Cytoscape.js, vis-network or
/// Sigma: `nodes` carry `id`, `label` and `kind`; `edges` carry `source` and `target` (node
/// IDs), `type` and how much evidence backs them.
#[Object]
impl Graph {
    /// The entities: for a neighbourhood the centre first, then by distance from it.
    async fn nodes(&self) -> Vec<GraphNode> {
        self.0
            .nodes
            .iter()
            .map(|model| GraphNode {
                depth: self.0.depths.get(&model.slug).copied().unwrap_or_default(),
                model: model.clone(),
            })
            .collect()
    }

    /// The relations whose both ends are among the nodes, by key: at most four per node the
    /// graph may have (`maxNodes`), the first by key.
    async fn edges(&self) -> Vec<GraphEdge> {
        let identities: HashMap<&str, &str> = self
            .0
            .nodes
            .iter()
            .map(|node| (node.slug.as_str(), node.id.as_str()))
            .collect();
        let id = |slug: &str| identities.get(slug).map(|identity| ids::of(identity));
        self.0
            .edges
            .iter()
            .filter_map(|edge| {
                Some(GraphEdge {
                    source: id(&edge.relation.subject_slug)?,
                    target: id(&edge.relation.object_slug)?,
                    edge: edge.clone(),
                })
            })
            .collect()
    }

    /// Whether entities or relations were left out to keep the graph within `maxNodes` nodes
    /// and four edges per node.
    async fn truncated(&self) -> bool {
        self.0.truncated
    }
}

/// An entity drawn as a node.
pub struct GraphNode {
    model: entity::Model,
    depth: u8,
}

/// An entity drawn as a node.
#[Object]
impl GraphNode {
    /// The entity's global ID, which edges refer to as `source` and `target`.
    async fn id(&self) -> ID {
        ids::of(&self.model.id)
    }

    /// The entity's slug.
    async fn slug(&self) -> &str {
        &self.model.slug
    }

    /// The text to draw: the entity's name.
    async fn label(&self) -> &str {
        &self.model.name
    }

    /// The kind of entity, to colour or shape the node by.
    async fn kind(&self) -> EntityKind {
        self.model.kind
    }

    /// For actors, the kind of actor.
    async fn actor_kind(&self) -> Option<ActorKind> {
        self.model.actor_kind
    }

    /// How many hops the node is from the centre: 0 for the centre itself, and for every node
    /// of the whole dataset's graph.
    async fn depth(&self) -> u8 {
        self.depth
    }

    /// The entity, for anything else about it.
    async fn entity(&self) -> Entity {
        Entity::from_model(self.model.clone())
    }
}

/// A relation drawn as a directed edge, from its subject to its object.
pub struct GraphEdge {
    edge: graph::GraphEdge,
    source: ID,
    target: ID,
}

/// A relation drawn as a directed edge, from its subject to its object.
#[Object]
impl GraphEdge {
    /// The relation's global ID.
    async fn id(&self) -> ID {
        ids::of(&self.edge.relation.id)
    }

    /// The ID of the node the edge starts at: the relation's subject.
    async fn source(&self) -> &ID {
        &self.source
    }

    /// The ID of the node the edge ends at: the relation's object.
    async fn target(&self) -> &ID {
        &self.target
    }

    /// The type of the relation.
    #[graphql(name = "type")]
    async fn relation_type(&self) -> RelationType {
        self.edge.relation.relation_type
    }

    /// How the relation holds, in plain words, when the dataset says.
    async fn label(&self) -> Option<&str> {
        self.edge.relation.description.as_deref()
    }

    /// How many claims are evidence for the relation: a weight for the edge.
    async fn evidence_count(&self) -> u64 {
        self.edge.evidence
    }

    /// How many distinct sources those claims quote.
    async fn source_count(&self) -> u64 {
        self.edge.sources
    }

    /// The relation, with its evidence, quotes and sources.
    async fn relation(&self) -> Relation {
        Relation::new(self.edge.relation.clone())
    }
}
