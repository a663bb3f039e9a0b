//! Relay cursor connections, for every list the API serves.
//!
//! A connection is one page of a list: its edges (each item with its cursor), `pageInfo` to
//! ask for the next or previous page, and `totalCount`, which is counted only when a client
//! asks for it. Pages hold 20 items unless `first` or `last` says otherwise, and at most 100.

use std::borrow::Cow;

use async_graphql::{Context, Object, OutputType, TypeName};
use sea_orm::{EntityTrait, Select};

use super::error::ApiError;
use crate::store::page::{self, Ordering, PageRequest};

/// One page of a list, with the cursors to fetch the pages around it. Pages hold 20 items
/// unless `first` or `last` asks for another number, and at most 100.
pub struct Connection<T> {
    edges: Vec<Edge<T>>,
    page_info: PageInfo,
    total_count: Option<u64>,
}

impl<T> Connection<T> {
    /// A page of `items`, each with its encoded cursor, fetched outside [`paginate`].
    pub fn new(
        items: Vec<(String, T)>,
        has_previous_page: bool,
        has_next_page: bool,
        total_count: Option<u64>,
    ) -> Self {
        let edges: Vec<Edge<T>> = items
            .into_iter()
            .map(|(cursor, node)| Edge { cursor, node })
            .collect();
        Connection {
            page_info: PageInfo {
                has_next_page,
                has_previous_page,
                start_cursor: edges.first().map(|edge| edge.cursor.clone()),
                end_cursor: edges.last().map(|edge| edge.cursor.clone()),
            },
            edges,
            total_count,
        }
    }
}

/// One page of a list, with the cursors to fetch the pages around it. Pages hold 20 items
/// unless `first` or `last` asks for another number, and at most 100.
#[Object(name_type)]
impl<T: OutputType> Connection<T> {
    /// The items of this page, each with the cursor that marks its place in the list.
    async fn edges(&self) -> &[Edge<T>] {
        &self.edges
    }

    /// The items of this page, without their cursors.
    async fn nodes(&self) -> Vec<&T> {
        self.edges.iter().map(|edge| &edge.node).collect()
    }

    /// Where this page stands in the list: whether there are pages before and after it, and
    /// the cursors to ask for them.
    async fn page_info(&self) -> &PageInfo {
        &self.page_info
    }

    /// How many items the whole list holds, across all pages, with the same filters.
    async fn total_count(&self) -> u64 {
        self.total_count.unwrap_or_default()
    }
}

impl<T: OutputType> TypeName for Connection<T> {
    fn type_name() -> Cow<'static, str> {
        format!("{}Connection", T::type_name()).into()
    }
}

/// An item of a list and its place in it.
pub struct Edge<T> {
    cursor: String,
    node: T,
}

/// An item of a list and its place in it.
#[Object(name_type)]
impl<T: OutputType> Edge<T> {
    /// An opaque cursor marking this item's place: pass it as `after` to get the items after
    /// it, or as `before` to get the items before it.
    async fn cursor(&self) -> &str {
        &self.cursor
    }

    /// The item.
    async fn node(&self) -> &T {
        &self.node
    }
}

impl<T: OutputType> TypeName for Edge<T> {
    fn type_name() -> Cow<'static, str> {
        format!("{}Edge", T::type_name()).into()
    }
}

/// Where a page stands in its list.
#[derive(async_graphql::SimpleObject)]
pub struct PageInfo {
    /// Whether there are items after this page. Exact when paging forwards with `first`; when
    /// paging backwards, true whenever `before` was given.
    has_next_page: bool,
    /// Whether there are items before this page. Exact when paging backwards with `last`;
    /// when paging forwards, true whenever `after` was given.
    has_previous_page: bool,
    /// The cursor of the first item of this page, to pass as `before`.
    start_cursor: Option<String>,
    /// The cursor of the last item of this page, to pass as `after`.
    end_cursor: Option<String>,
}

/// The Relay arguments of a list field.
#[derive(Debug, Clone, Default)]
pub struct PageArgs {
    pub first: Option<i32>,
    pub after: Option<String>,
    pub last: Option<i32>,
    pub before: Option<String>,
}

/// Fetches one page of `select` in `ordering` and wraps each row for GraphQL.
pub async fn paginate<E, T>(
    ctx: &Context<'_>,
    select: Select<E>,
    ordering: Ordering<E::Model>,
    args: PageArgs,
    wrap: impl Fn(E::Model) -> T,
) -> Result<Connection<T>, ApiError>
where
    E: EntityTrait,
    E::Model: Sync,
{
    paginate_with_retracted(ctx, select, ordering, args, Vec::new(), wrap).await
}

/// [`paginate`], with the last rows of the retracted records `retracted` (those the list's
/// filter lets through) in the list too, in their place in `ordering`: what a list answers
/// with `includeRetracted: true`.
pub async fn paginate_with_retracted<E, T>(
    ctx: &Context<'_>,
    select: Select<E>,
    ordering: Ordering<E::Model>,
    args: PageArgs,
    retracted: Vec<E::Model>,
    wrap: impl Fn(E::Model) -> T,
) -> Result<Connection<T>, ApiError>
where
    E: EntityTrait,
    E::Model: Sync,
{
    let db = super::types::database(ctx).await?;
    let request = PageRequest::new(
        args.first,
        args.after.as_deref(),
        args.last,
        args.before.as_deref(),
    )?;
    let total_count = if ctx.look_ahead().field("totalCount").exists() {
        Some(page::count(db, select.clone()).await? + retracted.len() as u64)
    } else {
        None
    };
    let fetched = page::fetch(db, select, &ordering, &request).await?;
    let fetched = page::merge(fetched, retracted, &ordering, &request);
    let edges: Vec<Edge<T>> = fetched
        .rows
        .into_iter()
        .map(|(cursor, row)| Edge {
            cursor: cursor.encode(),
            node: wrap(row),
        })
        .collect();
    Ok(Connection {
        page_info: PageInfo {
            has_next_page: fetched.has_next,
            has_previous_page: fetched.has_previous,
            start_cursor: edges.first().map(|edge| edge.cursor.clone()),
            end_cursor: edges.last().map(|edge| edge.cursor.clone()),
        },
        edges,
        total_count,
    })
}
