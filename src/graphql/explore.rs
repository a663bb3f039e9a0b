//! The query root for exploring the dataset: full-text search, the timeline and its counts,
//! the graph around an entity or of the whole dataset, and counts for charts.
//!
//! Each resolver checks its arguments, asks one function of [`crate::store::search`],
//! [`crate::store::timeline`], [`crate::store::graph`] or [`crate::store::aggregates`], and wraps the answer. Search and the timeline page with cursors
//! like every other list, forwards only (`first`/`after`): their order is computed, and a
//! visualization reads them from the start.

use std::sync::Arc;

use async_graphql::{Context, ID, InputObject, Object};

use super::{
    args::{IsoDate, entity_key, first_of, range},
    connection::Connection,
    error::ApiError,
    types::{
        Aggregates, Graph, Interval, SearchHit, SearchKind, TimelineBucket, TimelineItem,
        TimelineKind, database,
    },
};
use crate::{
    domain::{EntityKind, RelationType},
    store::{
        aggregates,
        graph::{self, GraphFilter},
        page::{DEFAULT_PAGE_SIZE, PageRequest},
        search::{self, Hit, SearchQuery},
        timeline::{self, TimelineFilter, TimelineRow},
    },
};

/// The deepest neighbourhood `graph` draws.
pub const MAX_GRAPH_DEPTH: i32 = 3;
/// How many nodes a graph holds unless `maxNodes` says otherwise.
pub const DEFAULT_GRAPH_NODES: i32 = 200;
/// The most nodes a graph may hold.
pub const MAX_GRAPH_NODES: i32 = 500;

/// The query part for exploring: search, timeline, graph and aggregates.
#[derive(Default)]
pub struct ExploreQuery;

/// Which items a timeline shows.
#[derive(Debug, Clone, Default, InputObject)]
struct TimelineInput {
    /// Only items of these kinds.
    kinds: Option<Vec<TimelineKind>>,
    /// Only items whose date may fall on or after this date's first day: an item is kept
    /// when its last day (`latest`) is on or after it, so `2020-06` keeps an item dated
    /// `2020`, whose year reaches June, and `1999` one dated `1990s`.
    from: Option<IsoDate>,
    /// Only items whose date may fall on or before this date's last day: an item is kept
    /// when its first day (`earliest`) is on or before it, so `2020-02` keeps `early 2020`.
    to: Option<IsoDate>,
    /// Only the items of this entity (its slug): its own dates, the dates of the entities it
    /// has a relation with, and the dates of the claims about it.
    entity: Option<String>,
}

impl From<Option<TimelineInput>> for TimelineFilter {
    fn from(input: Option<TimelineInput>) -> Self {
        let input = input.unwrap_or_default();
        TimelineFilter {
            kinds: input
                .kinds
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            dates: range(input.from, input.to),
            entity: input.entity,
        }
    }
}

/// The page size asked for with `first`, checked.
/// A page of a list read by its own keyset: how many items, the Relay arguments, and
/// whether the page is taken from the end (`last`).
fn page_size(
    first: Option<i32>,
    after: Option<&str>,
    last: Option<i32>,
    before: Option<&str>,
) -> Result<(u64, PageRequest, bool), ApiError> {
    let request = PageRequest::new(first, after, last, before)?;
    let from_end = request.last.is_some();
    let size = request.first.or(request.last).unwrap_or(DEFAULT_PAGE_SIZE);
    Ok((size, request, from_end))
}

/// `hasPreviousPage` and `hasNextPage` of a page of `size` items read with `size + 1`,
/// as Relay defines them: the far side is known from the extra item, the near side from
/// the cursor the page starts at.
fn page_info(fetched: usize, size: u64, from_end: bool, after: bool, before: bool) -> (bool, bool) {
    let more = fetched as u64 > size;
    if from_end {
        (more, before)
    } else {
        (after, more)
    }
}

fn node_bound(value: i32) -> Result<usize, ApiError> {
    if (1..=MAX_GRAPH_NODES).contains(&value) {
        Ok(value as usize)
    } else {
        Err(ApiError::InvalidArgument(format!(
            "`maxNodes` must be between 1 and {MAX_GRAPH_NODES}"
        )))
    }
}

