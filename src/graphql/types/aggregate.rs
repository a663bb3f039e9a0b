//! Counts for charts: how the dataset divides by kind, certainty, source and year.

use async_graphql::{Context, Object, SimpleObject};

use super::{Source, loaders};
use crate::{
    domain::{ActorKind, Certainty, ClaimKind, EntityKind, RelationType},
    graphql::{args::first_of, error::ApiError, loaders::SourceBySlug},
    store::aggregates,
};

/// How many entities are of one kind.
#[derive(SimpleObject)]
pub struct EntityKindCount {
    /// The kind.
    pub kind: EntityKind,
    /// How many entities are of it.
    pub count: u64,
}

/// How many actors are of one kind.
#[derive(SimpleObject)]
pub struct ActorKindCount {
    /// The kind of actor.
    pub kind: ActorKind,
    /// How many actors are of it.
    pub count: u64,
}

/// How many claims are asserted with one certainty.
#[derive(SimpleObject)]
pub struct CertaintyCount {
    /// The certainty.
    pub certainty: Certainty,
    /// How many claims are asserted with it.
    pub count: u64,
}

/// How many claims are of one kind.
#[derive(SimpleObject)]
pub struct ClaimKindCount {
    /// The kind of claim.
    pub kind: ClaimKind,
    /// How many claims are of it.
    pub count: u64,
}

/// How many relations are of one type.
#[derive(SimpleObject)]
pub struct RelationTypeCount {
    /// The type of relation.
    #[graphql(name = "type")]
    pub relation_type: RelationType,
    /// How many relations are of it.
    pub count: u64,
}

/// How many claims hold from one year.
#[derive(SimpleObject)]
pub struct YearCount {
    /// The year.
    pub year: i32,
    /// How many claims hold from a date in it, whatever that date's precision.
    pub count: u64,
}

/// How many claims quote one source.
pub struct SourceClaimCount {
    slug: String,
    count: u64,
}

/// How many claims quote one source.
#[Object]
impl SourceClaimCount {
    /// The source.
    async fn source(&self, ctx: &Context<'_>) -> Result<Source, ApiError> {
        loaders(ctx)?
            .load_one(SourceBySlug(self.slug.clone()))
            .await?
            .map(Source::new)
            .ok_or_else(|| ApiError::Internal(format!("source {} is missing", self.slug)))
    }

    /// How many claims quote it.
    async fn count(&self) -> u64 {
        self.count
    }
}

/// Counts of the whole dataset, for charts. Every list is in the order of its vocabulary (or
/// by year, or by source slug), and leaves out what counts zero.
pub struct Aggregates(pub aggregates::Aggregates);

/// Counts of the whole dataset, for charts. Every list is in the order of its vocabulary (or
/// by year, or by source slug), and leaves out what counts zero.
#[Object]
impl Aggregates {
    /// Entities per kind.
    async fn entities_by_kind(&self) -> Vec<EntityKindCount> {
        self.0
            .entity_kinds
            .iter()
            .map(|&(kind, count)| EntityKindCount { kind, count })
            .collect()
    }

    /// Actors per kind of actor.
    async fn actors_by_kind(&self) -> Vec<ActorKindCount> {
        self.0
            .actor_kinds
            .iter()
            .map(|&(kind, count)| ActorKindCount { kind, count })
            .collect()
    }

    /// Claims per certainty.
    async fn claims_by_certainty(&self) -> Vec<CertaintyCount> {
        self.0
            .certainties
            .iter()
            .map(|&(certainty, count)| CertaintyCount { certainty, count })
            .collect()
    }

    /// Claims per kind of statement.
    async fn claims_by_kind(&self) -> Vec<ClaimKindCount> {
        self.0
            .claim_kinds
            .iter()
            .map(|&(kind, count)| ClaimKindCount { kind, count })
            .collect()
    }

    /// Claims per source.
    async fn claims_by_source(
        &self,
        #[graphql(default = 100, desc = "How many (at most 100; 100 by default).")] first: i32,
    ) -> Result<Vec<SourceClaimCount>, ApiError> {
        let counts = self
            .0
            .sources
            .iter()
            .map(|(slug, count)| SourceClaimCount {
                slug: slug.clone(),
                count: *count,
            })
            .collect();
        first_of(counts, first, "claimsBySource")
    }

    /// Claims per year they hold from; a claim dated `2020`, one dated `early 2020` and one
    /// dated `2020-03-26` all count in 2020. A claim dated to a decade counts in its first
    /// year (`1990s` in 1990), an approximate one in the year it is about (`1995~` in 1995).
    /// Undated claims are not counted.
    async fn claims_by_year(
        &self,
        #[graphql(
            default = 100,
            desc = "How many years, oldest first (at most 100; 100 by default)."
        )]
        first: i32,
    ) -> Result<Vec<YearCount>, ApiError> {
        let counts = self
            .0
            .years
            .iter()
            .map(|&(year, count)| YearCount { year, count })
            .collect();
        first_of(counts, first, "claimsByYear")
    }

    /// Relations per type.
    async fn relations_by_type(&self) -> Vec<RelationTypeCount> {
        self.0
            .relation_types
            .iter()
            .map(|&(relation_type, count)| RelationTypeCount {
                relation_type,
                count,
            })
            .collect()
    }
}
