//! Relations: typed, directed edges between entities, each backed by evidence.

use std::sync::Arc;

use async_graphql::{Context, ID, Object};

use super::{Actor, Claim, DateValue, Entity, SourceSupport, loaders, support};
use crate::{
    domain::{Certainty, RelationBasis, RelationType},
    graphql::{
        args::first_of,
        error::ApiError,
        ids,
        loaders::{EntityBySlug, EvidenceOf},
    },
    store::{
        entities::{claim, relation},
        queries::{FullRelation, SourceHead},
    },
};

/// A typed, directed edge between two entities — read it "subject TYPE object": "the grant
/// freeze AFFECTS the Citizens' Alliance" — backed by one or more claims whose quotes say so.
///
/// A relation read from an entity comes with its ends and, when the request reads it, its
/// evidence (a [`FullRelation`]), so those fields need no statement of their own.
#[derive(Debug, Clone)]
pub struct Relation(pub relation::Model, Option<Arc<FullRelation>>);

impl Relation {
    /// A relation known by its row alone; its ends and evidence are loaded when asked for.
    pub fn new(row: relation::Model) -> Self {
        Self(row, None)
    }
}

impl From<FullRelation> for Relation {
    fn from(full: FullRelation) -> Self {
        Self(full.relation.clone(), Some(Arc::new(full)))
    }
}

/// A typed, directed edge between two entities — read it "subject TYPE object": "the grant
/// freeze AFFECTS the Citizens' Alliance" — backed by one or more claims whose quotes say so.
#[Object]
impl Relation {
    /// The global ID: opaque, and the same across reloads and databases.
    pub async fn id(&self) -> Result<ID, ApiError> {
        Ok(ids::of(&self.0.id))
    }

    /// The number of the record's latest revision: 1 when it was first imported, raised by
    /// each change.
    async fn revision(&self, ctx: &Context<'_>) -> Result<i32, ApiError> {
        crate::graphql::history::revision_number(ctx, &self.0.id).await
    }