#[Object]
#[expect(
    clippy::too_many_arguments,
    reason = "a graph takes its centre, depth, filters and bound as arguments"
)]
impl ExploreQuery {
    /// Full-text search over claims (statement and quote), entities (name, aliases,
    /// description) and sources (title, authors, text), best match first.
    ///
    /// The search is a list of words, all of which must appear, in any case and ignoring
    /// punctuation: `border closure`. `"…"` finds a phrase (`"shoot on sight"`), `OR` between
    /// two terms takes either (`china OR russia`), a leading `-` leaves a term out (`border
    /// -china`), and a trailing `*` finds words that start so (`detain*`). Words are not
    /// stemmed: `detain` does not find "detained"; `detain*` does. A search that breaks the
    /// grammar fails with the code `INVALID_SEARCH` and says why.
    ///
    /// The same search finds the same records on SQLite and PostgreSQL; the order of hits can
    /// differ, since the two rank differently (see `SearchHit.score`).
    async fn search(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to look for, in the grammar above.")] query: String,
        #[graphql(desc = "Only records of these kinds; every kind when omitted.")] kinds: Option<
            Vec<SearchKind>,
        >,
        #[graphql(desc = "Return the first n hits (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Return the hits after this cursor.")] after: Option<String>,
        #[graphql(desc = "Return the last n hits (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Return the hits before this cursor.")] before: Option<String>,
    ) -> Result<Connection<SearchHit>, ApiError> {
        let parsed = Arc::new(SearchQuery::parse(&query)?);
        let kinds: Vec<search::SearchKind> = kinds
            .unwrap_or_default()
            .into_iter()
            .map(Into::into)
            .collect();
        let (size, request, from_end) =
            page_size(first, after.as_deref(), last, before.as_deref())?;
        let ordering = search::ordering_name(&parsed, &kinds);
        let after = request
            .after
            .as_ref()
            .map(|cursor| Hit::from_cursor(cursor, &ordering))
            .transpose()?;
        let before = request
            .before
            .as_ref()
            .map(|cursor| Hit::from_cursor(cursor, &ordering))
            .transpose()?;
        let db = database(ctx).await?;
        let total = if ctx.look_ahead().field("totalCount").exists() {
            Some(search::count(db, &parsed, &kinds).await?)
        } else {
            None
        };
        let mut hits = search::search(
            db,
            &parsed,
            &kinds,
            (after.as_ref(), before.as_ref()),
            size + 1,
            from_end,
        )
        .await?;
        let (has_previous, has_next) = page_info(
            hits.len(),
            size,
            from_end,
            after.is_some(),
            before.is_some(),
        );
        if from_end {
            hits.drain(..hits.len().saturating_sub(size as usize));
        } else {
            hits.truncate(size as usize);
        }
        let items = hits
            .into_iter()
            .map(|hit| {
                let cursor = hit.cursor(&ordering).encode();
                let query = parsed.clone();
                (cursor, SearchHit { hit, query })
            })
            .collect();
        Ok(Connection::new(items, has_previous, has_next, total))
    }

    /// Dated items in date order: events, measures' starts and ends, laws' enactments, and
    /// the dates claims hold from and until. Each date keeps its precision: an item dated
    /// `2020` is known only to the year, and sorts at the start of 2020, before the days of
    /// that year; `1990s` sorts at the start of 1990, before that year; `1995~` (about 1995)
    /// at the start of 1993, the first year it can mean.
    async fn timeline(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which items to show.")] filter: Option<TimelineInput>,
        #[graphql(desc = "Return the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Return the items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Return the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Return the items before this cursor.")] before: Option<String>,
    ) -> Result<Connection<TimelineItem>, ApiError> {
        let filter = TimelineFilter::from(filter);
        let (size, request, from_end) =
            page_size(first, after.as_deref(), last, before.as_deref())?;
        let after = request
            .after
            .as_ref()
            .map(TimelineRow::from_cursor)
            .transpose()?;
        let before = request
            .before
            .as_ref()
            .map(TimelineRow::from_cursor)
            .transpose()?;
        let db = database(ctx).await?;
        let total = if ctx.look_ahead().field("totalCount").exists() {
            Some(timeline::timeline_count(db, &filter).await?)
        } else {
            None
        };
        let mut rows = timeline::timeline(
            db,
            &filter,
            (after.as_ref(), before.as_ref()),
            size + 1,
            from_end,
        )
        .await?;
        let (has_previous, has_next) = page_info(
            rows.len(),
            size,
            from_end,
            after.is_some(),
            before.is_some(),
        );
        if from_end {
            rows.drain(..rows.len().saturating_sub(size as usize));
        } else {
            rows.truncate(size as usize);
        }
        let items = rows
            .into_iter()
            .map(|row| (row.cursor().encode(), TimelineItem(row)))
            .collect();
        Ok(Connection::new(items, has_previous, has_next, total))
    }

