//! The query root of the Relay `Node` interface: `node(id:)` and `nodes(ids:)`, which fetch
//! any record by its global ID, whatever its type.

use async_graphql::{Context, ID, Object};

use super::{
    error::ApiError,
    ids::{self, NodeType},
    loaders::{ClaimBySlug, EntityBySlug, FactBySlug, RelationByKey, SourceBySlug},
    types::{Claim, Entity, Fact, Node, Relation, Source, database, loaders},
};

/// The most IDs `nodes(ids:)` takes at once.
pub const MAX_NODES: usize = 100;

/// The `node` and `nodes` fields.
#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// Fetches any record by its global ID, whatever its type. Unknown IDs give null.
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A global ID.")] id: ID,
    ) -> Result<Option<Node>, ApiError> {
        let (node, key) = ids::decode(&id)?;
        load_node(ctx, node, key).await
    }

    /// Fetches up to 100 records by their global IDs, in the order given; unknown IDs give
    /// null in their place.
    async fn nodes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global IDs.")] ids: Vec<ID>,
    ) -> Result<Vec<Option<Node>>, ApiError> {
        if ids.len() > MAX_NODES {
            return Err(ApiError::InvalidArgument(format!(
                "`nodes` takes at most {MAX_NODES} IDs"
            )));
        }
        let mut found = Vec::with_capacity(ids.len());
        for id in &ids {
            let (node, key) = ids::decode(id)?;
            found.push(load_node(ctx, node, key).await?);
        }
        Ok(found)
    }
}

pub(crate) async fn load_node(
    ctx: &Context<'_>,
    node: NodeType,
    key: String,
) -> Result<Option<Node>, ApiError> {
    // The ID names an identity; the record may have another slug, or another entity kind,
    // since it was minted.
    let identity = format!("{}:{key}", node.name());
    let Some(record) = crate::store::history::record(database(ctx).await?, &identity).await? else {
        return Ok(None);
    };
    if let Some(row) = &record.retracted_row {
        // A retracted record is no longer in the dataset tables: it resolves to the last row
        // it had there, and its `retraction` says when and why it went.
        return Ok(retracted(node, row));
    }
    let key = record.slug;
    let loaders = loaders(ctx)?;
    Ok(match node {
        NodeType::Source => loaders
            .load_one(SourceBySlug(key))
            .await?
            .map(|m| Node::Source(Source::new(m))),
        NodeType::Entity(_) => loaders
            .load_one(EntityBySlug(key))
            .await?
            .filter(|m| m.id == identity)
            .map(|m| Entity::from_model(m).into()),
        NodeType::Claim => loaders
            .load_one(ClaimBySlug(key))
            .await?
            .map(|m| Node::Claim(Claim::new(m))),
        NodeType::Relation => loaders
            .load_one(RelationByKey(key))
            .await?
            .map(|m| Node::Relation(Relation::new(m))),
        NodeType::Fact => loaders
            .load_one(FactBySlug(key))
            .await?
            .map(|m| Node::Fact(Fact(m))),
    })
}

/// The last row of the retracted record of type `node` that `key` names (a current or former
/// slug, or a relation's key): what a lookup by slug answers once the dataset tables no longer
/// hold the record, as `node(id:)` does. Null when no retracted record has that key.
pub(crate) async fn retracted_model<M: serde::de::DeserializeOwned>(
    ctx: &Context<'_>,
    node: NodeType,
    key: &str,
) -> Result<Option<M>, ApiError> {
    let namespace = crate::store::identity::namespace_of_type(node.name()).unwrap_or("entity");
    let Some(record) = crate::store::history::by_slug(database(ctx).await?, namespace, key).await?
    else {
        return Ok(None);
    };
    Ok(record
        .retracted_row
        .and_then(|row| serde_json::from_str(&row).ok()))
}

/// The node a retracted record's last row describes.
fn retracted(node: NodeType, row: &str) -> Option<Node> {
    use crate::store::entities::{claim, entity, fact, relation, source};
    Some(match node {
        NodeType::Source => Node::Source(Source::from(
            serde_json::from_str::<source::Model>(row).ok()?,
        )),
        NodeType::Entity(_) => {
            Entity::from_model(serde_json::from_str::<entity::Model>(row).ok()?).into()
        }
        NodeType::Claim => Node::Claim(Claim::new(serde_json::from_str::<claim::Model>(row).ok()?)),
        NodeType::Relation => Node::Relation(Relation::new(
            serde_json::from_str::<relation::Model>(row).ok()?,
        )),
        NodeType::Fact => Node::Fact(Fact(serde_json::from_str::<fact::Model>(row).ok()?)),
    })
}

/// The last rows of the retracted records of `namespace` that `keep` lets through, when the
/// list was asked to `include` them; none otherwise. `filtered` says whether the client gave
/// a filter this list cannot test on a retracted record's row (one that needs its links,
/// which went with it): that is refused rather than answered wrongly.
pub(crate) async fn retracted_rows<M: serde::de::DeserializeOwned>(
    ctx: &Context<'_>,
    namespace: &str,
    include: bool,
    filtered: bool,
    keep: impl Fn(&M) -> bool,
) -> Result<Vec<M>, ApiError> {
    if !include {
        return Ok(Vec::new());
    }
    if filtered {
        return Err(ApiError::InvalidArgument(
            "`includeRetracted: true` lists every retracted record of the list's type, and \
             cannot be combined with this `filter`: a retracted record no longer has the \
             links the filter reads. Ask without the filter, or without `includeRetracted`"
                .to_owned(),
        ));
    }
    Ok(
        crate::store::history::retracted_rows(database(ctx).await?, namespace)
            .await?
            .iter()
            .filter_map(|row| serde_json::from_str::<M>(row).ok())
            .filter(|m| keep(m))
            .collect(),
    )
}
