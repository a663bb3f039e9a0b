//! Answers shaped as the GraphQL specification says, where async-graphql 7.2 does otherwise.
//!
//! async-graphql builds each object of an answer in one place (`do_resolve_container`), and
//! there it departs from the specification three ways: fields come in the order their
//! resolvers finish, not the order they were asked for (async-graphql issue #612; the spec's
//! "CollectFields" keeps request order, and `serde_json`'s `preserve_order` does not help,
//! because the order is lost before any JSON is written); a field whose resolver fails is left
//! out of `data` instead of being `null`, with the error propagated to the nearest nullable
//! parent when the field is non-null (spec 6.4.4, "Handling Field Errors"); and an object of
//! which no field was selected, such as a union member that no fragment names, becomes `null`
//! where it must be `{}`.
//!
//! This extension puts those right on the way out, one field at a time: its `resolve` hook
//! sees every field's value as it is completed, orders the object's keys as the document
//! asks, turns a failure into `null` (keeping the error, with its path), and carries a failure
//! of a non-null field up to the first nullable place. Patching the crate was the other way;
//! a fork to keep in step with every release costs more than one extension.
//!
//! A union or interface field with no matching fragment needs one more step. By the time the
//! hook sees a *nullable* one's `null`, nothing tells an empty selection from a resolver that
//! returned nothing; so, as the document is parsed, every selection of a union or interface
//! field gets a `__typename` under a response key of its own ([`MEMBER_KEY`]), which makes
//! the object non-empty whatever member it is, and the hook takes the key out again: an
//! empty member comes back `{}`, a missing record `null`. The added field costs nothing (see
//! [`super::cost`]) and never reaches the client.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use async_graphql::{
    Name, PathSegment, Positioned, Response, ServerError, ServerResult, Value, Variables,
    context::{QueryPathNode, QueryPathSegment},
    extensions::{
        Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery, NextResolve,
        ResolveInfo,
    },
    parser::types::{
        DocumentOperations, ExecutableDocument, Field, FragmentDefinition, OperationType,
        Selection, SelectionSet,
    },
    registry::{MetaTypeName, Registry},
};

/// The response key of the `__typename` added under every union or interface field, and
/// taken out of the answer again. No client sees it; a client that asked for this key itself
/// would lose it, which is why it is one no one writes.
pub const MEMBER_KEY: &str = "__nkhrMember";

/// The extension that shapes answers as the specification says.
pub struct SpecResponse;

impl ExtensionFactory for SpecResponse {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(SpecResponseExtension::default())
    }
}

type Fragments = HashMap<Name, Positioned<FragmentDefinition>>;