    /// How many timeline items fall in each year or month, for a chart, in period order.
    /// Counting by month, the dates known only to the year are counted in a bucket of their
    /// own for that year (`precision: YEAR`), never in January; any date wider than the
    /// interval (`1990s`, `early 2020` by month, `1995~`) gets a bucket of its own.
    async fn timeline_counts(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which items to count.")] filter: Option<TimelineInput>,
        #[graphql(desc = "Count per year or per month.", default_with = "Interval::Year")]
        interval: Interval,
        #[graphql(
            default = 100,
            desc = "How many buckets, oldest first (at most 100; 100 by default): narrow the filter's dates for more."
        )]
        first: i32,
    ) -> Result<Vec<TimelineBucket>, ApiError> {
        let buckets = timeline::timeline_buckets(
            database(ctx).await?,
            &TimelineFilter::from(filter),
            interval.into(),
        )
        .await?;
        first_of(
            buckets.into_iter().map(TimelineBucket).collect(),
            first,
            "timelineCounts",
        )
    }

    /// The entities and relations around one entity, up to `depth` hops away, as nodes and
    /// edges a visualization library takes as they are. Null when there is no such entity.
    async fn graph(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The centre's global ID.")] id: Option<ID>,
        #[graphql(desc = "The centre's slug.")] slug: Option<String>,
        #[graphql(
            desc = "How many hops from the centre to follow: 1, 2 or 3.",
            default = 1
        )]
        depth: i32,
        #[graphql(desc = "Only follow relations of these types.")] types: Option<Vec<RelationType>>,
        #[graphql(desc = "Only reach entities of these kinds (the centre is always drawn).")]
        entity_kinds: Option<Vec<EntityKind>>,
        #[graphql(
            desc = "The most nodes to draw (at most 500); `truncated` says when some were left out.",
            default_with = "DEFAULT_GRAPH_NODES"
        )]
        max_nodes: i32,
    ) -> Result<Option<Graph>, ApiError> {
        let center = entity_key(ctx, id, slug).await?;
        if !(1..=MAX_GRAPH_DEPTH).contains(&depth) {
            return Err(ApiError::InvalidArgument(format!(
                "`depth` must be between 1 and {MAX_GRAPH_DEPTH}"
            )));
        }
        let filter = GraphFilter {
            types: types.unwrap_or_default(),
            entity_kinds: entity_kinds.unwrap_or_default(),
        };
        let graph = graph::neighbourhood(
            database(ctx).await?,
            &center,
            depth as u8,
            &filter,
            node_bound(max_nodes)?,
        )
        .await?;
        Ok(graph.map(Graph))
    }

    /// The graph of the whole dataset: the best-connected entities, up to `maxNodes`, and
    /// every relation among them. Entities with no relation are left out.
    async fn dataset_graph(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only relations of these types.")] types: Option<Vec<RelationType>>,
        #[graphql(desc = "Only entities of these kinds.")] entity_kinds: Option<Vec<EntityKind>>,
        #[graphql(
            desc = "The most nodes to draw (at most 500); `truncated` says when some were left out.",
            default_with = "DEFAULT_GRAPH_NODES"
        )]
        max_nodes: i32,
    ) -> Result<Graph, ApiError> {
        let filter = GraphFilter {
            types: types.unwrap_or_default(),
            entity_kinds: entity_kinds.unwrap_or_default(),
        };
        let graph =
            graph::whole_graph(database(ctx).await?, &filter, node_bound(max_nodes)?).await?;
        Ok(Graph(graph))
    }

    /// Counts of the whole dataset for charts: entities by kind, actors by kind, claims by
    /// certainty, kind, source and year, relations by type.
    async fn aggregates(&self, ctx: &Context<'_>) -> Result<Aggregates, ApiError> {
        Ok(Aggregates(
            aggregates::aggregates(database(ctx).await?).await?,
        ))
    }
}
