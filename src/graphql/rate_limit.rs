//! Rate limits counted in query cost, in the manner of GitHub's GraphQL API.
//!
//! Every caller — an API key, or for anonymous use the client's address — has a budget of
//! points per hour. A query costs its complexity (one point per field, times the page size
//! for lists; at least one point), known once the document validates and before anything
//! runs. A query that costs more than what remains is refused with `RATE_LIMITED` and not
//! charged; the budget refills all at once when the caller's hour is up.
//!
//! The counts live in the memory of each `nkhr serve` process: instances behind a load
//! balancer each count their own share of a caller's requests.
//!
//! The callers are kept in a least-recently-used map of at most [`MAX_CALLERS`] entries, so
//! charging a request is O(1) however many callers there are and the memory they take is
//! bounded (some 100 bytes a caller, 10 MB in all). A caller evicted for being the least
//! recently seen starts a fresh window when it comes back; to evict itself on purpose a
//! client would need as many distinct addresses (IPv6 counted by /64) as the map holds, and
//! with that many it could spread its requests over them anyway. The alternative, a
//! token-bucket crate such as `governor`, bounds rates per second rather than points per
//! hour, and its keyed store needs a periodic sweep over every caller to stay bounded —
//! the scan this design avoids.

use std::{
    net::IpAddr,
    num::NonZeroUsize,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use async_graphql::{
    Context, Object, Request, ServerError, ServerResult, SimpleObject, ValidationResult, Variables,
    extensions::{
        Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextPrepareRequest,
        NextValidation,
    },
    parser::types::ExecutableDocument,
};
use chrono::{DateTime, Utc};

use super::{
    cost::CostModel,
    error::{ApiError, ErrorCode, set_code},
};

/// Who is calling, for rate limiting.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Caller {
    /// A caller with an API key, by the key's id, with the key's own budget if it has one.
    Key {
        id: i32,
        points_per_hour: Option<u64>,
    },
    /// An anonymous caller, by address.
    Address(IpAddr),
    /// An anonymous caller whose address is unknown (in-process requests).
    Unknown,
}

impl Caller {
    /// Whether the caller presented an API key.
    pub fn is_keyed(&self) -> bool {
        matches!(self, Caller::Key { .. })
    }
}

/// The budgets callers get.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimitSettings {
    /// Whether requests are counted at all.
    pub enabled: bool,
    /// Points per window for each anonymous address.
    pub anonymous_points: u64,
    /// Points per window for an API key that has no budget of its own.
    pub key_points: u64,
    /// How long a budget lasts before it refills.
    pub window: Duration,
}

impl Default for RateLimitSettings {
    fn default() -> Self {
        Self {
            enabled: true,
            anonymous_points: 1_000_000,
            key_points: 10_000_000,
            window: Duration::from_secs(3600),
        }
    }
}

/// A caller's window: when it started, what it allows, what it has used.
#[derive(Debug, Clone, Copy)]
struct Window {
    started: Instant,
    used: u64,
}

/// What charging a request did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Charge {
    /// The caller's budget per window.
    pub limit: u64,
    /// What the request costs.
    pub cost: u64,
    /// What the caller has used in this window, this request included if it was allowed.
    pub used: u64,
    /// When the window ends and the budget refills.
    pub reset_at: DateTime<Utc>,
    /// Whether the request may run.
    pub allowed: bool,
}

impl Charge {
    /// What is left of the budget.
    pub fn remaining(&self) -> u64 {
        self.limit.saturating_sub(self.used)
    }

    /// Seconds until the budget refills, rounded up.
    pub fn reset_in_seconds(&self) -> u64 {
        let millis = (self.reset_at - Utc::now()).num_milliseconds().max(0) as u64;
        millis.div_ceil(1000)
    }
}

/// The counts of every caller in this process.
#[derive(Debug)]
pub struct RateLimiter {
    settings: RateLimitSettings,
    windows: Mutex<lru::LruCache<Caller, Window>>,
}

/// How many callers are remembered at most; the least recently seen goes first.
pub const MAX_CALLERS: usize = 100_000;

impl RateLimiter {
    /// A limiter with `settings`.
    pub fn new(settings: RateLimitSettings) -> Self {
        Self {
            settings,
            windows: Mutex::new(lru::LruCache::new(
                NonZeroUsize::new(MAX_CALLERS).unwrap_or(NonZeroUsize::MIN),
            )),
        }
    }

    /// The settings.
    pub fn settings(&self) -> &RateLimitSettings {
        &self.settings
    }

