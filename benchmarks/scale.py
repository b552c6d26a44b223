"""Latency and queries per page kind with many trusts, against the two-trust demo.

    .venv/bin/python benchmarks/scale.py [--trusts 250] [--versions 20] [--members 10]
                                         [--repeat 5]

Sets up Django against a throwaway SQLite database and measures the demo (`load_demo`: two
trusts) first. It then adds `--trusts` trusts, each with a pack made from the national
baseline, published `--versions` times through the real publish path (a section edited
between publications) and `--members` members (an editor-approver, readers, the rest
approvers), and measures again. Each page is read through Django's test client in this
process, as an anonymous visitor or signed in as the demo's editor: the best of `--repeat`
requests, and the number of queries of one. PDFs are queued and never rendered (they are
measured by benchmarks/pdf.py). The full default run publishes 5,000 versions and takes a
while; smaller numbers show the trend sooner.
"""

import argparse
import io
import os
import shutil
import time
import warnings

import throwaway  # noqa: E402 - benchmarks/ is the script's folder

WORKDIR = throwaway.set_up()
os.environ["DJANGO_TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
os.environ["DJANGO_DEMO_DATA"] = "1"
# The test client speaks plain HTTP: production's HTTPS redirect would answer every page 301.
os.environ["DJANGO_HTTPS"] = "0"

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from induction import services  # noqa: E402
from induction.baseline import create_pack_from_baseline  # noqa: E402
from induction.models import InductionPack, Membership, Section, Trust  # noqa: E402
from roles.models import Role  # noqa: E402

DEMO_EDITOR = "northshire-hr"
BASE36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# (page kind, path, signed in as the demo editor?)
PAGES = [
    ("home", "/", False),
    ("home, signed in", "/", True),
    ("trust list", "/trusts/", False),
    ("trust list, page 2", "/trusts/?page=2", False),
    ("trust list, a search", "/trusts/?q=northshire", False),
    ("role explainer", "/roles/medical-director/", False),
    ("pack, first page", "/trusts/northshire/induction/", False),
    ("pack, whole", "/trusts/northshire/induction/whole-pack/", False),
    ("pack history", "/trusts/northshire/induction/history/", True),
    ("pack editor", "/trusts/northshire/induction/edit/", True),
    ("publish page (GET)", "/trusts/northshire/induction/publish/", True),
    ("search", "/search/?q=revalidation", False),
]


class QueryCounter:
    """Counts the queries run while it wraps the connection (whatever DEBUG says)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def measure(repeat: int) -> dict[str, tuple[float, int]]:
    """{page kind: (best milliseconds, queries)}."""
    anonymous, editor = Client(), Client()
    editor.force_login(get_user_model().objects.get(username=DEMO_EDITOR))
    results = {}
    for kind, path, signed_in in PAGES:
        client = editor if signed_in else anonymous
        queries = QueryCounter()
        with connection.execute_wrapper(queries):
            response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}: not measured.")
        best = float("inf")
        for _ in range(repeat):
            start = time.perf_counter()
            client.get(path)
            best = min(best, time.perf_counter() - start)
        results[kind] = (best * 1000, queries.count)
    return results


def add_trusts(count: int, versions: int, members: int) -> None:
    role = Role.objects.get(slug="medical-director")
    # The throwaway database need not reach the disk after every commit (each publication is a
    # transaction of its own, as in production).
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous = OFF")
    for number in range(count):
        add_trust(number, role, versions, members)
        print(f"  {number + 1} of {count} trusts", end="\r", flush=True)
    print()


def add_trust(number: int, role, versions: int, members: int) -> None:
    users = get_user_model().objects
    trust = Trust.objects.create(
        name=f"Scale {number:03d} Hospitals NHS Trust",
        slug=f"scale-{number:03d}",
        ods_code=f"T{BASE36[number // 36]}{BASE36[number % 36]}",
        kind=Trust.Kind.ACUTE,
    )
    pack = create_pack_from_baseline(trust=trust, board_role=role)
    if number % 2:
        pack.visibility = InductionPack.Visibility.PUBLIC
        pack.save()
    hr = users.create_user(f"scale-{number:03d}-hr", password=None)
    for membership_role in (Membership.Role.EDITOR, Membership.Role.APPROVER):
        Membership.objects.create(user=hr, trust=trust, role=membership_role)
    for other in range(members - 1):
        user = users.create_user(f"scale-{number:03d}-{other}", password=None)
        kind = Membership.Role.READER if other < members // 2 else Membership.Role.APPROVER
        Membership.objects.create(user=user, trust=trust, role=kind)
    section = pack.sections.filter(kind=Section.Kind.MARKDOWN).order_by("order").first()
    for version in range(versions):
        section.refresh_from_db()
        services.save_section(
            section=section,
            user=hr,
            expected_revision=section.revision,
            body=f"{section.body}\n\nRevised for version {version + 1}.",
        )
        pack.publish(user=hr, change_summary=f"Version {version + 1}")


def report(before: dict, after: dict, args) -> str:
    lines = [
        f"{args.trusts} trusts x {args.versions} versions x {args.members} members added to "
        f"the demo; best of {args.repeat}",
        "",
        "| page | demo ms | demo queries | at scale ms | at scale queries |",
        "|---|---:|---:|---:|---:|",
    ]
    for kind, path, _ in PAGES:
        (demo_ms, demo_queries), (scale_ms, scale_queries) = before[kind], after[kind]
        lines.append(
            f"| {kind} (`{path}`) | {demo_ms:.1f} | {demo_queries} | {scale_ms:.1f} | "
            f"{scale_queries} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trusts", type=int, default=250)
    parser.add_argument("--versions", type=int, default=20)
    parser.add_argument("--members", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if args.trusts > 36 * 36:
        raise SystemExit("At most 1,296 trusts: each needs its own three-character ODS code.")
    setup_test_environment()
    # Static files are served from the finders here, as under `make run`.
    warnings.filterwarnings("ignore", message="No directory at")
    try:
        call_command("migrate", verbosity=0)
        call_command("loaddata", "roles", verbosity=0)
        call_command("load_demo", stdout=io.StringIO())
        before = measure(args.repeat)
        print(f"Adding {args.trusts} trusts…")
        add_trusts(args.trusts, args.versions, args.members)
        after = measure(args.repeat)
        print(report(before, after, args))
    finally:
        shutil.rmtree(WORKDIR, ignore_errors=True)


if __name__ == "__main__":
    main()
