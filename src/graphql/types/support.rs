//! Corroboration and citation: which sources back a fact or relation, each in its own words,
//! and how to cite a claim or source.

use async_graphql::{Context, Object};

use super::{Claim, JsonValue, Source, loaders};
use crate::{
    citation::{CitedSource, PublicUrl},
    graphql::{
        args::first_of,
        error::ApiError,
        loaders::{AuthorEntitiesOf, PublisherEntitiesOf, SourceBySlug},
    },
    store::{entities::claim, queries::SourceHead},
};

/// One source's support for a fact or relation: the source, and the claims from it that state
/// or back it, each with its quote. Under `Fact.disputes`, the claims from it that dispute the
/// fact.
pub struct SourceSupport {
    source_slug: String,
    claims: Vec<claim::Model>,
}

/// Groups `claims` by source, keeping the order in which each source first appears.
pub fn by_source(claims: Vec<claim::Model>) -> Vec<SourceSupport> {
    let mut groups: Vec<SourceSupport> = Vec::new();
    for claim in claims {
        match groups
            .iter_mut()
            .find(|group| group.source_slug == claim.source_slug)
        {
            Some(group) => group.claims.push(claim),
            None => groups.push(SourceSupport {
                source_slug: claim.source_slug.clone(),
                claims: vec![claim],
            }),
        }
    }
    groups
}

/// One source's support for a fact or relation: the source, and the claims from it that state
/// or back it, each with its quote. Under `Fact.disputes`, the claims from it that dispute the
/// fact.
#[Object]
impl SourceSupport {
    /// The source.
    async fn source(&self, ctx: &Context<'_>) -> Result<Source, ApiError> {
        loaders(ctx)?
            .load_one(SourceBySlug(self.source_slug.clone()))
            .await?
            .map(Source::new)
            .ok_or_else(|| ApiError::Internal(format!("source {} is missing", self.source_slug)))
    }

    /// The source's own words: the quotes of its claims, in order.
    async fn quotes(
        &self,
        #[graphql(default = 20, desc = "How many (at most 100; 20 by default).")] first: i32,
    ) -> Result<Vec<&str>, ApiError> {
        first_of(
            self.claims.iter().map(|c| c.quote.as_str()).collect(),
            first,
            "quotes",
        )
    }

    /// The claims from this source, each with its quote, offsets and certainty.
    async fn claims(
        &self,
        #[graphql(default = 20, desc = "How many (at most 100; 20 by default).")] first: i32,
    ) -> Result<Vec<Claim>, ApiError> {
        first_of(
            self.claims.iter().cloned().map(Claim::new).collect(),
            first,
            "claims",
        )
    }
}

/// How to cite a claim or a source.
pub struct Citation {
    text: String,
    csl: serde_json::Value,
    permalink: String,
}

/// How to cite a claim or a source: a line of text, the same reference as CSL-JSON, and the
/// permalink that leads a reader back to it.
#[Object]
impl Citation {
    /// The reference in words, ready to paste under a quote. For a claim it holds the quote,
    /// the source, where the quote stands in the source's text, and the permalink.
    async fn text(&self) -> &str {
        &self.text
    }

    /// The reference as a CSL-JSON item, for Zotero, Pandoc or citeproc-js. A claim's item is
    /// its source's, with the quote as `note` and the claim's offsets and permalink under
    /// `custom`.
    async fn csl_json(&self) -> JsonValue {
        JsonValue(self.csl.clone())
    }

    /// The URL a reader follows back to the record: a readable page, or the record as JSON
    /// when asked for `application/json`.
    async fn permalink(&self) -> &str {
        &self.permalink
    }
}

/// The base URL permalinks start with.
pub fn public_url<'a>(ctx: &Context<'a>) -> Result<&'a PublicUrl, ApiError> {
    ctx.data_opt::<PublicUrl>()
        .ok_or_else(|| ApiError::Internal("the schema carries no public URL".to_owned()))
}

/// The citation of `source`, or of `claim` from it.
pub async fn cite(
    ctx: &Context<'_>,
    source: &SourceHead,
    claim: Option<&claim::Model>,
) -> Result<Citation, ApiError> {
    let loaders = loaders(ctx)?;
    let authors = loaders
        .load_one(AuthorEntitiesOf(source.slug.clone()))
        .await?
        .unwrap_or_default();
    let publisher = loaders
        .load_one(PublisherEntitiesOf(source.slug.clone()))
        .await?
        .unwrap_or_default()
        .into_iter()
        .next();
    let cited = CitedSource {
        source,
        authors: &authors,
        publisher: publisher.as_ref(),
    };
    let public = public_url(ctx)?;
    Ok(match claim {
        Some(claim) => Citation {
            text: cited.claim_text(claim, public),
            csl: cited.claim_csl(claim, public),
            permalink: public.claim(&claim.slug),
        },
        None => Citation {
            text: cited.text(),
            csl: cited.csl(public),
            permalink: public.source(&source.slug),
        },
    })
}