    fn limit(&self, caller: &Caller) -> u64 {
        match caller {
            Caller::Key {
                points_per_hour: Some(points),
                ..
            } => *points,
            Caller::Key { .. } => self.settings.key_points,
            Caller::Address(_) | Caller::Unknown => self.settings.anonymous_points,
        }
    }

    /// How many callers are remembered now.
    pub fn callers(&self) -> usize {
        self.windows
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .len()
    }

    /// Whether `caller` has `cost` left in its budget, without charging it.
    pub fn can_afford(&self, caller: &Caller, cost: u64) -> bool {
        let limit = self.limit(caller);
        let windows = self
            .windows
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match windows.peek(caller) {
            Some(w) if w.started.elapsed() < self.settings.window => {
                w.used.saturating_add(cost) <= limit
            }
            _ => cost <= limit,
        }
    }

    /// Charges `cost` to `caller` whatever remains: for what has already been sent.
    pub fn spend(&self, caller: &Caller, cost: u64) {
        let now = Instant::now();
        let mut windows = self
            .windows
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let entry = windows.get_or_insert_mut(caller.clone(), || Window {
            started: now,
            used: 0,
        });
        if now.duration_since(entry.started) >= self.settings.window {
            *entry = Window {
                started: now,
                used: 0,
            };
        }
        entry.used = entry.used.saturating_add(cost);
    }

    /// Charges `cost` to `caller` if the budget allows it.
    pub fn charge(&self, caller: &Caller, cost: u64) -> Charge {
        let limit = self.limit(caller);
        let now = Instant::now();
        let window = self.settings.window;
        let mut windows = self
            .windows
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let entry = windows.get_or_insert_mut(caller.clone(), || Window {
            started: now,
            used: 0,
        });
        if now.duration_since(entry.started) >= window {
            *entry = Window {
                started: now,
                used: 0,
            };
        }
        let allowed = entry.used.saturating_add(cost) <= limit;
        if allowed {
            entry.used += cost;
        }
        let left = window.saturating_sub(now.duration_since(entry.started));
        let reset_at = Utc::now() + chrono::Duration::from_std(left).unwrap_or_default();
        Charge {
            limit,
            cost,
            used: entry.used,
            reset_at,
            allowed,
        }
    }
}

/// What a request carries for rate limiting: who it is from, and where the charge is kept
/// for the HTTP layer's headers and the `rateLimit` field.
#[derive(Clone)]
pub struct RateLimitContext {
    pub caller: Caller,
    pub limiter: Arc<RateLimiter>,
    pub charge: Arc<Mutex<Option<Charge>>>,
}

impl RateLimitContext {
    /// The charge made for the request, once its document has validated.
    pub fn charge(&self) -> Option<Charge> {
        *self
            .charge
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The cost model of the schema, read once from its SDL.
static COST_MODEL: std::sync::LazyLock<CostModel> =
    std::sync::LazyLock::new(|| CostModel::from_sdl(&super::sdl()));

/// The schema extension that costs each request before it runs: it refuses a query whose cost
/// is past the node limit, and charges the caller's budget what the query costs.
pub struct RateLimits {
    /// The most a query may cost (`--max-complexity`).
    pub node_limit: u64,
}

impl ExtensionFactory for RateLimits {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(RateLimitExtension {
            node_limit: self.node_limit,
            operation: Mutex::new(None),
            cost: Mutex::new(None),
        })
    }
}

/// One request's costing: the operation it runs, and that operation's cost once parsed.
struct RateLimitExtension {
    node_limit: u64,
    operation: Mutex<Option<String>>,
    cost: Mutex<Option<u64>>,
}

fn locked<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[async_graphql::async_trait::async_trait]
impl Extension for RateLimitExtension {
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        locked(&self.operation).clone_from(&request.operation_name);
        next.run(ctx, request).await
    }

    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        let operation = locked(&self.operation).clone();
        *locked(&self.cost) = COST_MODEL.cost(&document, operation.as_deref(), variables);
        Ok(document)
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await;
        // A document that does not validate, or is past the node limit, still costs a point,
        // so that probing is not free.
        let cost = match &result {
            Ok(_) => locked(&self.cost).unwrap_or(1).max(1),
            Err(_) => 1,
        };
        let too_costly = result.is_ok() && cost > self.node_limit;
        if let Some(limits) = ctx.data_opt::<RateLimitContext>()
            && limits.limiter.settings().enabled
        {
            let charge = limits
                .limiter
                .charge(&limits.caller, if too_costly { 1 } else { cost });
            *locked(&limits.charge) = Some(charge);
            if !charge.allowed {
                let mut error = ServerError::new(
                    format!(
                        "rate limit exceeded: this query costs {} points and {} of {} remain until {}",
                        charge.cost,
                        charge.remaining(),
                        charge.limit,
                        charge.reset_at.to_rfc3339()
                    ),
                    None,
                );
                set_code(&mut error, ErrorCode::RateLimited);
                return Err(vec![error]);
            }
        }
        if too_costly {
            let mut error = ServerError::new(
                format!(
                    "this query could return {cost} nodes, past the limit of {}: ask for smaller \
                     pages with `first`, or for fewer nested lists",
                    self.node_limit
                ),
                None,
            );
            set_code(&mut error, ErrorCode::QueryTooComplex);
            return Err(vec![error]);
        }
        result
    }
}

