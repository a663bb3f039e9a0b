//! The shape of a document, measured before it is validated: how many selections it has once
//! every fragment spread is expanded, how deeply its data selections nest, and how deeply its
//! introspection nests.
//!
//! Validation walks a document with its fragments expanded, so a document of a kilobyte whose
//! fragments each spread the next one twice (`F0 { ...F1 ...F1 }`, `F1 { ...F2 ...F2 }`, …)
//! asks it for 2^30 steps. Here each fragment is measured once and its measure reused
//! wherever it is spread, so the count costs time linear in the document, and a document
//! whose expansion is past [`ShapeLimits::selections`] is refused before validation starts.
//!
//! Depth is measured the same way, in two counts. Data selections nest at most
//! [`ShapeLimits::depth`] deep. Introspection (everything under `__schema` or `__type`, and
//! fragments on the introspection types) has its own bound, [`ShapeLimits::introspection_depth`]:
//! the standard introspection queries of graphql-js and graphql-core follow `ofType` nine
//! levels down, deeper than data ever needs, and the schema they walk is finite and small. This
//! is how GraphQL Armor treats introspection (`ignoreIntrospection` in its depth limit) with a
//! bound of its own instead of none.
//!
//! The check runs on the parsed document before the schema sees it ([`super::Executor::check_shape`]),
//! because async-graphql's first step after parsing, its recursion check, itself follows every
//! spread. Async-graphql's own depth limit would count introspection with the data, so the
//! schema does not set it; this check takes its place and keeps its code, `QUERY_TOO_DEEP`.

use std::collections::HashMap;

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};

use super::error::codes;

/// The bounds on a document's shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShapeLimits {
    /// How deeply data selections may nest.
    pub depth: usize,
    /// How deeply introspection selections may nest, counted from `__schema` or `__type`.
    pub introspection_depth: usize,
    /// How many fields and inline fragments the document may have once its fragment spreads
    /// are expanded.
    pub selections: u64,
}

/// What measuring a document found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Shape {
    /// Fields and inline fragments, with fragment spreads expanded.
    pub selections: u64,
    /// The deepest nesting of data fields.
    pub depth: usize,
    /// The deepest nesting of introspection fields.
    pub introspection_depth: usize,
}

/// The introspection types: a fragment on one of them is introspection.
const INTROSPECTION_TYPES: [&str; 8] = [
    "__Schema",
    "__Type",
    "__Field",
    "__InputValue",
    "__EnumValue",
    "__Directive",
    "__TypeKind",
    "__DirectiveLocation",
];

fn is_introspection_type(name: &str) -> bool {
    INTROSPECTION_TYPES.contains(&name)
}

/// A fragment's own measure, before the fragments it spreads are added in.
#[derive(Debug, Default)]
struct Local {
    selections: u64,
    depth: usize,
    introspection_depth: usize,
    /// The fragments it spreads, each with the data depth and introspection depth it is spread
    /// at (relative to the fragment's own start), and whether it is spread inside introspection.
    spreads: Vec<Spread>,
}

#[derive(Debug)]
struct Spread {
    name: String,
    depth: usize,
    introspection: Option<usize>,
}

/// Walks a selection set at `depth` data levels (or, inside introspection, at `introspection`
/// levels), adding what it finds to `local`. Recursion follows the text's nesting, which the
/// parser and the document's nesting limit bound.
fn walk(set: &SelectionSet, depth: usize, introspection: Option<usize>, local: &mut Local) {
    for selection in &set.items {
        match &selection.node {
            Selection::Field(field) => {
                local.selections += 1;
                let name = field.node.name.node.as_str();
                let (depth, introspection) = match introspection {
                    Some(level) => (depth, Some(level + 1)),
                    None if name == "__schema" || name == "__type" => (depth, Some(1)),
                    None => (depth + 1, None),
                };
                local.depth = local.depth.max(depth);
                if let Some(level) = introspection {
                    local.introspection_depth = local.introspection_depth.max(level);
                }
                walk(&field.node.selection_set.node, depth, introspection, local);
            }
            Selection::FragmentSpread(spread) => local.spreads.push(Spread {
                name: spread.node.fragment_name.node.to_string(),
                depth,
                introspection,
            }),
            Selection::InlineFragment(fragment) => {
                local.selections += 1;
                let on_introspection = fragment
                    .node
                    .type_condition
                    .as_ref()
                    .is_some_and(|t| is_introspection_type(t.node.on.node.as_str()));
                let introspection = introspection.or(on_introspection.then_some(0));
                walk(
                    &fragment.node.selection_set.node,
                    depth,
                    introspection,
                    local,
                );
            }
        }
    }
}

/// The measure of each fragment with its spreads expanded, computed once per fragment.
///
/// The fragments are visited depth first with an explicit stack, so a long chain of
/// fragments cannot exhaust the thread's stack; a fragment met again while it is being
/// measured (a cycle, which validation refuses) counts as empty.
fn expand(locals: &HashMap<String, Local>) -> HashMap<&str, Shape> {
    let mut done: HashMap<&str, Shape> = HashMap::with_capacity(locals.len());
    let mut visiting: std::collections::HashSet<&str> = Default::default();
    for start in locals.keys() {
        let mut stack: Vec<(&str, bool)> = vec![(start.as_str(), false)];
        while let Some((name, children_done)) = stack.pop() {
            if done.contains_key(name) {
                continue;
            }
            let Some(local) = locals.get(name) else {
                done.insert(name, Shape::default());
                continue;
            };
            if !children_done {
                if !visiting.insert(name) {
                    continue;
                }
                stack.push((name, true));
                for spread in &local.spreads {
                    let child = spread.name.as_str();
                    if !done.contains_key(child) && !visiting.contains(child) {
                        stack.push((child, false));
                    }
                }
                continue;
            }
            visiting.remove(name);
            let shape = combine(local, &done);
            done.insert(name, shape);
        }
    }
    done
}

