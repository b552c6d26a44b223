"""The search page makes the same number of queries however many trusts, versions and hits
there are."""

import pytest

from induction.models import Membership

pytestmark = pytest.mark.django_db

# The user (1; the session comes from the cache, and the user's roles are not read); the two
# ranked index queries (national guide, trust packs) and the one that loads the matched rows
# with their pack and trust.
BUDGET = 4


def grow(scale, make_pack, make_version, trust, pack):
    """`scale` more trusts with public and members-only packs, each with `scale` versions
    whose every section matches, and as many versions of `trust`'s own pack."""
    for number in range(scale):
        for public in (True, False):
            other = make_pack(slug=f"trust-{scale}-{number}-{public}", public=public)
            for _ in range(scale):
                make_version(other, [("Quillwort", "<p>quillwort and revalidation</p>")] * 3)
        make_version(pack, [("Quillwort", "<p>revalidation here</p>")] * 2)


@pytest.mark.parametrize("earlier", ["", "yes"])
@pytest.mark.parametrize("who", ["anonymous", "reader", "staff"])
def test_the_results_page_makes_a_constant_number_of_queries(
    who,
    earlier,
    client,
    make_user,
    make_pack,
    make_version,
    trust,
    pack,
    django_assert_num_queries,
):
    if who == "reader":
        client.force_login(make_user("reader", trust=trust, roles=[Membership.Role.READER]))
    elif who == "staff":
        client.force_login(make_user("staff", is_staff=True))
    counts = []
    for scale in (1, 4):
        grow(scale, make_pack, make_version, trust, pack)
        with django_assert_num_queries(BUDGET if who != "anonymous" else BUDGET - 1) as queries:
            response = client.get("/search/", {"q": "revalidation", "earlier": earlier})
        assert response.status_code == 200
        counts.append(len(queries))
        assert response.content.decode().count("<mark>revalidation</mark>") > 3
    assert counts[0] == counts[1]