/// Charges the caller of the request `ctx` belongs to for `points` beyond the query's cost:
/// for a large text, by its size, as it is sent.
pub fn spend(ctx: &Context<'_>, points: u64) {
    if let Some(limits) = ctx.data_opt::<RateLimitContext>()
        && limits.limiter.settings().enabled
    {
        limits.limiter.spend(&limits.caller, points);
    }
}

/// The caller's rate limit, as this request left it.
#[derive(SimpleObject)]
pub struct RateLimit {
    /// Points the caller may spend per hour.
    limit: u64,
    /// Points this request cost: what it can return at worst (one point per field, a list
    /// multiplying what its items select by the most items it holds), at least 1.
    cost: u64,
    /// Points spent in the current window, this request included.
    used: u64,
    /// Points left in the current window.
    remaining: u64,
    /// When the window ends and the budget refills, in RFC 3339.
    #[graphql(deprecation = "Use `resetTime`, a `DateTime`. Removed after 2027-06-03.")]
    reset_at: String,
    /// When the window ends and the budget refills.
    reset_time: super::types::Timestamp,
}

/// The `rateLimit` field of the query root.
#[derive(Default)]
pub struct RateLimitQuery;

#[Object]
impl RateLimitQuery {
    /// Your rate limit: what this request cost and what remains. Null when the server does
    /// not limit requests.
    async fn rate_limit(&self, ctx: &Context<'_>) -> Result<Option<RateLimit>, ApiError> {
        let Some(charge) = ctx
            .data_opt::<RateLimitContext>()
            .and_then(RateLimitContext::charge)
        else {
            return Ok(None);
        };
        Ok(Some(RateLimit {
            limit: charge.limit,
            cost: charge.cost,
            used: charge.used,
            remaining: charge.remaining(),
            reset_at: charge.reset_at.to_rfc3339(),
            reset_time: super::types::Timestamp(charge.reset_at),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_caller_spends_its_budget_and_is_refused_past_it() {
        let limiter = RateLimiter::new(RateLimitSettings {
            anonymous_points: 10,
            ..Default::default()
        });
        let caller = Caller::Unknown;
        assert!(limiter.charge(&caller, 6).allowed);
        let refused = limiter.charge(&caller, 6);
        assert!(!refused.allowed);
        assert_eq!(refused.remaining(), 4, "a refused request is not charged");
        assert!(limiter.charge(&caller, 4).allowed);
        assert_eq!(limiter.charge(&caller, 1).remaining(), 0);
    }

    #[test]
    fn callers_have_budgets_of_their_own() {
        let limiter = RateLimiter::new(RateLimitSettings {
            anonymous_points: 5,
            key_points: 50,
            ..Default::default()
        });
        let key = Caller::Key {
            id: 1,
            points_per_hour: None,
        };
        let rich = Caller::Key {
            id: 2,
            points_per_hour: Some(500),
        };
        assert!(!limiter.charge(&Caller::Unknown, 6).allowed);
        assert!(limiter.charge(&key, 6).allowed);
        assert_eq!(limiter.charge(&rich, 100).remaining(), 400);
    }

    #[test]
    fn the_callers_remembered_are_bounded() {
        let limiter = RateLimiter::new(RateLimitSettings::default());
        for i in 0..(MAX_CALLERS as u32 + 5_000) {
            limiter.charge(&Caller::Address(IpAddr::from(i.to_be_bytes())), 1);
        }
        assert_eq!(limiter.callers(), MAX_CALLERS);
    }

    #[test]
    fn the_budget_refills_when_the_window_ends() {
        let limiter = RateLimiter::new(RateLimitSettings {
            anonymous_points: 5,
            window: Duration::from_millis(20),
            ..Default::default()
        });
        assert!(limiter.charge(&Caller::Unknown, 5).allowed);
        assert!(!limiter.charge(&Caller::Unknown, 1).allowed);
        std::thread::sleep(Duration::from_millis(30));
        assert!(limiter.charge(&Caller::Unknown, 1).allowed);
    }
}
