//! The one integration-test binary: every test of the API, the dataset rules, the sync, the
//! HTTP layer and the schema, sharing one harness.

mod harness;

mod browser;
mod dataset_rules;
mod explore;
mod graphql_api;
mod http_api;
mod schema_drift;
mod sync;
