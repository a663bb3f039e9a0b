//! Record identities: what a global ID encodes, minted once and never reused.
//!
//! An identity is `"<Type>:<slug at creation>"` (a relation's, `"Relation:<key at creation>"`):
//! exactly what the global ID of nkhr 0.1 encoded, so every ID a client already holds keeps
//! its value. The global ID is the identity, base64url-encoded without padding. Slugs are
//! handles that may change; an identity never does, even when an entity's kind changes.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

use crate::domain::EntityKind;

/// The slug namespaces: the values of `record.kind` and `former_slug.kind`.
pub const NAMESPACES: [&str; 5] = ["source", "entity", "fact", "claim", "relation"];

/// The GraphQL type name of an entity kind, as it appears in identities and the feed.
pub fn entity_type(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Actor => "Actor",
        EntityKind::Law => "Law",
        EntityKind::Measure => "Measure",
        EntityKind::Event => "Event",
        EntityKind::Recommendation => "Recommendation",
    }
}

/// The identity a record new to the database is minted with.
pub fn mint(node_type: &str, oldest_slug: &str) -> String {
    format!("{node_type}:{oldest_slug}")
}

/// The global ID of an identity.
pub fn global_id(identity: &str) -> String {
    URL_SAFE_NO_PAD.encode(identity)
}

/// The identity a global ID encodes, if it encodes text at all.
pub fn from_global_id(id: &str) -> Option<String> {
    let bytes = URL_SAFE_NO_PAD.decode(id).ok()?;
    String::from_utf8(bytes).ok()
}

/// The namespace an identity's type belongs to.
pub fn namespace_of_type(node_type: &str) -> Option<&'static str> {
    Some(match node_type {
        "Source" => "source",
        "Actor" | "Law" | "Measure" | "Event" | "Recommendation" => "entity",
        "Fact" => "fact",
        "Claim" => "claim",
        "Relation" => "relation",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_identity_encodes_to_the_global_id_of_the_first_release() {
        assert_eq!(
            global_id(&mint("Actor", "kim-jong-un")),
            "QWN0b3I6a2ltLWpvbmctdW4"
        );
        assert_eq!(
            from_global_id("QWN0b3I6a2ltLWpvbmctdW4").as_deref(),
            Some("Actor:kim-jong-un")
        );
    }
}
