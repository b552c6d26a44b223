"""Public pages served from a cache that can never be stale, and how every page may be cached."""
