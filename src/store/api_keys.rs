//! API keys: issuing, looking up and revoking them.
//!
//! A key is shown once, when it is issued; the database keeps only its SHA-256, and a
//! request's key is recognized by hashing it again.

use anyhow::Context;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
};
use sha2::{Digest, Sha256};

use super::entities::api_key;

/// The prefix every key starts with, so that a key is recognizable in a leaked log or file.
pub const KEY_PREFIX: &str = "nkhr_";

/// The SHA-256 of a key, in hex: what the database stores.
pub fn hash(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

/// A newly issued key, with the secret that is shown only this once.
#[derive(Debug, Clone)]
pub struct IssuedKey {
    pub id: i32,
    pub name: String,
    pub secret: String,
}

/// Issues a key named `name`, with its own hourly budget or the default one.
pub async fn issue(
    db: &impl ConnectionTrait,
    name: &str,
    points_per_hour: Option<i64>,
) -> anyhow::Result<IssuedKey> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|error| anyhow::anyhow!("drawing random bytes for the key: {error}"))?;
    let secret = format!("{KEY_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes));
    let row = api_key::ActiveModel {
        id: NotSet,
        name: Set(name.to_owned()),
        key_hash: Set(hash(&secret)),
        points_per_hour: Set(points_per_hour),
        created_at: Set(chrono::Utc::now()),
        revoked_at: Set(None),
    };
    let inserted = api_key::Entity::insert(row)
        .exec(db)
        .await
        .context("storing the new API key")?;
    Ok(IssuedKey {
        id: inserted.last_insert_id,
        name: name.to_owned(),
        secret,
    })
}

/// The key a request presented, if it is one we issued and have not revoked.
pub async fn find_active(
    db: &impl ConnectionTrait,
    secret: &str,
) -> Result<Option<api_key::Model>, DbErr> {
    api_key::Entity::find()
        .filter(api_key::Column::KeyHash.eq(hash(secret)))
        .filter(api_key::Column::RevokedAt.is_null())
        .one(db)
        .await
}

/// Every key, oldest first.
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<api_key::Model>, DbErr> {
    api_key::Entity::find()
        .order_by_asc(api_key::Column::Id)
        .all(db)
        .await
}

/// Revokes the key with `id`; returns whether there was an active key to revoke.
pub async fn revoke(db: &impl ConnectionTrait, id: i32) -> Result<bool, DbErr> {
    let result = api_key::Entity::update_many()
        .col_expr(
            api_key::Column::RevokedAt,
            sea_orm::sea_query::Expr::value(chrono::Utc::now()),
        )
        .filter(api_key::Column::Id.eq(id))
        .filter(api_key::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected > 0)
}
