//! Bulk exports (placeholder replaced below).
