//! nkhr: a GraphQL API over a source-verified claims dataset on human rights in North Korea.
//!
//! The crate is layered so that each part can be tested on its own:
//!
//! - [`domain`]: the shared vocabulary (kinds, relation types, dates with precision);
//! - [`dataset`]: the TOML files and source texts, and the rules they obey;
//! - [`cli`]: the `nkhr` command line, which wires the parts together.

pub mod citation;
pub mod cli;
pub mod dataset;
pub mod domain;
pub mod export;
pub mod graphql;
pub mod http;
pub mod server;
pub mod store;
