//! The entities: actors, laws, measures, events and recommendations, and the `Entity`
//! interface over them.
//!
//! Every kind shares the same core fields — name, aliases, description, relations in both
//! directions, the claims about it — written once in `entity_object!` and listed once in the
//! `Entity` interface; each kind adds its own fields.

use async_graphql::{Context, Enum, ID, Interface, Object};

use super::{Claim, DateValue, Relation, Source, loaders};
use crate::{
    domain::{ActorKind, DescriptionBasis, EntityKind, MeasureStatus, PenaltyKind, RelationType},
    graphql::{
        args::first_of,
        error::ApiError,
        ids,
        loaders::{
            AliasesOf, ClaimBySlug, ClaimsAbout, EntityBySlug, PenaltiesOf, ProvisionsOf,
            RelationsOf, SourceBySlug, SourcesBy,
        },
    },
    store::{
        entities::{entity, law_penalty, law_provision},
        queries::{End, RelationsAt},
    },
};

/// Which of an entity's relations to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum RelationDirection {
    /// Relations where this entity is the subject: "this entity TYPE other".
    Outgoing,
    /// Relations where this entity is the object: "other TYPE this entity".
    Incoming,
    /// Both.
    Both,
}

/// Any entity: an actor, a law, a measure, an event or a recommendation.
#[derive(Interface)]
#[expect(
    clippy::duplicated_attributes,
    reason = "each interface field names its type with `ty`"
)]
#[graphql(
    field(
        name = "id",
        ty = "ID",
        desc = "The global ID: opaque, and the same across reloads and databases."
    ),
    field(
        name = "slug",
        ty = "&str",
        desc = "The stable, human-readable identifier, as used in the dataset files."
    ),
    field(
        name = "kind",
        ty = "EntityKind",
        desc = "Which kind of entity this is."
    ),
    field(name = "name", ty = "&str", desc = "The name, as the sources give it."),
    field(
        name = "aliases",
        ty = "Vec<String>",
        desc = "Other names the sources use for it.",
        arg(
            name = "first",
            ty = "i32",
            default = 20,
            desc = "How many (at most 100; 20 by default)."
        )
    ),
    field(
        name = "description",
        ty = "&str",
        desc = "What it is, in a sentence or two."
    ),
    field(
        name = "description_basis",
        ty = "DescriptionBasis",
        desc = "What the description rests on: the claims about the entity (`CLAIMS`), or the editors (`EDITORIAL`: context no claim gives, naming no source). Quote only a description that rests on claims, and cite those claims."
    ),
    field(
        name = "relations",
        ty = "Vec<Relation>",
        desc = "Its relations to other entities, each backed by evidence claims.",
        arg(
            name = "direction",
            ty = "RelationDirection",
            default_with = "RelationDirection::Both",
            desc = "Outgoing, incoming or both."
        ),
        arg(
            name = "types",
            ty = "Option<Vec<RelationType>>",
            desc = "Only relations of these types."
        ),
        arg(
            name = "first",
            ty = "i32",
            default = 50,
            desc = "How many (at most 100; 50 by default). The root `relations` connection pages through any number."
        )
    ),
    field(
        name = "claims",
        ty = "Vec<Claim>",
        desc = "The claims about it, in source order.",
        arg(
            name = "first",
            ty = "i32",
            default = 100,
            desc = "How many (at most 100; 100 by default). The root `claims` connection pages through any number."
        )
    )
)]
pub enum Entity {
    Actor(Actor),
    Law(Law),
    Measure(Measure),
    Event(Event),
    Recommendation(Recommendation),
}

impl Entity {
    /// Wraps a stored entity in the type of its kind.
    pub fn from_model(model: entity::Model) -> Self {
        match model.kind {
            EntityKind::Actor => Entity::Actor(Actor(model)),
            EntityKind::Law => Entity::Law(Law(model)),
            EntityKind::Measure => Entity::Measure(Measure(model)),
            EntityKind::Event => Entity::Event(Event(model)),
            EntityKind::Recommendation => Entity::Recommendation(Recommendation(model)),
        }
    }

    /// The entities with these slugs, in the same order, skipping any that do not exist.
    pub async fn load_many(ctx: &Context<'_>, slugs: &[String]) -> Result<Vec<Entity>, ApiError> {
        let found = loaders(ctx)?
            .load_many(slugs.iter().cloned().map(EntityBySlug))
            .await?;
        Ok(slugs
            .iter()
            .filter_map(|slug| found.get(&EntityBySlug(slug.clone())).cloned())
            .map(Entity::from_model)
            .collect())
    }

