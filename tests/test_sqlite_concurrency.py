"""Two publishes at the same moment on SQLite, as under `make run`: they queue one behind the
other, and neither fails with "database is locked". Real processes against a real database
file, since the test database is in memory."""

import time

from tests.processes import run_django

SETUP = """
from django.contrib.auth import get_user_model
from django.core.management import call_command
from induction.baseline import create_pack_from_baseline
from induction.models import Membership, Trust
call_command("migrate", verbosity=0)
call_command("loaddata", "roles", verbosity=0)
trust = Trust.objects.create(name="Concurrent NHS Trust", slug="concurrent", ods_code="RZ5",
                             kind="acute")
create_pack_from_baseline(trust=trust)
user = get_user_model().objects.create_user("concurrent-hr")
Membership.objects.create(user=user, trust=trust, role="editor")
"""

PUBLISH = """
import sys, time
from pathlib import Path
from django.contrib.auth import get_user_model
from induction.models import InductionPack
from induction.publishing import NothingToPublish
start = Path(sys.argv[1])
while not start.exists():
    time.sleep(0.01)
pack = InductionPack.objects.get(trust__slug="concurrent")
try:
    version = pack.publish(user=get_user_model().objects.get(username="concurrent-hr"))
except NothingToPublish:
    print("nothing to publish")
else:
    print(f"published {version.number}")
"""


def test_two_publishes_at_once_on_sqlite_queue_instead_of_failing(tmp_path):
    database = tmp_path / "portal.sqlite3"
    setup = run_django(SETUP, database=database)
    assert setup.wait(timeout=120) == 0, setup.stderr.read()
    start = tmp_path / "go"
    publishers = [run_django(PUBLISH, str(start), database=database) for _ in range(2)]
    time.sleep(1.5)  # both processes are up and waiting
    start.touch()
    outcomes = []
    for publisher in publishers:
        out, err = publisher.communicate(timeout=120)
        assert publisher.returncode == 0, err
        outcomes.append(out.strip())
    assert sorted(outcomes) == ["nothing to publish", "published 1"]
