//! The one integration-test binary: every test of the API, the dataset and its coverage,
//! the sync, the HTTP layer, its limits, and the schema, sharing one harness.

mod harness;

mod answers;
mod attacks;
mod bad_input;
mod browser;
mod caching;
mod conformance;
mod connections;
mod contract;
mod corrections;
mod coverage;
mod dataset_rules;
mod dates;
mod explore;
mod explorer;
mod exports;
mod graphql_api;
mod http_api;
mod instances;
mod limits;
mod living;
mod locate;
mod observability;
mod questions;
mod rate_limits;
mod schema_drift;
mod stances;
mod subscriptions;
mod sync;