    /// The record's history: every change to it, oldest first, with when, who, why and
    /// what changed.
    async fn revisions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many revisions (at most 100; 20 by default).")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the last page read.")] after: Option<String>,
    ) -> Result<crate::graphql::connection::Connection<crate::graphql::history::Revision>, ApiError>
    {
        crate::graphql::history::revisions(ctx, &self.0.id, first, after).await
    }

    /// The slugs the record had before its current one; each still finds it in a `slug:`
    /// lookup.
    async fn former_slugs(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20, desc = "How many (at most 100; 20 by default).")] first: i32,
    ) -> Result<Vec<String>, ApiError> {
        crate::graphql::history::former_slugs(ctx, &self.0.id, first).await
    }

    /// When and why the record was retracted from the dataset; null while it is in it.
    async fn retraction(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Option<crate::graphql::history::Retraction>, ApiError> {
        crate::graphql::history::retraction(ctx, &self.0.id).await
    }

    /// The stable key: `subject/type/object` in slugs, unless the dataset names it otherwise.
    async fn key(&self) -> &str {
        &self.0.key
    }

    /// The type of the relation.
    #[graphql(name = "type")]
    async fn relation_type(&self) -> RelationType {
        self.0.relation_type
    }

    /// The entity the relation goes from.
    async fn subject(&self, ctx: &Context<'_>) -> Result<Entity, ApiError> {
        match &self.1 {
            Some(full) => Ok(Entity::from_model(full.subject.clone())),
            None => Entity::load(ctx, &self.0.subject_slug).await,
        }
    }

    /// The entity the relation goes to.
    async fn object(&self, ctx: &Context<'_>) -> Result<Entity, ApiError> {
        match &self.1 {
            Some(full) => Ok(Entity::from_model(full.object.clone())),
            None => Entity::load(ctx, &self.0.object_slug).await,
        }
    }

    /// How, in plain words, when the evidence says more than the relation type: "the
    /// responses to contain the virus caused significant changes in North Korea".
    async fn summary(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    /// How, in plain words, when the evidence says more than the relation type.
    #[graphql(
        deprecation = "Use `summary`: `description` is a non-null `String!` on entities, so \
                             the two cannot be selected together on `Node`. Removed after 2027-06-02."
    )]
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    /// How the relation is known: `STATED` when a quote of its evidence says it, `INFERRED`
    /// when no quote does and the editors read it out of the evidence (`inference` says how).
    /// Cite an inferred relation as the dataset's reading, not as the source's words.
    async fn basis(&self) -> RelationBasis {
        self.0.basis
    }

    /// The editors' inference, in words, when `basis` is `INFERRED`: what in the evidence
    /// the relation is read from, and what the text leaves open. Null for a stated relation.
    async fn inference(&self) -> Option<&str> {
        self.0.inference.as_deref()
    }

    /// Who asserts the relation, when its evidence attributes it to someone other than the
    /// source's authors ("According to Human Rights Watch…"); null when the authors assert it.
    /// (Named `asserter`, not `assertedBy`: a claim's `assertedBy` is a non-null list, and
    /// the two could not be selected together on `Node`.)
    async fn asserter(&self, ctx: &Context<'_>) -> Result<Option<Actor>, ApiError> {
        let Some(slug) = &self.0.asserted_by else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .load_one(EntityBySlug(slug.clone()))
            .await?
            .map(Actor))
    }

    /// When the relation started, when the sources say.
    async fn start(&self) -> Option<DateValue> {
        DateValue::parse(self.0.starts_on.as_deref())
    }

    /// When the relation ended, when the sources say.
    async fn end(&self) -> Option<DateValue> {
        DateValue::parse(self.0.ends_on.as_deref())
    }

    /// The claims that back the relation, each with its verbatim quote and source.
    async fn evidence(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 10, desc = "How many (at most 100; 10 by default).")] first: i32,
    ) -> Result<Vec<Claim>, ApiError> {
        let claims = self.evidence_with_sources(ctx).await?;
        first_of(
            claims
                .into_iter()
                .map(|(claim, source)| Claim::with_source(claim, source))
                .collect(),
            first,
            "evidence",
        )
    }

    /// How firmly the evidence asserts the relation: the firmest certainty among its claims.
    /// A relation backed only by hedged claims ("strongly suggesting…") is not a stated fact.
    async fn certainty(&self, ctx: &Context<'_>) -> Result<Certainty, ApiError> {
        self.evidence_claims(ctx)
            .await?
            .iter()
            .map(|claim| claim.certainty)
            .min()
            .ok_or_else(|| ApiError::Internal(format!("relation {} has no evidence", self.0.key)))
    }

    /// The distinct sources whose claims back the relation, each with its own quotes: more
    /// than one means the sources corroborate each other.
    async fn support(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20, desc = "How many (at most 100; 20 by default).")] first: i32,
    ) -> Result<Vec<SourceSupport>, ApiError> {
        first_of(
            support::by_source(self.evidence_claims(ctx).await?),
            first,
            "support",
        )
    }

    /// The distinct sources whose claims back the relation, each with its own quotes.
    #[graphql(
        deprecation = "Use `support`: `sources` is a list of `Source` on facts, so the two \
                             cannot be selected together on `Node`. Removed after 2027-06-02."
    )]
    async fn sources(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20, desc = "How many (at most 100; 20 by default).")] first: i32,
    ) -> Result<Vec<SourceSupport>, ApiError> {
        first_of(
            support::by_source(self.evidence_claims(ctx).await?),
            first,
            "sources",
        )
    }

    /// How many distinct sources back the relation.
    async fn source_count(&self, ctx: &Context<'_>) -> Result<usize, ApiError> {
        Ok(support::by_source(self.evidence_claims(ctx).await?).len())
    }
}

impl Relation {
    /// The relation's evidence claims, in order.
    async fn evidence_claims(&self, ctx: &Context<'_>) -> Result<Vec<claim::Model>, ApiError> {
        Ok(self
            .evidence_with_sources(ctx)
            .await?
            .into_iter()
            .map(|(claim, _)| claim)
            .collect())
    }

    /// The relation's evidence claims, in order, each with its source: read with the
    /// relation when it was, loaded otherwise.
    async fn evidence_with_sources(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<(claim::Model, SourceHead)>, ApiError> {
        if let Some(evidence) = self.1.as_ref().and_then(|full| full.evidence.as_ref()) {
            return Ok(evidence.clone());
        }
        Ok(loaders(ctx)?
            .load_one(EvidenceOf(self.0.key.clone()))
            .await?
            .unwrap_or_default())
    }
}