/// A local measure with the already-expanded measures of the fragments it spreads.
fn combine(local: &Local, done: &HashMap<&str, Shape>) -> Shape {
    let mut shape = Shape {
        selections: local.selections,
        depth: local.depth,
        introspection_depth: local.introspection_depth,
    };
    for spread in &local.spreads {
        let child = done.get(spread.name.as_str()).copied().unwrap_or_default();
        shape.selections = shape.selections.saturating_add(child.selections);
        match spread.introspection {
            // Inside introspection, the spread fragment is on an introspection type: its
            // depth is introspection depth, counted from where it is spread.
            Some(level) => {
                let deepest = child.introspection_depth.max(child.depth);
                shape.introspection_depth = shape.introspection_depth.max(level + deepest);
            }
            None => {
                shape.depth = shape.depth.max(spread.depth + child.depth);
                shape.introspection_depth =
                    shape.introspection_depth.max(child.introspection_depth);
            }
        }
    }
    shape
}

/// Measures a document: every operation and fragment, with spreads expanded.
pub fn measure(document: &ExecutableDocument) -> Shape {
    let mut locals = HashMap::with_capacity(document.fragments.len());
    for (name, fragment) in &document.fragments {
        let mut local = Local::default();
        let on = fragment.node.type_condition.node.on.node.as_str();
        let introspection = is_introspection_type(on).then_some(0);
        walk(
            &fragment.node.selection_set.node,
            0,
            introspection,
            &mut local,
        );
        locals.insert(name.to_string(), local);
    }
    let fragments = expand(&locals);
    let mut total = Shape::default();
    for (_, operation) in document.operations.iter() {
        let mut local = Local::default();
        walk(&operation.node.selection_set.node, 0, None, &mut local);
        let shape = combine(&local, &fragments);
        total.selections = total.selections.saturating_add(shape.selections);
        total.depth = total.depth.max(shape.depth);
        total.introspection_depth = total.introspection_depth.max(shape.introspection_depth);
    }
    total
}

/// A document whose shape is past a limit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShapeError {
    /// `TOO_MANY_SELECTIONS`
    #[error(
        "the document has {count} selections once its fragments are expanded; at most {limit} are allowed"
    )]
    TooManySelections { count: u64, limit: u64 },
    /// `QUERY_TOO_DEEP`
    #[error("the document's selections nest {depth} deep; at most {limit} are allowed")]
    TooDeep { depth: usize, limit: usize },
    /// `QUERY_TOO_DEEP`
    #[error("the document's introspection nests {depth} deep; at most {limit} are allowed")]
    IntrospectionTooDeep { depth: usize, limit: usize },
}

impl ShapeError {
    /// The stable code clients match on.
    pub fn code(&self) -> &'static str {
        match self {
            ShapeError::TooManySelections { .. } => codes::TOO_MANY_SELECTIONS,
            ShapeError::TooDeep { .. } | ShapeError::IntrospectionTooDeep { .. } => codes::TOO_DEEP,
        }
    }
}

/// Checks a document's shape against `limits`.
pub fn check(document: &ExecutableDocument, limits: &ShapeLimits) -> Result<Shape, ShapeError> {
    let shape = measure(document);
    if shape.selections > limits.selections {
        return Err(ShapeError::TooManySelections {
            count: shape.selections,
            limit: limits.selections,
        });
    }
    if shape.depth > limits.depth {
        return Err(ShapeError::TooDeep {
            depth: shape.depth,
            limit: limits.depth,
        });
    }
    if shape.introspection_depth > limits.introspection_depth {
        return Err(ShapeError::IntrospectionTooDeep {
            depth: shape.introspection_depth,
            limit: limits.introspection_depth,
        });
    }
    Ok(shape)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(text: &str) -> Shape {
        measure(&async_graphql::parser::parse_query(text).unwrap())
    }

    #[test]
    fn fragments_that_spread_the_next_twice_are_counted_without_expanding_them() {
        let mut text = String::from("{ ...F0 }");
        for i in 0..60 {
            text.push_str(&format!(
                " fragment F{i} on Query {{ ...F{next} ...F{next} }}",
                next = i + 1
            ));
        }
        text.push_str(" fragment F60 on Query { a }");
        let started = std::time::Instant::now();
        let measured = shape(&text);
        assert_eq!(measured.selections, 1 << 60);
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
    }

    #[test]
    fn a_cycle_of_fragments_is_measured_without_looping() {
        let measured = shape("{ ...A } fragment A on Q { a ...B } fragment B on Q { b ...A }");
        assert!(measured.selections <= 2, "{measured:?}");
    }

    #[test]
    fn depth_counts_data_fields_through_fragments() {
        let measured = shape("{ a { ...F } } fragment F on T { b { c { d } } }");
        assert_eq!(measured.depth, 4);
        assert_eq!(measured.introspection_depth, 0);
    }

    #[test]
    fn introspection_is_measured_apart_from_data() {
        let measured = shape(
            "{ a { b } __schema { types { ...T } } } fragment T on __Type { name ofType { ofType { name } } }",
        );
        assert_eq!(measured.depth, 2);
        assert_eq!(measured.introspection_depth, 5);
    }
}
