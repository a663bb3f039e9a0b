//! The batched loaders behind every relation field.
//!
//! Each key type names one question ("the entity with this slug", "the relations this entity
//! is the subject of"); [`StoreLoader`] answers all the keys of one type that a request level
//! asks for with one query from [`crate::store::queries`]. One `DataLoader` is made per
//! request.
//!
//! A batch is one "wave" of the request, not a window of time. The loaders do not spawn their
//! fetches: they hand them to the request's [`Waves`], which runs the executor and the fetches
//! together on the request's own task, on the runtime's threads. A wave's fetches start only
//! when the executor is idle — it is waiting and has not woken itself — so every field that
//! can make progress has asked for its key first, every sibling in a list included. Resolving
//! a long list pauses part-way (async-graphql's list futures and tokio's cooperative budget
//! yield and wake themselves); such a pause is not idleness, so it does not cut a wave in two.
//!
//! Rejected: a fixed time window (async-graphql's default `delay`), which cuts a wave in two
//! whenever resolving it takes longer than the window, so the number of statements would grow
//! with the number of rows; and running the request on a single-threaded `LocalSet` whose
//! fetches yield a fixed number of times before they start, which moved every request to
//! another thread and guessed how long a wave takes to form.

use std::{
    collections::HashMap,
    future::Future,
    pin::Pin,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
    task::{Context, Poll, Wake, Waker},
};

use async_graphql::dataloader::{DataLoader, Loader};
use futures_util::{StreamExt, future::BoxFuture, stream::FuturesUnordered};

use super::error::ApiError;
use crate::store::{entities::*, queries, snapshot::Snapshot};

/// Answers the loaders' keys from the database, through the request's snapshot.
pub struct StoreLoader {
    snapshot: Arc<Snapshot>,
}

/// The loader one request uses. It keeps no cache: each wave asks the database once per
/// question, so the number of statements depends on the shape of the query alone.
pub type Loaders = DataLoader<StoreLoader>;

/// A fresh loader for one request reading through `snapshot`, with the [`Waves`] that must
/// drive the request.
pub fn for_request(snapshot: Arc<Snapshot>) -> (Loaders, Waves) {
    let waves = Waves::default();
    let queued = waves.queued.clone();
    let loaders = DataLoader::new(
        StoreLoader { snapshot },
        move |fetch: BoxFuture<'static, ()>| {
            // A poisoned queue only means a fetch panicked while queueing; the queue itself is
            // still a list of futures.
            queued
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push(fetch);
        },
    )
    .delay(std::time::Duration::ZERO);
    (loaders, waves)
}

/// The fetches a request's loaders have asked for and not yet started.
type Queue = Arc<Mutex<Vec<BoxFuture<'static, ()>>>>;

/// Runs one request's executor and its loaders' fetches on the request's task, starting the
/// queued fetches each time the executor is idle (see the module docs).
#[derive(Default)]
pub struct Waves {
    queued: Queue,
}

impl Waves {
    /// Runs `request` — the executor's future — to completion, with its loaders' fetches.
    pub fn drive<F: Future>(self, request: F) -> Driven<F> {
        Driven {
            request: Box::pin(request),
            queued: self.queued,
            running: FuturesUnordered::new(),
            woken: Arc::new(WakeFlag::default()),
        }
    }
}

/// The future [`Waves::drive`] returns.
pub struct Driven<F> {
    request: Pin<Box<F>>,
    queued: Queue,
    running: FuturesUnordered<BoxFuture<'static, ()>>,
    woken: Arc<WakeFlag>,
}

impl<F: Future> Future for Driven<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = &mut *self;
        this.woken.set_waker(cx.waker());
        let request_waker = Waker::from(this.woken.clone());
        loop {
            while let Poll::Ready(Some(())) = this.running.poll_next_unpin(cx) {}
            this.woken.woken.store(false, Ordering::SeqCst);
            if let Poll::Ready(output) = this
                .request
                .as_mut()
                .poll(&mut Context::from_waker(&request_waker))
            {
                return Poll::Ready(output);
            }
            if this.woken.woken.load(Ordering::SeqCst) {
                // The executor paused and woke itself: it can still make progress, so the
                // wave is not complete. The wake reached the task's waker; it runs again.
                return Poll::Pending;
            }
            let wave = std::mem::take(
                &mut *this
                    .queued
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner),
            );
            if wave.is_empty() {
                return Poll::Pending;
            }
            this.running.extend(wave);
        }
    }
}

/// Whether the executor was woken since it was last polled, passing the wake on to the task.
#[derive(Default)]
struct WakeFlag {
    woken: AtomicBool,
    task: Mutex<Option<Waker>>,
}

impl WakeFlag {
    fn set_waker(&self, waker: &Waker) {
        let mut task = self
            .task
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if !task
            .as_ref()
            .is_some_and(|current| current.will_wake(waker))
        {
            *task = Some(waker.clone());
        }
    }
}

impl Wake for WakeFlag {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::SeqCst);
        if let Some(task) = self
            .task
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .as_ref()
        {
            task.wake_by_ref();
        }
    }
}

/// The relations an entity has at one end (or either), of some types: the filter is part of
/// the key, so it is applied in SQL, and the relations come with their ends and, when the
/// request reads it, their evidence (see [`queries::relations_at`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RelationsOf {
    pub at: queries::RelationsAt,
    pub slug: String,
}

impl Loader<RelationsOf> for StoreLoader {
    type Value = Vec<queries::FullRelation>;
    type Error = ApiError;

    /// One statement per filter; the keys of one wave come from one field, so they share it.
    async fn load(
        &self,
        keys: &[RelationsOf],
    ) -> Result<HashMap<RelationsOf, Self::Value>, Self::Error> {
        let mut filters: HashMap<&queries::RelationsAt, Vec<String>> = HashMap::new();
        for key in keys {
            filters.entry(&key.at).or_default().push(key.slug.clone());
        }
        let db = self.snapshot.reader().await?;
        let mut found = HashMap::new();
        for (at, slugs) in filters {
            for (slug, relations) in queries::relations_at(db, at, &slugs).await? {
                found.insert(
                    RelationsOf {
                        at: at.clone(),
                        slug,
                    },
                    relations,
                );
            }
        }
        Ok(found)
    }
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
    SourceBySlug => queries::SourceHead, |db, slugs| queries::source_heads_by_slug(db, &slugs)
);
batched!(
    /// A source's text, read only when a client asks for it.
    SourceTextOf => String, |db, slugs| queries::source_texts(db, &slugs)
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
    /// A relation's evidence claims, each with its source.
    EvidenceOf => Vec<(claim::Model, queries::SourceHead)>, |db, slugs| queries::evidence_with_sources(db, &slugs)
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
    /// A source's authors.
    AuthorEntitiesOf => Vec<entity::Model>, |db, slugs| queries::source_actor_entities(db, "author", &slugs)
);
batched!(
    /// A source's publisher.
    PublisherEntitiesOf => Vec<entity::Model>, |db, slugs| queries::source_actor_entities(db, "publisher", &slugs)
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