    /// The entity with this slug, which must exist.
    pub async fn load(ctx: &Context<'_>, slug: &str) -> Result<Entity, ApiError> {
        loaders(ctx)?
            .load_one(EntityBySlug(slug.to_owned()))
            .await?
            .map(Entity::from_model)
            .ok_or_else(|| ApiError::Internal(format!("entity {slug} is referred to but missing")))
    }
}

async fn relations_of(
    ctx: &Context<'_>,
    slug: &str,
    direction: RelationDirection,
    types: Option<Vec<RelationType>>,
) -> Result<Vec<Relation>, ApiError> {
    let mut types = types.unwrap_or_default();
    types.sort();
    types.dedup();
    let at = RelationsAt {
        end: match direction {
            RelationDirection::Outgoing => Some(End::Subject),
            RelationDirection::Incoming => Some(End::Object),
            RelationDirection::Both => None,
        },
        types,
        // The evidence is read with the relations when the request reads it: in the same
        // statement instead of three more.
        evidence: ctx.look_ahead().field("evidence").exists(),
    };
    let relations = loaders(ctx)?
        .load_one(RelationsOf {
            at,
            slug: slug.to_owned(),
        })
        .await?
        .unwrap_or_default();
    Ok(relations.into_iter().map(Relation::from).collect())
}

async fn aliases_of(ctx: &Context<'_>, slug: &str) -> Result<Vec<String>, ApiError> {
    Ok(loaders(ctx)?
        .load_one(AliasesOf(slug.to_owned()))
        .await?
        .unwrap_or_default())
}

async fn claims_about(ctx: &Context<'_>, slug: &str) -> Result<Vec<Claim>, ApiError> {
    let claims = loaders(ctx)?
        .load_one(ClaimsAbout(slug.to_owned()))
        .await?
        .unwrap_or_default();
    Ok(claims.into_iter().map(Claim::new).collect())
}

/// Defines an entity type: the fields every entity has, then the kind's own.
macro_rules! entity_object {
    ($(#[doc = $doc:literal])+ $name:ident { $($extra:tt)* }) => {
        $(#[doc = $doc])+
        #[derive(Debug, Clone)]
        pub struct $name(pub entity::Model);

        $(#[doc = $doc])+
        #[Object]
        impl $name {
            /// The global ID: opaque, and the same across reloads and databases.
            pub async fn id(&self) -> Result<ID, ApiError> {
                Ok(ids::of(&self.0.id))
            }

            /// The number of the record's latest revision: 1 when it was first imported, raised by
            /// each change.
            async fn revision(&self, ctx: &Context<'_>) -> Result<i32, ApiError> {
                crate::graphql::history::revision_number(ctx, &self.0.id).await
            }

            /// The record's history: every change to it, oldest first, with when, who, why and
            /// what changed.
            async fn revisions(
                &self,
                ctx: &Context<'_>,
                #[graphql(desc = "How many revisions (at most 100; 20 by default).")] first: Option<i32>,
                #[graphql(desc = "The `endCursor` of the last page read.")] after: Option<String>,
            ) -> Result<crate::graphql::connection::Connection<crate::graphql::history::Revision>, ApiError> {
                crate::graphql::history::revisions(ctx, &self.0.id, first, after).await
            }

            /// The slugs the record had before its current one; each still finds it in a `slug:`
            /// lookup.
            async fn former_slugs(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20, desc = "How many (at most 100; 20 by default).")] first: i32,
    ) -> Result<Vec<String>, ApiError> {
                crate::graphql::history::former_slugs(ctx, &self.0.id, first).await
            }

            /// When and why the record was retracted from the dataset; null while it is in it.
            async fn retraction(
                &self,
                ctx: &Context<'_>,
            ) -> Result<Option<crate::graphql::history::Retraction>, ApiError> {
                crate::graphql::history::retraction(ctx, &self.0.id).await
            }

            /// The stable, human-readable identifier, as used in the dataset files.
            pub async fn slug(&self) -> Result<&str, ApiError> {
                Ok(&self.0.slug)
            }

            /// Which kind of entity this is.
            pub async fn kind(&self) -> Result<EntityKind, ApiError> {
                Ok(self.0.kind)
            }

            /// The name, as the sources give it.
            pub async fn name(&self) -> Result<&str, ApiError> {
                Ok(&self.0.name)
            }

            /// Other names the sources use for it.
            pub async fn aliases(
                &self,
                ctx: &Context<'_>,
                #[graphql(default = 20, desc = "How many (at most 100; 20 by default).")] first: i32,
            ) -> Result<Vec<String>, ApiError> {
                first_of(aliases_of(ctx, &self.0.slug).await?, first, "aliases")
            }

            /// What it is, in a sentence or two.
            pub async fn description(&self) -> Result<&str, ApiError> {
                Ok(&self.0.description)
            }

            /// What the description rests on: the claims about the entity (`CLAIMS`), or the
            /// editors (`EDITORIAL`: context no claim gives, naming no source). Quote only a
            /// description that rests on claims, and cite those claims.
            pub async fn description_basis(&self) -> Result<DescriptionBasis, ApiError> {
                Ok(self.0.description_basis)
            }

            /// Its relations to other entities, each backed by evidence claims with their
            /// quotes and sources.
            pub async fn relations(
                &self,
                ctx: &Context<'_>,
                #[graphql(default_with = "RelationDirection::Both", desc = "Outgoing, incoming or both.")]
                direction: RelationDirection,
                #[graphql(desc = "Only relations of these types.")] types: Option<Vec<RelationType>>,
                #[graphql(
                    default = 50,
                    desc = "How many (at most 100; 50 by default). The root `relations` connection pages through any number."
                )]
                first: i32,
            ) -> Result<Vec<Relation>, ApiError> {
                first_of(relations_of(ctx, &self.0.slug, direction, types).await?, first, "relations")
            }

            /// The claims about it, in source order.
            pub async fn claims(
                &self,
                ctx: &Context<'_>,
                #[graphql(
                    default = 100,
                    desc = "How many (at most 100; 100 by default). The root `claims` connection pages through any number."
                )]
                first: i32,
            ) -> Result<Vec<Claim>, ApiError> {
                first_of(claims_about(ctx, &self.0.slug).await?, first, "claims")
            }

            $($extra)*
        }
    };
}

