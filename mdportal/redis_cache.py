"""Django's Redis cache, keeping one Redis client per connection pool.

Django's own client builds a new `redis.Redis` for every cache call, which sets up its table
of reply handlers each time: on a page served from the page cache that cost more than the
round trip to Redis. A `redis.Redis` is safe to share between threads (each command borrows a
connection from the pool), and a pool notices a fork and opens new connections in the child, so
one client per pool is enough.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
