//! What a query can return at worst, counted before it runs: its cost.
//!
//! A scalar field costs one point (a list of scalars one per item it can hold); a field that
//! selects fields costs one point plus what they cost, and a list multiplies what each of its
//! items selects by the most items it can hold, as GitHub's node limit does:
//!
//! - a connection (`claims(first: 50)`, `search(first: 10)`) holds its `first` or `last`, or
//!   20 when neither is given; its `nodes` and `edges` hold that many;
//! - a list inside a record (`relations`, `evidence`, `about`, …) holds its own `first`, whose
//!   default the schema shows (`relations(first: Int! = 50)`);
//! - `nodes(ids:)` holds as many as it is given; a `graph`'s `nodes` hold its `maxNodes`, its
//!   `edges` four per node;
//! - the few lists bounded by the schema itself hold that bound: counts per kind hold one item
//!   per value of the kind's enum, a revision's changes one per field of a record.
//!
//! Introspection (`__schema`, `__type`) costs one point per field: the schema it describes is
//! finite, and its size is bounded with the document's shape (see [`super::shape`]).
//!
//! The numbers come from the schema's own SDL, so an argument's default and its cost cannot
//! drift apart. A query costs only its own operation, not the others in its document; each
//! fragment is costed once per page size it is spread under, so the count is linear in the
//! document. A query whose cost is past the node limit is refused before it runs, and the
//! rate limit charges the cost (see [`super::rate_limit`]).

use std::collections::{HashMap, HashSet};

use async_graphql::{
    Name, Positioned, Value as ConstValue, Variables,
    parser::types::{
        BaseType, DocumentOperations, ExecutableDocument, FieldDefinition, Selection, SelectionSet,
        Type, TypeKind, TypeSystemDefinition, VariableDefinition,
    },
};

use crate::store::{
    graph::EDGES_PER_NODE,
    page::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE},
};

/// Lists whose bound is the number of values of an enum: `(type, field, enum)`.
const BOUNDED_BY_ENUM: [(&str, &str, &str); 6] = [
    ("Aggregates", "entitiesByKind", "EntityKind"),
    ("Aggregates", "actorsByKind", "ActorKind"),
    ("Aggregates", "claimsByCertainty", "Certainty"),
    ("Aggregates", "claimsByKind", "ClaimKind"),
    ("Aggregates", "relationsByType", "RelationType"),
    ("TimelineBucket", "byKind", "TimelineKind"),
];

/// A revision changes each field of a record at most once; no record has this many fields.
pub const MAX_FIELD_CHANGES: u64 = 50;

/// Lists with a fixed bound: `(type, field, bound)`.
const BOUNDED: [(&str, &str, u64); 5] = [
    ("Revision", "changes", MAX_FIELD_CHANGES),
    ("Change", "changes", MAX_FIELD_CHANGES),
    (
        "QuoteLocation",
        "occurrences",
        crate::dataset::locate::MAX_OCCURRENCES as u64,
    ),
    (
        "QuoteLocation",
        "closest",
        crate::dataset::locate::MAX_CLOSEST as u64,
    ),
    (
        "ClosestPassage",
        "differences",
        crate::dataset::locate::MAX_DIFFERENCES as u64,
    ),
];

/// How many items a list field holds at most.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Size {
    /// Not a list.
    One,
    /// Its `first` or `last` argument, or this default.
    Page(u64),
    /// As many as its `ids` argument names.
    Ids,
    /// The page size of the field it is inside (a connection's `nodes` and `edges`, a graph's
    /// nodes), times this factor.
    Inherited(u64),
    /// A fixed bound.
    Bound(u64),
    /// A list the model has no bound for; [`CostModel::unbounded`] lists them.
    Unbounded,
}

#[derive(Debug)]
struct FieldCost {
    /// The named type it returns.
    ty: String,
    size: Size,
    /// The page size it hands to the fields of what it returns: a connection's `first`, a
    /// graph's `maxNodes`.
    carries: Option<Carry>,
}

#[derive(Debug, Clone, Copy)]
enum Carry {
    /// Its `first` or `last`, or the default page size.
    Page,
    /// Its `maxNodes` argument, or this default.
    MaxNodes(u64),
}

