//! Global IDs: opaque, and the same on every database and every reload.
//!
//! An ID encodes the record's identity (see [`crate::store::identity`]), minted once from its
//! type and the slug it was created with, base64url-encoded: `Actor:kim-jong-un` becomes
//! `QWN0b3I6a2ltLWpvbmctdW4`. A rename keeps the identity, so an ID a partner stored
//! yesterday finds the same record today, whatever its slug now is. Clients should treat IDs
//! as opaque strings; `slug` fields give the readable form.

use async_graphql::ID;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

use super::error::ApiError;
use crate::domain::EntityKind;

/// The types that have global IDs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeType {
    Source,
    Entity(EntityKind),
    Claim,
    Relation,
    Fact,
}

impl NodeType {
    /// The GraphQL type name, as it appears in IDs.
    pub fn name(&self) -> &'static str {
        match self {
            NodeType::Source => "Source",
            NodeType::Entity(EntityKind::Actor) => "Actor",
            NodeType::Entity(EntityKind::Law) => "Law",
            NodeType::Entity(EntityKind::Measure) => "Measure",
            NodeType::Entity(EntityKind::Event) => "Event",
            NodeType::Entity(EntityKind::Recommendation) => "Recommendation",
            NodeType::Claim => "Claim",
            NodeType::Relation => "Relation",
            NodeType::Fact => "Fact",
        }
    }

    fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "Source" => NodeType::Source,
            "Actor" => NodeType::Entity(EntityKind::Actor),
            "Law" => NodeType::Entity(EntityKind::Law),
            "Measure" => NodeType::Entity(EntityKind::Measure),
            "Event" => NodeType::Entity(EntityKind::Event),
            "Recommendation" => NodeType::Entity(EntityKind::Recommendation),
            "Claim" => NodeType::Claim,
            "Relation" => NodeType::Relation,
            "Fact" => NodeType::Fact,
            _ => return None,
        })
    }
}

/// The global ID of a record's identity, as stored in its `id` column.
pub fn of(identity: &str) -> ID {
    ID(crate::store::identity::global_id(identity))
}

/// The global ID of a record.
pub fn encode(node: NodeType, key: &str) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{}:{key}", node.name())))
}

/// The type and key a global ID names.
pub fn decode(id: &str) -> Result<(NodeType, String), ApiError> {
    let invalid = || ApiError::InvalidId(id.chars().take(100).collect());
    let bytes = URL_SAFE_NO_PAD.decode(id).map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let (name, key) = text.split_once(':').ok_or_else(invalid)?;
    let node = NodeType::from_name(name).ok_or_else(invalid)?;
    if key.is_empty() {
        return Err(invalid());
    }
    Ok((node, key.to_owned()))
}

/// The key of a global ID that must name a record of type `expected`.
pub fn decode_as(id: &str, expected: NodeType) -> Result<String, ApiError> {
    match decode(id)? {
        (node, key) if node == expected => Ok(key),
        _ => Err(ApiError::InvalidId(id.chars().take(100).collect())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_decodes_to_what_it_encodes() {
        let id = encode(NodeType::Entity(EntityKind::Actor), "kim-jong-un");
        assert_eq!(id.as_str(), "QWN0b3I6a2ltLWpvbmctdW4");
        assert_eq!(
            decode(&id).unwrap(),
            (
                NodeType::Entity(EntityKind::Actor),
                "kim-jong-un".to_owned()
            )
        );
        assert!(decode_as(&id, NodeType::Claim).is_err());
    }

    #[test]
    fn garbage_is_not_an_id() {
        for id in ["", "!!!", "Zm9v", "VW5rbm93bjp4"] {
            assert!(decode(id).is_err(), "{id} decoded");
        }
    }
}
