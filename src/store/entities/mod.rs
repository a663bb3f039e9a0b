//! sea-orm entities: one module per table, mirroring the migrations.
//!
//! These are the table shapes, not the public schema: GraphQL types in [`crate::graphql`]
//! wrap these models and decide what a client sees. Relations between tables are not
//! declared here; the API resolves them through batched loaders in [`crate::store::queries`].

pub mod api_key;
pub mod claim;
pub mod claim_asserter;
pub mod claim_subject;
pub mod dataset_version;
pub mod entity;
pub mod entity_alias;
pub mod fact;
pub mod former_slug;
pub mod law_penalty;
pub mod law_provision;
pub mod record;
pub mod relation;
pub mod relation_evidence;
pub mod revision;
pub mod source;
pub mod source_actor;
