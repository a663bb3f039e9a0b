//! The subscription root: `subscription { changes(after:) { … } }`, the change feed pushed to
//! the client as it grows, over the graphql-ws protocol (see [`crate::http::subscriptions`]).
//!
//! A subscription is served as a series of steps, each one ordinary execution of the
//! document with a read transaction and loaders of its own, exactly as a query runs: a step
//! delivers the next change after the last one delivered, or nothing when the feed has not
//! grown. Keeping one transaction and one set of loaders for the life of a subscription was
//! the alternative, rejected because the transaction would pin the database to the version it
//! began in (every later `node` would be stale, and PostgreSQL could not vacuum behind it)
//! and the loaders' caches would answer from that version too. The HTTP layer drives the
//! steps, runs one whenever the feed's last position moves, and charges each like a query.

use std::sync::{Arc, Mutex};

use async_graphql::{Context, Subscription as SubscriptionRoot};
use futures_util::stream::Iter;

use super::{
    error::ApiError,
    history::{self, Change},
    types::database,
};

/// What one step of a subscription carries: the position it starts after (none on the first
/// step, which starts at the document's own `after`), and where it left the feed, for the
/// next step to start from.
#[derive(Clone, Debug, Default)]
pub struct SubscriptionStep {
    after: Option<i32>,
    reached: Arc<Mutex<Option<i32>>>,
}

impl SubscriptionStep {
    /// The step after position `after`, or the first step of a subscription (`None`).
    pub fn after(after: Option<i32>) -> Self {
        Self {
            after,
            reached: Arc::default(),
        }
    }

    /// The feed position the step read up to: the change it delivered, or, when it
    /// delivered none, the feed's last position then. `None` when it did not read the feed
    /// (the document failed before it ran).
    pub fn reached(&self) -> Option<i32> {
        *self
            .reached
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn reach(&self, position: i32) {
        *self
            .reached
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(position);
    }
}

/// Every subscription a client can make.
#[derive(Default)]
pub struct Subscription;

/// Every subscription a client can make.
#[SubscriptionRoot]
impl Subscription {
    /// The change feed as it grows: every change after `after` (from the start without
    /// it), one event each, in feed order, then each new change as an import commits it, on
    /// whichever server the import ran. Served over WebSocket at `/graphql/ws` (the
    /// graphql-ws protocol, `graphql-transport-ws`); new changes are noticed within about a
    /// second. Each event is charged to the caller's rate limit like a query.
    async fn changes(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "A cursor of the `changes` query (an `endCursor`) to start after; omit it to start from the beginning."
        )]
        after: Option<String>,
        #[graphql(desc = "Only changes to records of these types: `Claim`, `Actor`, `Relation`…")]
        kinds: Option<Vec<String>>,
    ) -> Result<Iter<std::option::IntoIter<Change>>, ApiError> {
        let step = ctx.data_opt::<SubscriptionStep>().ok_or_else(|| {
            ApiError::InvalidArgument(
                "subscriptions are served over WebSocket at /graphql/ws (graphql-transport-ws)"
                    .to_owned(),
            )
        })?;
        let start = match step.after {
            Some(position) => position,
            None => history::position("change", after.as_deref())?,
        };
        history::check_kinds(kinds.as_deref())?;
        let db = database(ctx).await?;
        let next = crate::store::history::changes(db, start, 1, kinds.as_deref(), false)
            .await?
            .into_iter()
            .next();
        match &next {
            Some(change) => step.reach(change.id),
            None => step.reach(crate::store::history::last_position(db).await?.max(start)),
        }
        Ok(futures_util::stream::iter(next.map(Change)))
    }
}