/// The cost of each field of each object and interface type, read from the SDL.
#[derive(Debug, Default)]
pub struct CostModel {
    types: HashMap<String, HashMap<String, FieldCost>>,
}

fn named(ty: &Type) -> (&str, bool) {
    match &ty.base {
        BaseType::Named(name) => (name.as_str(), false),
        BaseType::List(inner) => (named(inner).0, true),
    }
}

fn default_of(field: &FieldDefinition, argument: &str) -> Option<u64> {
    field
        .arguments
        .iter()
        .find(|arg| arg.node.name.node == argument)
        .and_then(|arg| arg.node.default_value.as_ref())
        .and_then(|value| match &value.node {
            ConstValue::Number(n) => n.as_u64(),
            _ => None,
        })
}

fn has_argument(field: &FieldDefinition, argument: &str) -> bool {
    field
        .arguments
        .iter()
        .any(|arg| arg.node.name.node == argument)
}

impl CostModel {
    /// The model of the schema whose SDL is `sdl`.
    pub fn from_sdl(sdl: &str) -> Self {
        let Ok(document) = async_graphql::parser::parse_schema(sdl) else {
            return Self::default();
        };
        let mut enums = HashMap::new();
        let mut types = HashMap::new();
        for definition in &document.definitions {
            let TypeSystemDefinition::Type(definition) = definition else {
                continue;
            };
            let name = definition.node.name.node.to_string();
            let fields = match &definition.node.kind {
                TypeKind::Object(object) => &object.fields,
                TypeKind::Interface(interface) => &interface.fields,
                TypeKind::Enum(values) => {
                    enums.insert(name, values.values.len() as u64);
                    continue;
                }
                _ => continue,
            };
            let fields = fields
                .iter()
                .map(|field| {
                    let field = &field.node;
                    let (ty, list) = named(&field.ty.node);
                    let paged = has_argument(field, "first") || has_argument(field, "last");
                    let carries = if paged && !list {
                        Some(Carry::Page)
                    } else if has_argument(field, "maxNodes") {
                        Some(Carry::MaxNodes(default_of(field, "maxNodes").unwrap_or(0)))
                    } else {
                        None
                    };
                    let size = if !list {
                        Size::One
                    } else if paged {
                        Size::Page(default_of(field, "first").unwrap_or(DEFAULT_PAGE_SIZE))
                    } else if has_argument(field, "ids") {
                        Size::Ids
                    } else {
                        Size::Unbounded
                    };
                    (
                        field.name.node.to_string(),
                        FieldCost {
                            ty: ty.to_owned(),
                            size,
                            carries,
                        },
                    )
                })
                .collect::<HashMap<_, _>>();
            types.insert(name, fields);
        }
        for (name, fields) in &mut types {
            for (field_name, field) in fields.iter_mut() {
                if field.size != Size::Unbounded {
                    continue;
                }
                let inherited = match (name.as_str(), field_name.as_str()) {
                    (_, "nodes" | "edges") if name.ends_with("Connection") => Some(1),
                    ("Graph", "nodes") => Some(1),
                    ("Graph", "edges") => Some(EDGES_PER_NODE as u64),
                    _ => None,
                };
                if let Some(factor) = inherited {
                    field.size = Size::Inherited(factor);
                } else if let Some((.., bound)) = BOUNDED
                    .iter()
                    .find(|(ty, f, _)| ty == name && f == field_name)
                {
                    field.size = Size::Bound(*bound);
                } else if let Some((.., enumeration)) = BOUNDED_BY_ENUM
                    .iter()
                    .find(|(ty, f, _)| ty == name && f == field_name)
                    && let Some(count) = enums.get(*enumeration)
                {
                    field.size = Size::Bound(*count);
                }
            }
        }
        Self { types }
    }

    /// The list fields the model has no bound for, as `Type.field`; none in a sound schema.
    pub fn unbounded(&self) -> Vec<String> {
        let mut found: Vec<String> = self
            .types
            .iter()
            .flat_map(|(ty, fields)| {
                fields
                    .iter()
                    .filter(|(_, field)| field.size == Size::Unbounded)
                    .map(move |(name, _)| format!("{ty}.{name}"))
            })
            .collect();
        found.sort();
        found
    }

