//! The batched loaders behind every relation field.
//!
//! Each key type names one question ("the entity with this slug", "the relations this entity
//! is the subject of"); [`StoreLoader`] answers all the keys of one type that a request level
//! asks for with one query from [`crate::store::queries`]. One `DataLoader` is made per
//! request.
//!
//! A batch is one "wave" of the request, not a window of time. The request runs on a
//! single-threaded `LocalSet` (see [`super::execute`]) and the loader spawns its fetches onto
//! it, so a fetch can only start once the executor has resolved every field that can make
//! progress — every sibling in a list has asked for its key. A fixed time window would cut a
//! wave in two whenever resolving it takes longer than the window, and the number of
//! statements would then grow with the number of rows.

use std::collections::HashMap;

use std::sync::Arc;

use async_graphql::dataloader::{DataLoader, Loader};

use super::error::ApiError;
use crate::store::{
    entities::*,
    queries::{self, End},
    snapshot::Snapshot,
};

/// Answers the loaders' keys from the database, through the request's snapshot.
pub struct StoreLoader {
    snapshot: Arc<Snapshot>,
}

/// The loader one request uses. It keeps no cache: each wave asks the database once per
/// question, so the number of statements depends on the shape of the query alone.
pub type Loaders = DataLoader<StoreLoader>;

/// A fresh loader for one request, which must run inside a `tokio::task::LocalSet`.
pub fn for_request(snapshot: Arc<Snapshot>) -> Loaders {
    DataLoader::new(StoreLoader { snapshot }, spawn_after_wave).delay(std::time::Duration::ZERO)
}

/// Starts a fetch once the request's current wave has asked for all its keys: the fetch
/// yields to the back of the thread's queue a few times first, letting the request's task —
/// which re-queues itself when it pauses part-way through a long list — go on collecting keys.
fn spawn_after_wave(
    fetch: futures_util::future::BoxFuture<'static, ()>,
) -> tokio::task::JoinHandle<()> {
    tokio::task::spawn_local(async move {
        for _ in 0..WAVE_YIELDS {
            tokio::task::yield_now().await;
        }
        fetch.await;
    })
}

/// How many times a fetch lets the request's task run before it starts.
const WAVE_YIELDS: usize = 16;

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
                let $db = self.snapshot.reader().await?;
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
batched!(
    /// A record's identity, revision and retraction, by identity.
    RecordById => record::Model, |db, ids| crate::store::history::records_by_id(db, &ids)
);
batched!(
    /// A record's former slugs, by identity.
    FormerSlugsOf => Vec<String>, |db, ids| crate::store::history::former_slugs_by_record(db, &ids)
);
