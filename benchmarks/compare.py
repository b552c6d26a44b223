"""Compare and publish pages on the worst inputs within the limits: how long one request takes.

    .venv/bin/python benchmarks/compare.py [--repeat N]

Sets up Django against a throwaway SQLite database, makes a pack with the most sections an
import allows (40), each filled to the Markdown length limit with one of the inputs that make
a word-by-word diff quadratic (unclosed links: to the longest section still compared as
formatted text, which is rendered), publishes it, changes every section and publishes again; then
times, through Django's test client (in this process, no network):

- the compare page between the two versions, the first request (worked out) and the next
  (kept in the cache: published versions never change);
- the publish page, which compares the newest version with the draft on every request;
- publishing itself (once: the second version), which renders every section.

Wall-clock time, best of N requests. Target: every page under 1 s. Results go in
benchmarks/README.md.
"""

import argparse
import os
import shutil
import time

import throwaway  # noqa: E402 - benchmarks/ is the script's folder

WORKDIR = throwaway.set_up()
# The PDFs are not what is measured here: queue them and never run them.
os.environ["DJANGO_TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from induction.baseline import create_pack_from_baseline  # noqa: E402
from induction.comparison import FORMATTED_SECTION_CHARACTERS  # noqa: E402
from induction.importing import MAX_SECTIONS, import_draft  # noqa: E402
from induction.models import InductionPack, Membership, Trust  # noqa: E402
from induction.safe_markdown import (  # noqa: E402
    MAX_BLOCK_LINES,
    MAX_HEADINGS,
    MAX_MARKDOWN_LENGTH,
)

# Inputs that make a diff quadratic or Markdown slow, each to the length limit and within
# the Markdown limits (blocks of at most MAX_BLOCK_LINES lines).
_HALF = MAX_MARKDOWN_LENGTH // 2
_QUARTER = MAX_MARKDOWN_LENGTH // 4
# Setext headings in blocks of the longest allowed, as many as a section may have.
_SETEXT_BLOCKS = MAX_HEADINGS // (MAX_BLOCK_LINES // 2)
# Unclosed links at the longest a section may be and still be compared formatted (rendered),
# rather than as its source: before link patterns were bounded, each render took seconds.
_FORMATTED = FORMATTED_SECTION_CHARACTERS - 1
WORST_INPUTS = {
    "repeated word": ("a " * _HALF, "a " * (_HALF - 1)),
    "interleaved words": ("a b " * _QUARTER, "b a " * _QUARTER),
    "setext headings": (
        "\n\n".join(["a\n-\n" * (MAX_BLOCK_LINES // 2)] * _SETEXT_BLOCKS),
        "\n\n".join(["a\n=\n" * (MAX_BLOCK_LINES // 2)] * _SETEXT_BLOCKS),
    ),
    "unclosed brackets": (
        ("[" * 999 + "a" * _FORMATTED)[:_FORMATTED],
        ("[" * 999 + "b" + "a" * _FORMATTED)[:_FORMATTED],
    ),
}


def _pack(old_body: str, new_body: str):
    trust = Trust.objects.create(
        name="Benchmark Hospitals NHS Trust", slug="bench", ods_code="RZ7", kind="acute"
    )
    pack = create_pack_from_baseline(trust=trust)
    pack.visibility = InductionPack.Visibility.PUBLIC
    pack.save(update_fields=["visibility"])
    user = get_user_model().objects.create_user("bench-hr")
    for role in (Membership.Role.EDITOR, Membership.Role.APPROVER):
        Membership.objects.create(user=user, trust=trust, role=role)
    for number, body in enumerate((old_body, new_body), start=1):
        sections = [{"title": f"Section {n}", "body": body} for n in range(1, MAX_SECTIONS + 1)]
        import_draft(pack, {"sections": sections}, user=user)
        started = time.perf_counter()
        pack.publish(user=user, change_summary=f"Version {number}")
        # Publishing renders every section once, to freeze the version's HTML.
        publishing = time.perf_counter() - started
    # A third draft, so the publish page has something to compare with version 2.
    sections = [{"title": f"Section {n}", "body": old_body} for n in range(1, MAX_SECTIONS + 1)]
    import_draft(pack, {"sections": sections}, user=user)
    return pack, user, publishing


def _best(client, url, repeat, *, clear_cache=False):
    best = None
    for _ in range(repeat):
        if clear_cache:
            cache.clear()
        started = time.perf_counter()
        response = client.get(url, secure=True)
        elapsed = time.perf_counter() - started
        assert response.status_code == 200, (url, response.status_code)
        best = elapsed if best is None else min(best, elapsed)
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="requests per page (best is kept)")
    args = parser.parse_args()
    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("loaddata", "roles", verbosity=0)
    print(
        f"{'input':<20} {'compare (worked out)':>22} {'compare (cached)':>18} {'publish':>9} "
        f"{'publishing':>11}"
    )
    try:
        for name, (old_body, new_body) in WORST_INPUTS.items():
            pack, user, publishing = _pack(old_body, new_body)
            client = Client()
            client.force_login(user)
            compare = f"/trusts/{pack.trust.slug}/induction/compare/?from=1&to=2"
            publish = f"/trusts/{pack.trust.slug}/induction/publish/"
            worked_out = _best(client, compare, args.repeat, clear_cache=True)
            cached = _best(client, compare, args.repeat)
            publish_page = _best(client, publish, args.repeat)
            print(
                f"{name:<20} {worked_out:>20.2f} s {cached:>16.2f} s {publish_page:>7.2f} s "
                f"{publishing:>9.2f} s"
            )
            pack.trust.delete()
            user.delete()
    finally:
        shutil.rmtree(WORKDIR, ignore_errors=True)


if __name__ == "__main__":
    main()