    /// The cost of the operation a request runs: the one named `operation_name`, or the
    /// document's only one. `None` when there is no such operation (validation says why).
    pub fn cost(
        &self,
        document: &ExecutableDocument,
        operation_name: Option<&str>,
        variables: &Variables,
    ) -> Option<u64> {
        let operation = match (&document.operations, operation_name) {
            (DocumentOperations::Single(operation), _) => operation,
            (DocumentOperations::Multiple(operations), Some(name)) => operations.get(name)?,
            (DocumentOperations::Multiple(operations), None) if operations.len() == 1 => {
                operations.values().next()?
            }
            (DocumentOperations::Multiple(_), None) => return None,
        };
        let root = match operation.node.ty {
            async_graphql::parser::types::OperationType::Query => "Query",
            async_graphql::parser::types::OperationType::Mutation => "Mutation",
            async_graphql::parser::types::OperationType::Subscription => "Subscription",
        };
        let mut walk = Walk {
            model: self,
            document,
            variables,
            definitions: &operation.node.variable_definitions,
            fragments: HashMap::new(),
            visiting: HashSet::new(),
        };
        Some(walk.set(&operation.node.selection_set.node, root, DEFAULT_PAGE_SIZE))
    }
}

/// One costing of an operation, with each fragment's cost kept per page size.
struct Walk<'a> {
    model: &'a CostModel,
    document: &'a ExecutableDocument,
    variables: &'a Variables,
    definitions: &'a [Positioned<VariableDefinition>],
    fragments: HashMap<(&'a str, u64), u64>,
    /// The fragments being costed, so that a cycle (which validation refuses) ends.
    visiting: HashSet<&'a str>,
}

impl<'a> Walk<'a> {
    fn set(&mut self, set: &'a SelectionSet, ty: &str, page: u64) -> u64 {
        let mut cost: u64 = 0;
        for selection in &set.items {
            let item = match &selection.node {
                Selection::Field(field) => self.field(&field.node, ty, page),
                Selection::InlineFragment(fragment) => {
                    let on = fragment
                        .node
                        .type_condition
                        .as_ref()
                        .map_or(ty, |condition| condition.node.on.node.as_str());
                    self.set(&fragment.node.selection_set.node, on, page)
                }
                Selection::FragmentSpread(spread) => {
                    self.fragment(spread.node.fragment_name.node.as_str(), page)
                }
            };
            cost = cost.saturating_add(item);
        }
        cost
    }

    fn fragment(&mut self, name: &'a str, page: u64) -> u64 {
        if let Some(cost) = self.fragments.get(&(name, page)) {
            return *cost;
        }
        let Some(fragment) = self.document.fragments.get(name) else {
            return 0;
        };
        if !self.visiting.insert(name) {
            return 0;
        }
        let on = fragment.node.type_condition.node.on.node.as_str();
        let cost = self.set(&fragment.node.selection_set.node, on, page);
        self.visiting.remove(name);
        self.fragments.insert((name, page), cost);
        cost
    }

    fn field(
        &mut self,
        field: &'a async_graphql::parser::types::Field,
        ty: &str,
        page: u64,
    ) -> u64 {
        if field.response_key().node.as_str() == super::response::MEMBER_KEY {
            // Added to the document to tell an empty union member from a missing one; the
            // client did not ask for it.
            return 0;
        }
        let name = field.name.node.as_str();
        if name == "__schema" || name == "__type" {
            return 1u64.saturating_add(flat(
                self.document,
                &field.selection_set.node,
                &mut HashSet::new(),
            ));
        }
        let Some(cost) = self.model.types.get(ty).and_then(|fields| fields.get(name)) else {
            // `__typename`, or a field validation refuses.
            return 1;
        };
        let size = match cost.size {
            Size::One => 1,
            Size::Page(default) => self.page_size(field, default),
            Size::Ids => self.list_length(field, "ids"),
            Size::Inherited(factor) => page.saturating_mul(factor),
            Size::Bound(bound) => bound,
            Size::Unbounded => MAX_PAGE_SIZE,
        };
        let carried = match cost.carries {
            Some(Carry::Page) => self.page_size(field, DEFAULT_PAGE_SIZE),
            Some(Carry::MaxNodes(default)) => self.number(field, "maxNodes").unwrap_or(default),
            None => page,
        };
        if field.selection_set.node.items.is_empty() {
            // A scalar, or a list of them.
            return size;
        }
        let children = self.set(&field.selection_set.node, &cost.ty, carried);
        1u64.saturating_add(size.saturating_mul(children))
    }

