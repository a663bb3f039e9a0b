//! The query root for the dataset as a whole: its version, when it changed, and its counts.

use async_graphql::{Context, Object, SimpleObject};

use super::{
    connection::Connection,
    error::ApiError,
    types::{Timestamp, database},
};
use crate::{domain::EntityKind, store::queries};

/// What the dataset holds, and which version of it this is.
#[derive(SimpleObject)]
#[graphql(complex)]
struct DatasetInfo {
    /// The version number, raised each time a load changes the data. Responses are the same
    /// for the same version.
    version: i32,
    /// A digest of the dataset files the version was loaded from.
    digest: String,
    /// When this version was loaded, in RFC 3339.
    #[graphql(deprecation = "Use `loadedTime`, a `DateTime`. Removed after 2027-06-03.")]
    loaded_at: String,
    /// When this version was loaded.
    loaded_time: Timestamp,
    /// How many records of each kind the dataset holds.
    counts: DatasetCounts,
}

#[async_graphql::ComplexObject]
impl DatasetInfo {
    /// Every version of the dataset, oldest first, with when it was made and how many
    /// changes it made. `/export/dataset.ndjson?version=N` returns one as it was.
    async fn versions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many versions (at most 100; 20 by default).")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the last page read.")] after: Option<String>,
    ) -> Result<Connection<super::history::DatasetVersion>, ApiError> {
        super::history::versions(ctx, first, after).await
    }
}

/// How many records of each kind the dataset holds.
#[derive(SimpleObject)]
struct DatasetCounts {
    /// Source documents.
    sources: u64,
    /// Actors.
    actors: u64,
    /// Laws.
    laws: u64,
    /// Measures.
    measures: u64,
    /// Events.
    events: u64,
    /// Recommendations.
    recommendations: u64,
    /// Claims.
    claims: u64,
    /// Relations.
    relations: u64,
    /// Facts stated by claims.
    facts: u64,
}

/// The `dataset` field.
#[derive(Default)]
pub struct DatasetQuery;

#[Object]
impl DatasetQuery {
    /// The dataset's version, when it last changed, and how much it holds.
    async fn dataset(&self, ctx: &Context<'_>) -> Result<DatasetInfo, ApiError> {
        let db = database(ctx).await?;
        let version = queries::latest_version(db)
            .await?
            .ok_or_else(|| ApiError::Internal("the database holds no dataset".to_owned()))?;
        let counts = queries::counts(db).await?;
        let of = |kind| counts.entities.get(&kind).copied().unwrap_or_default();
        Ok(DatasetInfo {
            version: version.id,
            digest: version.digest,
            loaded_at: version.loaded_at.to_rfc3339(),
            loaded_time: Timestamp(version.loaded_at),
            counts: DatasetCounts {
                sources: counts.sources,
                actors: of(EntityKind::Actor),
                laws: of(EntityKind::Law),
                measures: of(EntityKind::Measure),
                events: of(EntityKind::Event),
                recommendations: of(EntityKind::Recommendation),
                claims: counts.claims,
                relations: counts.relations,
                facts: counts.facts,
            },
        })
    }
}