entity_object! {
    /// Someone who acts or is acted upon: a state, a government or one of its bodies, a
    /// legislature, a UN body, an NGO, a university, a person, a group of people.
    Actor {
        /// What sort of actor this is.
        async fn actor_kind(&self) -> Result<ActorKind, ApiError> {
            self.0.actor_kind.ok_or_else(|| ApiError::Internal(format!("actor {} has no kind", self.0.slug)))
        }

        /// The sources this actor wrote.
        async fn authored(
            &self,
            ctx: &Context<'_>,
            #[graphql(default = 50, desc = "How many (at most 100; 50 by default).")] first: i32,
        ) -> Result<Vec<Source>, ApiError> {
            let sources = loaders(ctx)?.load_one(SourcesBy(self.0.slug.clone())).await?.unwrap_or_default();
            first_of(sources.into_iter().map(Source::from).collect(), first, "authored")
        }
    }
}

entity_object! {
    /// A law or other legal instrument, with its provisions and penalties.
    Law {
        /// The state whose law it is.
        async fn jurisdiction(&self, ctx: &Context<'_>) -> Result<Option<Actor>, ApiError> {
            let Some(slug) = &self.0.jurisdiction else { return Ok(None) };
            Ok(loaders(ctx)?.load_one(EntityBySlug(slug.clone())).await?.map(Actor))
        }

        /// When it was enacted, as precisely as the sources say.
        async fn enacted(&self) -> Option<DateValue> {
            DateValue::parse(self.0.starts_on.as_deref())
        }

        /// What its provisions do, article by article where the sources give numbers.
        async fn provisions(
            &self,
            ctx: &Context<'_>,
            #[graphql(default = 50, desc = "How many (at most 100; 50 by default).")] first: i32,
        ) -> Result<Vec<Provision>, ApiError> {
            let rows = loaders(ctx)?.load_one(ProvisionsOf(self.0.slug.clone())).await?.unwrap_or_default();
            first_of(rows.into_iter().map(Provision).collect(), first, "provisions")
        }

        /// The penalties it provides for.
        async fn penalties(
            &self,
            ctx: &Context<'_>,
            #[graphql(default = 50, desc = "How many (at most 100; 50 by default).")] first: i32,
        ) -> Result<Vec<Penalty>, ApiError> {
            let rows = loaders(ctx)?.load_one(PenaltiesOf(self.0.slug.clone())).await?.unwrap_or_default();
            first_of(rows.into_iter().map(Penalty).collect(), first, "penalties")
        }

        /// Whether the sources say it provides for the death penalty.
        async fn death_penalty(&self, ctx: &Context<'_>) -> Result<bool, ApiError> {
            let rows = loaders(ctx)?.load_one(PenaltiesOf(self.0.slug.clone())).await?.unwrap_or_default();
            Ok(rows.iter().any(|penalty| penalty.penalty == PenaltyKind::Death))
        }
    }
}