    /// The `first` or `last` a field is given, or `default`; at most the largest page, as a
    /// larger one is refused when the field runs.
    fn page_size(&self, field: &async_graphql::parser::types::Field, default: u64) -> u64 {
        self.number(field, "first")
            .or_else(|| self.number(field, "last"))
            .unwrap_or(default)
            .min(MAX_PAGE_SIZE)
    }

    fn argument(
        &self,
        field: &'a async_graphql::parser::types::Field,
        name: &str,
    ) -> Option<ConstValue> {
        let (_, value) = field.arguments.iter().find(|(arg, _)| arg.node == name)?;
        value
            .node
            .clone()
            .into_const_with(|variable| self.variable(&variable).ok_or(()))
            .ok()
    }

    fn variable(&self, name: &Name) -> Option<ConstValue> {
        self.variables.get(name).cloned().or_else(|| {
            self.definitions
                .iter()
                .find(|definition| definition.node.name.node == *name)
                .and_then(|definition| definition.node.default_value.as_ref())
                .map(|value| value.node.clone())
        })
    }

    fn number(&self, field: &'a async_graphql::parser::types::Field, name: &str) -> Option<u64> {
        match self.argument(field, name)? {
            ConstValue::Number(n) => Some(n.as_u64().unwrap_or(0)),
            _ => None,
        }
    }

    fn list_length(&self, field: &'a async_graphql::parser::types::Field, name: &str) -> u64 {
        match self.argument(field, name) {
            Some(ConstValue::List(items)) => items.len() as u64,
            Some(ConstValue::Null) | None => 0,
            Some(_) => 1,
        }
    }
}

