//! The quote locator: where a passage occurs in a source, or what of the source comes
//! closest, for a curator turning a copied passage into a quote the rules accept.

use async_graphql::{Context, Enum, ID, Object, SimpleObject};

use super::{
    args::lookup_key,
    error::ApiError,
    ids::NodeType,
    loaders::SourceTextOf,
    types::{QuoteSpan, loaders},
};
use crate::dataset::locate::{self, DifferenceKind};

/// The `locateQuote` field.
#[derive(Default)]
pub struct LocateQuery;

#[Object]
impl LocateQuery {
    /// Where `passage` occurs in a source's text, verbatim, with each occurrence's offsets
    /// and sentence; or, when it does not occur verbatim, the closest passages of the text
    /// and how the passage differs from each (curly against straight quotes, dashes, white
    /// space, case, other text). A quote must be the text's own characters: copy `text`
    /// from a closest passage. Give the source by `source` (its ID) or `sourceSlug`; null
    /// when no current source has it. Beyond its cost, the search is charged a point per
    /// 10,000 characters compared (the text's length times the passage's).
    async fn locate_quote(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The source's global ID.")] source: Option<ID>,
        #[graphql(desc = "The source's slug.")] source_slug: Option<String>,
        #[graphql(desc = "The passage to find, at most 2,000 characters.")] passage: String,
        #[graphql(
            desc = "How many closest passages to return when it is not found verbatim (at most 10).",
            default = 3
        )]
        closest: i32,
    ) -> Result<Option<QuoteLocation>, ApiError> {
        if passage.chars().count() > locate::MAX_PASSAGE {
            return Err(ApiError::InvalidArgument(format!(
                "`passage` is longer than {} characters",
                locate::MAX_PASSAGE
            )));
        }
        if !(0..=10).contains(&closest) {
            return Err(ApiError::InvalidArgument(
                "`closest` is from 0 to 10".to_owned(),
            ));
        }
        let slug = lookup_key(ctx, source, source_slug, NodeType::Source).await?;
        let Some(text) = loaders(ctx)?.load_one(SourceTextOf(slug)).await? else {
            return Ok(None);
        };
        let most = usize::try_from(closest).unwrap_or(0);
        // The search's work grows with the text times the passage; it is charged so, a point
        // per 10,000 characters compared, beyond the field's own point.
        let work = text.chars().count().saturating_mul(passage.chars().count());
        crate::graphql::rate_limit::spend(ctx, (work / 10_000) as u64);
        let location = tokio::task::spawn_blocking(move || locate::locate(&text, &passage, most))
            .await
            .map_err(|error| ApiError::Internal(format!("the quote locator failed: {error}")))?;
        Ok(Some(QuoteLocation::from(location)))
    }
}

/// Where a passage occurs in a source's text, or what comes closest.
#[derive(SimpleObject)]
pub struct QuoteLocation {
    /// Whether the passage occurs verbatim: a claim can quote it as it is.
    found: bool,
    /// Each verbatim occurrence, first to last (the first 100). A claim quoting a passage that
    /// occurs more than once says which with `occurrence`.
    occurrences: Vec<QuoteOccurrence>,
    /// When it does not occur verbatim: the closest passages of the text, closest first; empty
    /// when nothing in the text is within half the passage's length of edits.
    closest: Vec<ClosestPassage>,
    /// Whether the whole text was searched for the closest passages; false when the text
    /// and the passage are too long for the edit-distance search, which then is not run.
    exhaustive: bool,
}

/// One verbatim occurrence of a passage.
#[derive(SimpleObject)]
pub struct QuoteOccurrence {
    /// Which occurrence it is, from 1, as a claim's `occurrence` counts.
    occurrence: i32,
    /// Where it lies in the text, in Unicode characters from 0.
    span: QuoteSpan,
    /// The sentence it lies in (the sentences, when it spans several).
    sentence: String,
}

/// A passage of the text close to the one asked for.
#[derive(SimpleObject)]
pub struct ClosestPassage {
    /// The text's own characters: what a quote must say.
    text: String,
    /// Where it lies in the text, in Unicode characters from 0.
    span: QuoteSpan,
    /// How many characters differ between it and the passage asked for.
    edits: i32,
    /// Each difference, in the order of the text (the first 50).
    differences: Vec<QuoteDifference>,
}

/// One difference between a passage and the text.
#[derive(SimpleObject)]
pub struct QuoteDifference {
    /// What kind of difference it is.
    kind: QuoteDifferenceKind,
    /// Where in the text it is, in Unicode characters from 0.
    at: i32,
    /// What the passage has there (empty when the text has more).
    passage: String,
    /// What the text has there (empty when the passage has more).
    text: String,
}

/// What kind of difference a passage has from the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum QuoteDifferenceKind {
    /// Straight against curly double quotes, or one quotation mark against another.
    QuotationMark,
    /// An apostrophe or single quote of another shape.
    Apostrophe,
    /// A hyphen against an en or em dash, or the like.
    Dash,
    /// White space: a line break for a space, two spaces for one.
    Whitespace,
    /// The same letters in another case.
    Case,
    /// Other text: a word added, dropped or changed.
    Text,
}

fn offset(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

impl From<locate::Location> for QuoteLocation {
    fn from(location: locate::Location) -> Self {
        Self {
            found: !location.occurrences.is_empty(),
            occurrences: location
                .occurrences
                .into_iter()
                .map(|o| QuoteOccurrence {
                    occurrence: offset(o.number),
                    span: QuoteSpan::new(o.start, o.end),
                    sentence: o.sentence,
                })
                .collect(),
            closest: location
                .closest
                .into_iter()
                .map(|c| ClosestPassage {
                    span: QuoteSpan::new(c.start, c.end),
                    edits: offset(c.edits),
                    differences: c
                        .differences
                        .into_iter()
                        .map(|d| QuoteDifference {
                            kind: match d.kind {
                                DifferenceKind::QuotationMark => QuoteDifferenceKind::QuotationMark,
                                DifferenceKind::Apostrophe => QuoteDifferenceKind::Apostrophe,
                                DifferenceKind::Dash => QuoteDifferenceKind::Dash,
                                DifferenceKind::Whitespace => QuoteDifferenceKind::Whitespace,
                                DifferenceKind::Case => QuoteDifferenceKind::Case,
                                DifferenceKind::Text => QuoteDifferenceKind::Text,
                            },
                            at: offset(d.at),
                            passage: d.passage,
                            text: d.text,
                        })
                        .collect(),
                    text: c.text,
                })
                .collect(),
            exhaustive: location.exhaustive,
        }
    }
}