entity_object! {
    /// A policy action that one actor imposes and others feel: a border closure, a buffer
    /// zone, a grant freeze. Who imposed it and whom it affected are relations
    /// (`IMPOSED_BY`, `AFFECTS`).
    Measure {
        /// Whether it was in force when its sources were written.
        async fn status(&self) -> Result<MeasureStatus, ApiError> {
            self.0.status.ok_or_else(|| ApiError::Internal(format!("measure {} has no status", self.0.slug)))
        }

        /// When it started, as precisely as the sources say.
        async fn start(&self) -> Option<DateValue> {
            DateValue::parse(self.0.starts_on.as_deref())
        }

        /// When it ended, if it did.
        async fn end(&self) -> Option<DateValue> {
            DateValue::parse(self.0.ends_on.as_deref())
        }

        /// A date the sources say it was still in force, its end unknown ("closed again at
        /// the time of writing"), or null. Never set beside `end`. A date-range filter reads
        /// the measure as known to hold from `start` to this date.
        async fn as_of(&self) -> Option<DateValue> {
            DateValue::parse(self.0.as_of.as_deref())
        }
    }
}

entity_object! {
    /// Something that happened at a time: a summit, a publication, an admission, a heist.
    Event {
        /// When it happened, or started, as precisely as the sources say.
        async fn start(&self) -> Option<DateValue> {
            DateValue::parse(self.0.starts_on.as_deref())
        }

        /// When it ended, for events that lasted.
        async fn end(&self) -> Option<DateValue> {
            DateValue::parse(self.0.ends_on.as_deref())
        }

        /// A date the sources say it was still going on, its end unknown, or null. Never set
        /// beside `end`. A date-range filter reads the event as known to last from `start`
        /// to this date.
        async fn as_of(&self) -> Option<DateValue> {
            DateValue::parse(self.0.as_of.as_deref())
        }
    }
}

entity_object! {
    /// A policy recommendation. Its author and addressees are relations (`AUTHORED_BY`,
    /// `ADDRESSED_TO`); its wording is in the claims about it.
    Recommendation {
        /// The source that makes the recommendation.
        async fn source(&self, ctx: &Context<'_>) -> Result<Source, ApiError> {
            let slug = self.0.source_slug.clone().unwrap_or_default();
            loaders(ctx)?
                .load_one(SourceBySlug(slug.clone()))
                .await?
                .map(Source::new)
                .ok_or_else(|| ApiError::Internal(format!("recommendation {} has no source {slug}", self.0.slug)))
        }
    }
}

/// One provision of a law, as a source describes it.
pub struct Provision(pub law_provision::Model);

/// One provision of a law, as a source describes it.
#[Object]
impl Provision {
    /// The article number, where the source gives one.
    async fn article(&self) -> Option<&str> {
        self.0.article.as_deref()
    }

    /// What the provision does, in our words.
    async fn summary(&self) -> &str {
        &self.0.summary
    }

    /// The claim that describes the provision, with its quote and source.
    async fn evidence(&self, ctx: &Context<'_>) -> Result<Claim, ApiError> {
        load_claim(ctx, &self.0.evidence_slug).await
    }
}

/// A penalty a law provides for, as a source describes it.
pub struct Penalty(pub law_penalty::Model);

/// A penalty a law provides for, as a source describes it.
#[Object]
impl Penalty {
    /// The penalty.
    async fn kind(&self) -> PenaltyKind {
        self.0.penalty
    }

    /// For what it is imposed, in our words.
    async fn applies_to(&self) -> &str {
        &self.0.applies_to
    }

    /// The claim that describes the penalty, with its quote and source.
    async fn evidence(&self, ctx: &Context<'_>) -> Result<Claim, ApiError> {
        load_claim(ctx, &self.0.evidence_slug).await
    }
}

async fn load_claim(ctx: &Context<'_>, slug: &str) -> Result<Claim, ApiError> {
    loaders(ctx)?
        .load_one(ClaimBySlug(slug.to_owned()))
        .await?
        .map(Claim::new)
        .ok_or_else(|| ApiError::Internal(format!("claim {slug} is referred to but missing")))
}
