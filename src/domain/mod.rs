//! The words the whole crate shares: the fixed vocabularies of the dataset and the
//! date type that keeps its precision. Nothing here touches files, the database or HTTP.

mod date;
mod vocabulary;

pub use date::{APPROXIMATE_SPREAD, InvalidDate, PartialDate, Precision, Qualifier};
pub use vocabulary::{
    ActorKind, Certainty, ClaimKind, DescriptionBasis, EntityKind, FactStance, MeasureStatus,
    PenaltyKind, RelationBasis, RelationType, SourceKind,
};