/// One point per field and inline fragment under `set`, fragments spread as they are written
/// (each at most once per path, so a cycle ends).
fn flat<'a>(
    document: &'a ExecutableDocument,
    set: &'a SelectionSet,
    seen: &mut HashSet<&'a str>,
) -> u64 {
    let mut cost: u64 = 0;
    for selection in &set.items {
        let item = match &selection.node {
            Selection::Field(field) => {
                1u64.saturating_add(flat(document, &field.node.selection_set.node, seen))
            }
            Selection::InlineFragment(fragment) => {
                flat(document, &fragment.node.selection_set.node, seen)
            }
            Selection::FragmentSpread(spread) => {
                let name = spread.node.fragment_name.node.as_str();
                match document.fragments.get(name) {
                    Some(fragment) if seen.insert(name) => {
                        let cost = flat(document, &fragment.node.selection_set.node, seen);
                        seen.remove(name);
                        cost
                    }
                    _ => 0,
                }
            }
        };
        cost = cost.saturating_add(item);
    }
    cost
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> CostModel {
        CostModel::from_sdl(&crate::graphql::sdl())
    }

    fn cost(query: &str) -> u64 {
        let document = async_graphql::parser::parse_query(query).expect("a document");
        model()
            .cost(&document, None, &Variables::default())
            .expect("one operation")
    }

    #[test]
    fn every_list_in_the_schema_has_a_bound() {
        assert_eq!(model().unbounded(), Vec::<String>::new());
    }

    #[test]
    fn a_list_multiplies_what_its_items_select() {
        assert_eq!(cost("{ dataset { version } }"), 2);
        // The connection (1) holds 10 nodes (1 + 10 × 2).
        assert_eq!(
            cost("{ claims(first: 10) { nodes { quote slug } } }"),
            1 + 21
        );
        // Without `first`, a connection holds 20.
        assert_eq!(cost("{ claims { nodes { quote } } }"), 1 + 21);
        // A list inside a record holds its own default: 50 relations.
        assert_eq!(
            cost(r#"{ actor(slug: "x") { relations { key } } }"#),
            1 + 1 + 50
        );
        assert_eq!(
            cost(r#"{ actor(slug: "x") { relations(first: 5) { key } } }"#),
            1 + 1 + 5
        );
    }

    #[test]
    fn a_subscription_is_costed_as_one_event_from_the_subscription_root() {
        // `changes` (1) with three scalars, and a revision's changes bounded by the fields
        // of a record: what one event can return.
        assert_eq!(
            cost("subscription { changes { position slug reason } }"),
            1 + 3
        );
        assert_eq!(
            cost("subscription { changes { changes { field } } }"),
            1 + 1 + MAX_FIELD_CHANGES
        );
    }

    #[test]
    fn nested_lists_multiply_and_interfaces_count_alike() {
        let nested =
            r#"{ claims(first: 100) { nodes { about { relations { evidence { quote } } } } } }"#;
        // 100 claims × 20 entities × 50 relations × 10 claims.
        assert!(cost(nested) > 1_000_000, "{}", cost(nested));
        let through_interface =
            r#"{ relation(key: "x") { object { relations { object { relations { key } } } } } }"#;
        assert_eq!(cost(through_interface), 1 + 1 + 1 + 50 * (1 + 1 + 50));
    }

    #[test]
    fn only_the_operation_that_runs_is_costed() {
        let document = async_graphql::parser::parse_query(
            "query Cheap { dataset { version } } query Dear { claims(first: 100) { nodes { quote } } }",
        )
        .expect("a document");
        let model = model();
        let vars = Variables::default();
        assert_eq!(model.cost(&document, Some("Cheap"), &vars), Some(2));
        assert_eq!(
            model.cost(&document, Some("Dear"), &vars),
            Some(1 + 1 + 100)
        );
        assert_eq!(model.cost(&document, None, &vars), None);
    }

    #[test]
    fn variables_and_their_defaults_set_page_sizes() {
        let document = async_graphql::parser::parse_query(
            "query($n: Int = 7) { claims(first: $n) { nodes { quote } } }",
        )
        .expect("a document");
        let model = model();
        assert_eq!(
            model.cost(&document, None, &Variables::default()),
            Some(1 + 1 + 7)
        );
        let vars = Variables::from_json(serde_json::json!({ "n": 3 }));
        assert_eq!(model.cost(&document, None, &vars), Some(1 + 1 + 3));
    }

    #[test]
    fn fragments_are_costed_once_however_often_they_are_spread() {
        let mut text = String::from("{ ...F0 }");
        for i in 0..40 {
            text.push_str(&format!(
                " fragment F{i} on Query {{ ...F{next} ...F{next} }}",
                next = i + 1
            ));
        }
        text.push_str(" fragment F40 on Query { dataset { version } }");
        // 2^40 copies of two points, saturating rather than overflowing, in linear time.
        let started = std::time::Instant::now();
        assert!(cost(&text) > 1_000_000_000);
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
    }

    #[test]
    fn the_bundled_examples_cost_a_fraction_of_the_node_limit() {
        let model = model();
        for example in crate::http::graphiql::EXAMPLES {
            let document =
                async_graphql::parser::parse_query(example.query).expect("an example parses");
            let cost = model
                .cost(&document, None, &Variables::default())
                .expect("one operation");
            assert!(cost <= 10_000, "{} costs {cost}", example.query);
        }
    }

    #[test]
    fn the_costs_the_readme_gives_hold() {
        assert_eq!(cost(crate::http::graphiql::FLAGSHIP_QUERY), 8_253);
        assert_eq!(
            cost("{ claims(first: 100) { nodes { quote source { title } } } }"),
            302
        );
    }

    #[test]
    fn nodes_cost_what_they_are_given() {
        // One point for the list, one for each `id` of the three nodes.
        assert_eq!(cost(r#"{ nodes(ids: ["a", "b", "c"]) { id } }"#), 4);
    }

    #[test]
    fn a_graph_costs_its_nodes_and_four_edges_per_node() {
        assert_eq!(
            cost(r#"{ graph(slug: "x", maxNodes: 10) { nodes { slug } edges { id } } }"#),
            1 + (1 + 10) + (1 + 40)
        );
    }
}
