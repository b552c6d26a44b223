"""The Redis cache keeps one client per connection pool and works as Django's does, against the
Redis server CI runs (database 13 of 127.0.0.1:6379, emptied before and after)."""

import os

import pytest
import redis as redis_library

from mdportal.redis_cache import RedisCache

URL = os.environ.get("MDPORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


@pytest.fixture
def cache():
    try:
        redis_library.Redis.from_url(URL).ping()
    except redis_library.ConnectionError:
        if os.environ.get("MDPORTAL_REQUIRE_BROWSER"):  # set by CI, where Redis runs
            raise
        pytest.skip(f"No Redis at {URL}")
    cache = RedisCache(URL, {})
    cache.clear()
    yield cache
    cache.clear()


def test_the_client_is_made_once_per_pool_and_reused(cache):
    client = cache._cache.get_client("a")
    assert cache._cache.get_client("b") is client
    assert cache._cache.get_client("c", write=True) is client


def test_values_round_trip_as_with_django_s_own_client(cache):
    cache.set("page", (["header"], b"body"), 60)
    assert cache.get("page") == (["header"], b"body")
    assert cache.add("page", "other") is False
    assert cache.get_many(["page", "missing"]) == {"page": (["header"], b"body")}
    cache.delete("page")
    assert cache.get("page") is None


def test_a_forked_worker_opens_its_own_connection(cache):
    cache.set("generation", "one", None)
    assert cache.get("generation") == "one"
    pid = os.fork()
    if pid == 0:  # gunicorn's workers are forks like this one
        try:
            cache.set("generation", "two", None)
            os._exit(0 if cache.get("generation") == "two" else 1)
        except BaseException:
            os._exit(2)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert cache.get("generation") == "two"
