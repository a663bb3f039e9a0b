//! The tables of the dataset: sources, entities, facts, claims, relations, and the links
//! between them, with the foreign keys that keep every reference resolvable and the indexes
//! the API's lookups and filters use.
//!
//! Records are keyed by their slug, as in the dataset files: the slug is the stable identity
//! the API's global IDs are built from, so it is the same on every database and every reload.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum DatasetVersion {
    Table,
    Id,
    Digest,
    LoadedAt,
    Summary,
}

#[derive(DeriveIden)]
enum Source {
    Table,
    Slug,
    Title,
    Kind,
    Language,
    Published,
    Url,
    File,
    Text,
    Sha256,
}

#[derive(DeriveIden)]
enum Entity {
    Table,
    Slug,
    Kind,
    Name,
    Description,
    ActorKind,
    Status,
    StartsOn,
    EndsOn,
    Jurisdiction,
    SourceSlug,
}

#[derive(DeriveIden)]
enum SourceActor {
    Table,
    SourceSlug,
    Role,
    Position,
    ActorSlug,
}

#[derive(DeriveIden)]
enum EntityAlias {
    Table,
    EntitySlug,
    Position,
    Alias,
}

#[derive(DeriveIden)]
enum Fact {
    Table,
    Slug,
    Statement,
}

#[derive(DeriveIden)]
enum Claim {
    Table,
    Slug,
    SourceSlug,
    Quote,
    StartOffset,
    EndOffset,
    Statement,
    Certainty,
    Kind,
    HoldsFrom,
    HoldsUntil,
    QuantityValue,
    QuantityUnit,
    FactSlug,
    Note,
}

#[derive(DeriveIden)]
enum ClaimSubject {
    Table,
    ClaimSlug,
    Position,
    EntitySlug,
}

#[derive(DeriveIden)]
enum ClaimAsserter {
    Table,
    ClaimSlug,
    Position,
    ActorSlug,
}

#[derive(DeriveIden)]
enum LawProvision {
    Table,
    LawSlug,
    Position,
    Article,
    Summary,
    EvidenceSlug,
}

#[derive(DeriveIden)]
enum LawPenalty {
    Table,
    LawSlug,
    Position,
    Penalty,
    AppliesTo,
    EvidenceSlug,
}

#[derive(DeriveIden)]
#[expect(
    clippy::enum_variant_names,
    reason = "the column is named relation_type after the domain's word"
)]
enum Relation {
    Table,
    Key,
    SubjectSlug,
    RelationType,
    ObjectSlug,
    Description,
    StartsOn,
    EndsOn,
}

#[derive(DeriveIden)]
enum RelationEvidence {
    Table,
    RelationKey,
    Position,
    ClaimSlug,
}

/// A text column that sorts by code point on every database: PostgreSQL's default collation
/// depends on the server's locale, SQLite's is binary; `C` makes them agree, so lists and
/// their cursors come out in the same order on both.
fn c(mut column: ColumnDef, backend: sea_orm::DatabaseBackend) -> ColumnDef {
    if backend == sea_orm::DatabaseBackend::Postgres {
        column.extra("COLLATE \"C\"");
    }
    column
}

/// A foreign key from `table.column` to `target.slug`-like `target_column`.
fn reference(
    table: impl IntoIden + 'static,
    column: impl IntoIden + 'static,
    target: impl IntoIden + 'static,
    target_column: impl IntoIden + 'static,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, column)
        .to(target, target_column)
        .on_delete(ForeignKeyAction::Restrict)
        .on_update(ForeignKeyAction::Restrict)
        .to_owned()
}

