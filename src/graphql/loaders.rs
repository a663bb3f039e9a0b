//! The batched loaders behind every relation field.
//!
//! Each key type names one question ("the entity with this slug", "the relations this entity
//! is the subject of"); [`StoreLoader`] answers all the keys of one type that a request level
//! asks for with one query from [`crate::store::queries`]. One `DataLoader` is made per
//! request, so its cache never serves one client's view to another.

use std::collections::HashMap;

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use sea_orm::DatabaseConnection;

use super::error::ApiError;
use crate::store::{
    entities::*,
    queries::{self, End},
};

/// Answers the loaders' keys from the database.
pub struct StoreLoader {
    db: DatabaseConnection,
}

/// The loader one request uses.
pub type Loaders = DataLoader<StoreLoader, HashMapCache>;

/// A fresh loader for one request.
pub fn for_request(db: DatabaseConnection) -> Loaders {
    DataLoader::with_cache(StoreLoader { db }, tokio::spawn, HashMapCache::default())
}

/// Declares a key type and how [`StoreLoader`] answers it.
macro_rules! batched {
    ($(#[$doc:meta])* $key:ident => $value:ty, |$db:ident, $slugs:ident| $fetch:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $key(pub String);

        impl Loader<$key> for StoreLoader {
            type Value = $value;
            type Error = ApiError;

            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, Self::Value>, Self::Error> {
                let $db = &self.db;
                let $slugs: Vec<String> = keys.iter().map(|key| key.0.clone()).collect();
                let found = $fetch.await?;
                Ok(found.into_iter().map(|(slug, value)| ($key(slug), value)).collect())
            }
        }
    };
}

batched!(
    /// An entity, by slug.
    EntityBySlug => entity::Model, |db, slugs| queries::entities_by_slug(db, &slugs)
);
batched!(
    /// A source, by slug.
    SourceBySlug => source::Model, |db, slugs| queries::sources_by_slug(db, &slugs)
);
batched!(
    /// A claim, by slug.
    ClaimBySlug => claim::Model, |db, slugs| queries::claims_by_slug(db, &slugs)
);
batched!(
    /// A fact, by slug.
    FactBySlug => fact::Model, |db, slugs| queries::facts_by_slug(db, &slugs)
);
batched!(
    /// A relation, by key.
    RelationByKey => relation::Model, |db, slugs| queries::relations_by_key(db, &slugs)
);
batched!(
    /// An entity's aliases.
    AliasesOf => Vec<String>, |db, slugs| queries::aliases(db, &slugs)
);
batched!(
    /// The relations an entity is the subject of.
    RelationsFrom => Vec<relation::Model>, |db, slugs| queries::relations_of(db, End::Subject, &slugs)
);
batched!(
    /// The relations an entity is the object of.
    RelationsTo => Vec<relation::Model>, |db, slugs| queries::relations_of(db, End::Object, &slugs)
);
batched!(
    /// A relation's evidence claims.
    EvidenceOf => Vec<claim::Model>, |db, slugs| queries::evidence(db, &slugs)
);
batched!(
    /// The claims about an entity.
    ClaimsAbout => Vec<claim::Model>, |db, slugs| queries::claims_about(db, &slugs)
);
batched!(
    /// The slugs of the entities a claim is about.
    SubjectsOf => Vec<String>, |db, slugs| queries::claim_subjects(db, &slugs)
);
batched!(
    /// The slugs of the actors a claim is attributed to.
    AssertersOf => Vec<String>, |db, slugs| queries::claim_asserters(db, &slugs)
);
batched!(
    /// The slugs of a source's authors.
    AuthorsOf => Vec<String>, |db, slugs| queries::source_actors(db, "author", &slugs)
);
batched!(
    /// The slug of a source's publisher.
    PublishersOf => Vec<String>, |db, slugs| queries::source_actors(db, "publisher", &slugs)
);
batched!(
    /// The sources an actor authored.
    SourcesBy => Vec<source::Model>, |db, slugs| queries::authored_sources(db, &slugs)
);
batched!(
    /// A law's provisions.
    ProvisionsOf => Vec<law_provision::Model>, |db, slugs| queries::provisions(db, &slugs)
);
batched!(
    /// A law's penalties.
    PenaltiesOf => Vec<law_penalty::Model>, |db, slugs| queries::penalties(db, &slugs)
);
batched!(
    /// The claims stating a fact.
    ClaimsOfFact => Vec<claim::Model>, |db, slugs| queries::claims_of_facts(db, &slugs)
);
batched!(
    /// The recommendations a source makes.
    RecommendationsOf => Vec<entity::Model>, |db, slugs| queries::recommendations_of_sources(db, &slugs)
);
