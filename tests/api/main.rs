//! The one integration-test binary: every test of the API, the dataset rules, the sync, the
//! HTTP layer and the schema, sharing one harness.

mod harness;

mod bad_input;
mod caching;
mod dataset_rules;
mod graphql_api;
mod http_api;
mod instances;
mod limits;
mod observability;
mod rate_limits;
mod schema_drift;
mod sync;