#[derive(Default)]
struct SpecResponseExtension {
    /// The document being run, for its fragments and the order of its root fields.
    document: Mutex<Option<ExecutableDocument>>,
    /// The errors of failed fields, answered with `null`, to list in the response.
    errors: Mutex<Vec<ServerError>>,
    /// Places that are `null` though their type is non-null, waiting for the nearest
    /// nullable parent to be `null` instead.
    failed: Mutex<Vec<Vec<PathSegment>>>,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn path_of(node: &QueryPathNode<'_>) -> Vec<PathSegment> {
    let mut path = Vec::new();
    let mut current = Some(node);
    while let Some(node) = current {
        path.push(match node.segment {
            QueryPathSegment::Index(index) => PathSegment::Index(index),
            QueryPathSegment::Name(name) => PathSegment::Field(name.to_owned()),
        });
        current = node.parent;
    }
    path.reverse();
    path
}

/// The response keys `set` selects, in the order the document gives them, fragments
/// expanded in place.
fn response_keys(set: &SelectionSet, fragments: &Fragments, keys: &mut Vec<Name>) {
    for selection in &set.items {
        match &selection.node {
            Selection::Field(field) => {
                let key = field.node.response_key().node.clone();
                if !keys.contains(&key) {
                    keys.push(key);
                }
            }
            Selection::InlineFragment(fragment) => {
                response_keys(&fragment.node.selection_set.node, fragments, keys);
            }
            Selection::FragmentSpread(spread) => {
                if let Some(fragment) = fragments.get(&spread.node.fragment_name.node) {
                    response_keys(&fragment.node.selection_set.node, fragments, keys);
                }
            }
        }
    }
}

/// Orders the keys of the objects `value` holds (itself, or the items of its lists) as
/// `keys` lists them.
fn reorder(value: &mut Value, keys: &[Name]) {
    match value {
        Value::Object(object) => {
            let rank = |key: &Name| keys.iter().position(|k| k == key).unwrap_or(usize::MAX);
            object.sort_by(|a, _, b, _| rank(a).cmp(&rank(b)));
        }
        Value::List(items) => items.iter_mut().for_each(|item| reorder(item, keys)),
        _ => {}
    }
}

/// Whether a type, as introspection names it (`[Claim!]!`), is non-null.
fn non_null(ty: &str) -> bool {
    ty.ends_with('!')
}

/// The type of the items of the list type `ty`, if it is one.
fn item_type(ty: &str) -> Option<&str> {
    ty.trim_end_matches('!')
        .strip_prefix('[')
        .and_then(|inner| inner.strip_suffix(']'))
}

/// Turns the `null`s async-graphql gives for objects with nothing selected into `{}`
/// where the type is non-null, so could not be `null` without an error.
fn fill_empty(value: &mut Value, ty: &str) {
    match (value, item_type(ty)) {
        (Value::List(items), Some(item)) => items.iter_mut().for_each(|v| fill_empty(v, item)),
        (value @ Value::Null, None) if non_null(ty) => *value = Value::Object(Default::default()),
        _ => {}
    }
}

/// Makes `null` the nearest nullable place above an object (reached from `value` of type
/// `ty` by the list `indices`) one of whose non-null fields failed. `false` when there is
/// none below the field itself, which then must be `null` in turn.
fn null_nearest(value: &mut Value, ty: &str, indices: &[usize]) -> bool {
    let Some((&first, rest)) = indices.split_first() else {
        if non_null(ty) {
            return false;
        }
        *value = Value::Null;
        return true;
    };
    let (Value::List(items), Some(item)) = (&mut *value, item_type(ty)) else {
        return false;
    };
    let nulled = match items.get_mut(first) {
        Some(entry) => null_nearest(entry, item, rest),
        None => true,
    };
    if nulled {
        return true;
    }
    if non_null(ty) {
        return false;
    }
    *value = Value::Null;
    true
}

/// Adds a `__typename` under [`MEMBER_KEY`] to the selections of every union or interface
/// field in `set`, whose parent type is `parent`, and in the selections below them.
fn mark_members(set: &mut SelectionSet, parent: &str, registry: &Registry) {
    for selection in &mut set.items {
        match &mut selection.node {
            Selection::Field(field) => {
                let field = &mut field.node;
                let Some(meta) = registry
                    .concrete_type_by_name(parent)
                    .and_then(|ty| ty.field_by_name(field.name.node.as_str()))
                else {
                    continue;
                };
                let named = MetaTypeName::concrete_typename(&meta.ty);
                let Some(ty) = registry.types.get(named).filter(|ty| ty.is_composite()) else {
                    continue;
                };
                mark_members(&mut field.selection_set.node, named, registry);
                if ty.is_abstract() {
                    let pos = field.name.pos;
                    let typename = Field {
                        alias: Some(Positioned::new(Name::new(MEMBER_KEY), pos)),
                        name: Positioned::new(Name::new("__typename"), pos),
                        arguments: Vec::new(),
                        directives: Vec::new(),
                        selection_set: Positioned::new(SelectionSet::default(), pos),
                    };
                    field.selection_set.node.items.push(Positioned::new(
                        Selection::Field(Positioned::new(typename, pos)),
                        pos,
                    ));
                }
            }
            Selection::InlineFragment(fragment) => {
                let on = fragment
                    .node
                    .type_condition
                    .as_ref()
                    .map_or(parent, |condition| condition.node.on.node.as_str())
                    .to_owned();
                mark_members(&mut fragment.node.selection_set.node, &on, registry);
            }
            // Fragments are marked where they are defined.
            Selection::FragmentSpread(_) => {}
        }
    }
}

/// Marks every union or interface field of a document's queries and fragments.
fn mark_document(document: &mut ExecutableDocument, registry: &Registry) {
    let operations: Vec<_> = match &mut document.operations {
        DocumentOperations::Single(operation) => vec![operation],
        DocumentOperations::Multiple(operations) => operations.values_mut().collect(),
    };
    for operation in operations {
        if operation.node.ty == OperationType::Query {
            mark_members(
                &mut operation.node.selection_set.node,
                &registry.query_type,
                registry,
            );
        }
    }
    for fragment in document.fragments.values_mut() {
        let on = fragment.node.type_condition.node.on.node.to_string();
        mark_members(&mut fragment.node.selection_set.node, &on, registry);
    }
}

/// Takes [`MEMBER_KEY`] out of the objects `value` holds (itself, or its lists' items).
fn unmark(value: &mut Value) {
    match value {
        Value::Object(object) => {
            object.shift_remove(MEMBER_KEY);
        }
        Value::List(items) => items.iter_mut().for_each(unmark),
        _ => {}
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for SpecResponseExtension {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let mut document = next.run(ctx, query, variables).await?;
        *lock(&self.document) = Some(document.clone());
        mark_document(&mut document, &ctx.schema_env.registry);
        Ok(document)
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let mut response = next.run(ctx, operation_name).await;
        response.errors.append(&mut lock(&self.errors));
        if lock(&self.failed).iter().any(|path| path.len() == 1) {
            // A non-null root field failed: the specification makes `data` itself null.
            response.data = Value::Null;
        }
        if let Some(document) = &*lock(&self.document) {
            let operation = match (&document.operations, operation_name) {
                (DocumentOperations::Single(operation), _) => Some(operation),
                (DocumentOperations::Multiple(operations), Some(name)) => {
                    operations.get(&Name::new(name))
                }
                (DocumentOperations::Multiple(operations), None) => {
                    operations.values().next().filter(|_| operations.len() == 1)
                }
            };
            if let Some(operation) = operation {
                let mut keys = Vec::new();
                response_keys(
                    &operation.node.selection_set.node,
                    &document.fragments,
                    &mut keys,
                );
                reorder(&mut response.data, &keys);
            }
        }
        response
    }

    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        let path = path_of(info.path_node);
        let ty = info.return_type.to_owned();
        let mut keys = Vec::new();
        if let Some(document) = &*lock(&self.document) {
            response_keys(
                &info.field.selection_set.node,
                &document.fragments,
                &mut keys,
            );
        }
        let mut value = match next.run(ctx, info).await {
            Ok(value) => value.unwrap_or_default(),
            Err(error) => {
                lock(&self.errors).push(error);
                if non_null(&ty) {
                    lock(&self.failed).push(path);
                }
                return Ok(Some(Value::Null));
            }
        };
        unmark(&mut value);
        // A list's items are filled by the list's own field, from its type: the type
        // async-graphql gives an item of `[Node]` is `Node!`, whatever the list says.
        if !matches!(path.last(), Some(PathSegment::Index(_))) {
            fill_empty(&mut value, &ty);
        }
        if !keys.is_empty() {
            reorder(&mut value, &keys);
        }
        let below: Vec<Vec<PathSegment>> = {
            let mut failed = lock(&self.failed);
            let (below, rest) = failed
                .drain(..)
                .partition(|failure| failure.len() > path.len() && failure.starts_with(&path));
            *failed = rest;
            below
        };
        for failure in below {
            let indices: Vec<usize> = failure[path.len()..failure.len() - 1]
                .iter()
                .filter_map(|segment| match segment {
                    PathSegment::Index(index) => Some(*index),
                    PathSegment::Field(_) => None,
                })
                .collect();
            if !null_nearest(&mut value, &ty, &indices) {
                // The field itself is non-null: its parent's turn.
                lock(&self.failed).push(path.clone());
                value = Value::Null;
                break;
            }
        }
        Ok(Some(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_types_name_their_items() {
        assert_eq!(item_type("[Claim!]!"), Some("Claim!"));
        assert_eq!(item_type("[[Int]!]"), Some("[Int]!"));
        assert_eq!(item_type("Claim!"), None);
    }

    #[test]
    fn a_failure_nulls_the_nearest_nullable_place() {
        let object = || Value::Object(Default::default());
        let mut nullable_items = Value::List(vec![object(), object()]);
        assert!(null_nearest(&mut nullable_items, "[Claim]!", &[1]));
        assert_eq!(nullable_items, Value::List(vec![object(), Value::Null]));

        let mut non_null_items = Value::List(vec![object()]);
        assert!(null_nearest(&mut non_null_items, "[Claim!]", &[0]));
        assert_eq!(non_null_items, Value::Null);

        let mut all_non_null = Value::List(vec![object()]);
        assert!(!null_nearest(&mut all_non_null, "[Claim!]!", &[0]));
    }
}