/// An index on `columns` of `table`, named after them.
fn index(
    name: &str,
    table: impl IntoIden + 'static,
    columns: Vec<DynIden>,
) -> IndexCreateStatement {
    let mut statement = Index::create();
    statement.name(name).table(table);
    for column in columns {
        statement.col(column);
    }
    statement.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        manager
            .create_table(
                Table::create()
                    .table(DatasetVersion::Table)
                    .col(pk_auto(DatasetVersion::Id))
                    .col(c(text(DatasetVersion::Digest), backend))
                    .col(timestamp_with_time_zone(DatasetVersion::LoadedAt))
                    .col(c(text(DatasetVersion::Summary), backend))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Source::Table)
                    .col(c(text(Source::Slug), backend).primary_key())
                    .col(c(text(Source::Title), backend))
                    .col(c(text(Source::Kind), backend))
                    .col(c(text(Source::Language), backend))
                    .col(c(text(Source::Published), backend))
                    .col(c(text_null(Source::Url), backend))
                    .col(c(text(Source::File), backend))
                    .col(c(text(Source::Text), backend))
                    .col(c(text(Source::Sha256), backend))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Entity::Table)
                    .col(c(text(Entity::Slug), backend).primary_key())
                    .col(c(text(Entity::Kind), backend))
                    .col(c(text(Entity::Name), backend))
                    .col(c(text(Entity::Description), backend))
                    .col(c(text_null(Entity::ActorKind), backend))
                    .col(c(text_null(Entity::Status), backend))
                    .col(c(text_null(Entity::StartsOn), backend))
                    .col(c(text_null(Entity::EndsOn), backend))
                    .col(c(text_null(Entity::Jurisdiction), backend))
                    .col(c(text_null(Entity::SourceSlug), backend))
                    .foreign_key(&mut reference(
                        Entity::Table,
                        Entity::Jurisdiction,
                        Entity::Table,
                        Entity::Slug,
                    ))
                    .foreign_key(&mut reference(
                        Entity::Table,
                        Entity::SourceSlug,
                        Source::Table,
                        Source::Slug,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "entity_kind_name",
                Entity::Table,
                vec![Entity::Kind.into_iden(), Entity::Name.into_iden()],
            ))
            .await?;
        manager
            .create_index(index(
                "entity_actor_kind",
                Entity::Table,
                vec![Entity::ActorKind.into_iden()],
            ))
            .await?;
        manager
            .create_index(index(
                "entity_jurisdiction",
                Entity::Table,
                vec![Entity::Jurisdiction.into_iden()],
            ))
            .await?;
        manager
            .create_index(index(
                "entity_source",
                Entity::Table,
                vec![Entity::SourceSlug.into_iden()],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(SourceActor::Table)
                    .col(c(text(SourceActor::SourceSlug), backend))
                    .col(c(text(SourceActor::Role), backend))
                    .col(integer(SourceActor::Position))
                    .col(c(text(SourceActor::ActorSlug), backend))
                    .primary_key(
                        Index::create()
                            .col(SourceActor::SourceSlug)
                            .col(SourceActor::Role)
                            .col(SourceActor::Position),
                    )
                    .foreign_key(&mut reference(
                        SourceActor::Table,
                        SourceActor::SourceSlug,
                        Source::Table,
                        Source::Slug,
                    ))
                    .foreign_key(&mut reference(
                        SourceActor::Table,
                        SourceActor::ActorSlug,
                        Entity::Table,
                        Entity::Slug,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "source_actor_actor",
                SourceActor::Table,
                vec![SourceActor::ActorSlug.into_iden()],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(EntityAlias::Table)
                    .col(c(text(EntityAlias::EntitySlug), backend))
                    .col(integer(EntityAlias::Position))
                    .col(c(text(EntityAlias::Alias), backend))
                    .primary_key(
                        Index::create()
                            .col(EntityAlias::EntitySlug)
                            .col(EntityAlias::Position),
                    )
                    .foreign_key(&mut reference(
                        EntityAlias::Table,
                        EntityAlias::EntitySlug,
                        Entity::Table,
                        Entity::Slug,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Fact::Table)
                    .col(c(text(Fact::Slug), backend).primary_key())
                    .col(c(text(Fact::Statement), backend))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Claim::Table)
                    .col(c(text(Claim::Slug), backend).primary_key())
                    .col(c(text(Claim::SourceSlug), backend))
                    .col(c(text(Claim::Quote), backend))
                    .col(integer(Claim::StartOffset))
                    .col(integer(Claim::EndOffset))
                    .col(c(text(Claim::Statement), backend))
                    .col(c(text(Claim::Certainty), backend))
                    .col(c(text(Claim::Kind), backend))
                    .col(c(text_null(Claim::HoldsFrom), backend))
                    .col(c(text_null(Claim::HoldsUntil), backend))
                    .col(double_null(Claim::QuantityValue))
                    .col(c(text_null(Claim::QuantityUnit), backend))
                    .col(c(text_null(Claim::FactSlug), backend))
                    .col(c(text_null(Claim::Note), backend))
                    .foreign_key(&mut reference(
                        Claim::Table,
                        Claim::SourceSlug,
                        Source::Table,
                        Source::Slug,
                    ))
                    .foreign_key(&mut reference(
                        Claim::Table,
                        Claim::FactSlug,
                        Fact::Table,
                        Fact::Slug,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "claim_source_offset",
                Claim::Table,
                vec![
                    Claim::SourceSlug.into_iden(),
                    Claim::StartOffset.into_iden(),
                ],
            ))
            .await?;
        manager
            .create_index(index(
                "claim_fact",
                Claim::Table,
                vec![Claim::FactSlug.into_iden()],
            ))
            .await?;
        manager
            .create_index(index(
                "claim_holds_from",
                Claim::Table,
                vec![Claim::HoldsFrom.into_iden()],
            ))
            .await?;
        manager
            .create_index(index(
                "claim_certainty",
                Claim::Table,
                vec![Claim::Certainty.into_iden()],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ClaimSubject::Table)
                    .col(c(text(ClaimSubject::ClaimSlug), backend))
                    .col(integer(ClaimSubject::Position))
                    .col(c(text(ClaimSubject::EntitySlug), backend))
                    .primary_key(
                        Index::create()
                            .col(ClaimSubject::ClaimSlug)
                            .col(ClaimSubject::Position),
                    )
                    .foreign_key(&mut reference(
                        ClaimSubject::Table,
                        ClaimSubject::ClaimSlug,
                        Claim::Table,
                        Claim::Slug,
                    ))
                    .foreign_key(&mut reference(
                        ClaimSubject::Table,
                        ClaimSubject::EntitySlug,
                        Entity::Table,
                        Entity::Slug,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "claim_subject_entity",
                ClaimSubject::Table,
                vec![ClaimSubject::EntitySlug.into_iden()],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ClaimAsserter::Table)
                    .col(c(text(ClaimAsserter::ClaimSlug), backend))
                    .col(integer(ClaimAsserter::Position))
                    .col(c(text(ClaimAsserter::ActorSlug), backend))
                    .primary_key(
                        Index::create()
                            .col(ClaimAsserter::ClaimSlug)
                            .col(ClaimAsserter::Position),
                    )
                    .foreign_key(&mut reference(
                        ClaimAsserter::Table,
                        ClaimAsserter::ClaimSlug,
                        Claim::Table,
                        Claim::Slug,
                    ))
                    .foreign_key(&mut reference(
                        ClaimAsserter::Table,
                        ClaimAsserter::ActorSlug,
                        Entity::Table,
                        Entity::Slug,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "claim_asserter_actor",
                ClaimAsserter::Table,
                vec![ClaimAsserter::ActorSlug.into_iden()],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(LawProvision::Table)
                    .col(c(text(LawProvision::LawSlug), backend))
                    .col(integer(LawProvision::Position))
                    .col(c(text_null(LawProvision::Article), backend))
                    .col(c(text(LawProvision::Summary), backend))
                    .col(c(text(LawProvision::EvidenceSlug), backend))
                    .primary_key(
                        Index::create()
                            .col(LawProvision::LawSlug)
                            .col(LawProvision::Position),
                    )
                    .foreign_key(&mut reference(
                        LawProvision::Table,
                        LawProvision::LawSlug,
                        Entity::Table,
                        Entity::Slug,
                    ))
                    .foreign_key(&mut reference(
                        LawProvision::Table,
                        LawProvision::EvidenceSlug,
                        Claim::Table,
                        Claim::Slug,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "law_provision_evidence",
                LawProvision::Table,
                vec![LawProvision::EvidenceSlug.into_iden()],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(LawPenalty::Table)
                    .col(c(text(LawPenalty::LawSlug), backend))
                    .col(integer(LawPenalty::Position))
                    .col(c(text(LawPenalty::Penalty), backend))
                    .col(c(text(LawPenalty::AppliesTo), backend))
                    .col(c(text(LawPenalty::EvidenceSlug), backend))
                    .primary_key(
                        Index::create()
                            .col(LawPenalty::LawSlug)
                            .col(LawPenalty::Position),
                    )
                    .foreign_key(&mut reference(
                        LawPenalty::Table,
                        LawPenalty::LawSlug,
                        Entity::Table,
                        Entity::Slug,
                    ))
                    .foreign_key(&mut reference(
                        LawPenalty::Table,
                        LawPenalty::EvidenceSlug,
                        Claim::Table,
                        Claim::Slug,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "law_penalty_evidence",
                LawPenalty::Table,
                vec![LawPenalty::EvidenceSlug.into_iden()],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Relation::Table)
                    .col(c(text(Relation::Key), backend).primary_key())
                    .col(c(text(Relation::SubjectSlug), backend))
                    .col(c(text(Relation::RelationType), backend))
                    .col(c(text(Relation::ObjectSlug), backend))
                    .col(c(text_null(Relation::Description), backend))
                    .col(c(text_null(Relation::StartsOn), backend))
                    .col(c(text_null(Relation::EndsOn), backend))
                    .foreign_key(&mut reference(
                        Relation::Table,
                        Relation::SubjectSlug,
                        Entity::Table,
                        Entity::Slug,
                    ))
                    .foreign_key(&mut reference(
                        Relation::Table,
                        Relation::ObjectSlug,
                        Entity::Table,
                        Entity::Slug,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "relation_subject_type",
                Relation::Table,
                vec![
                    Relation::SubjectSlug.into_iden(),
                    Relation::RelationType.into_iden(),
                ],
            ))
            .await?;
        manager
            .create_index(index(
                "relation_object_type",
                Relation::Table,
                vec![
                    Relation::ObjectSlug.into_iden(),
                    Relation::RelationType.into_iden(),
                ],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(RelationEvidence::Table)
                    .col(c(text(RelationEvidence::RelationKey), backend))
                    .col(integer(RelationEvidence::Position))
                    .col(c(text(RelationEvidence::ClaimSlug), backend))
                    .primary_key(
                        Index::create()
                            .col(RelationEvidence::RelationKey)
                            .col(RelationEvidence::Position),
                    )
                    .foreign_key(&mut reference(
                        RelationEvidence::Table,
                        RelationEvidence::RelationKey,
                        Relation::Table,
                        Relation::Key,
                    ))
                    .foreign_key(&mut reference(
                        RelationEvidence::Table,
                        RelationEvidence::ClaimSlug,
                        Claim::Table,
                        Claim::Slug,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "relation_evidence_claim",
                RelationEvidence::Table,
                vec![RelationEvidence::ClaimSlug.into_iden()],
            ))
            .await?;

        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let tables: Vec<DynIden> = vec![
            RelationEvidence::Table.into_iden(),
            Relation::Table.into_iden(),
            LawPenalty::Table.into_iden(),
            LawProvision::Table.into_iden(),
            ClaimAsserter::Table.into_iden(),
            ClaimSubject::Table.into_iden(),
            Claim::Table.into_iden(),
            Fact::Table.into_iden(),
            EntityAlias::Table.into_iden(),
            SourceActor::Table.into_iden(),
            Entity::Table.into_iden(),
            Source::Table.into_iden(),
            DatasetVersion::Table.into_iden(),
        ];
        for table in tables {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
