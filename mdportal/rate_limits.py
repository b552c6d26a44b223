"""Counting requests against a limit in a period, in Django's cache.

A fixed window per period: simple and cheap, at the cost of letting up to twice the limit
through across the boundary between two periods. The counts live in the default cache, so
every app server shares them only when that cache is shared (DJANGO_REDIS_URL); with the local
memory cache each process counts on its own.
"""

import hashlib
import time

from django.core.cache import cache


def within_limit(scope: str, identifier: str, *, limit: int, period_seconds: int) -> bool:
    """Count one more request by `identifier` (an address, an e-mail address…) in `scope`, and
    say whether it is within `limit` for the current period. The identifier is hashed, so no
    e-mail address is written to the cache."""
    window = int(time.time() // period_seconds)
    digest = hashlib.sha256(identifier.encode()).hexdigest()
    key = f"rate-limit:{scope}:{digest}:{window}"
    cache.add(key, 0, timeout=period_seconds)
    try:
        count = cache.incr(key)
    except ValueError:
        # The count expired between add() and incr(): this request starts a new one.
        cache.add(key, 1, timeout=period_seconds)
        count = 1
    return count <= limit
