"""Who finds what: the permission matrix of the search page.

`trust`'s pack is for members only and holds the word "quillwort"; `other_trust`'s is for
members only and holds "bramblewick"; a third trust's pack is public and holds "sunburst".
Every user searches for all three; a pack they may not read must leave no trace on the page:
no result, no trust name, no count, no "more" link.
"""

import pytest

from induction.models import InductionPack, Membership

pytestmark = pytest.mark.django_db

WORDS = {"own": "quillwort", "other": "bramblewick", "public": "sunburst"}


@pytest.fixture
def packs(pack, other_pack, make_pack, make_version):
    public = make_pack(slug="sunnyside", public=True)
    for each, word in ((pack, "quillwort"), (other_pack, "bramblewick"), (public, "sunburst")):
        assert each is public or each.visibility == InductionPack.Visibility.MEMBERS
        make_version(each, [(f"About {word}", f"<p>The {word} programme.</p>")])
    return {"own": pack, "other": other_pack, "public": public}


@pytest.fixture
def users(anonymous, reader, outsider, staff, make_user, other_trust):
    other_editor = make_user("other-editor", trust=other_trust, roles=[Membership.Role.EDITOR])
    return {
        "anonymous": anonymous,
        "reader of trust A": reader,
        "editor and approver of trust B": outsider,
        "editor of trust B": other_editor,
        "platform staff": staff,
    }


# Which packs each user finds: their own trust's, public ones, every one for platform staff
# (who may read every pack, by the induction app's rule).
MATRIX = {
    "anonymous": {"public"},
    "reader of trust A": {"own", "public"},
    "editor and approver of trust B": {"other", "public"},
    "editor of trust B": {"other", "public"},
    "platform staff": {"own", "other", "public"},
}


@pytest.mark.parametrize("earlier", ["", "yes"])
@pytest.mark.parametrize("who", MATRIX)
@pytest.mark.parametrize("which", WORDS)
def test_a_search_finds_only_packs_the_user_may_read(who, which, earlier, packs, users, client):
    if users[who].is_authenticated:
        client.force_login(users[who])
    response = client.get("/search/", {"q": WORDS[which], "earlier": earlier})
    html = response.content.decode()
    assert response.status_code == 200
    pack = packs[which]
    if which in MATRIX[who]:
        assert f"About <mark>{WORDS[which]}</mark>" in html
        assert pack.trust.name in html
        assert "1 result for" in html
    else:
        assert f"No results for {WORDS[which]}" in html
        assert pack.trust.name not in html
        assert "About <mark>" not in html
        assert "result for" not in html
        assert "best matches" not in html


def test_a_members_only_pack_is_not_found_by_words_it_shares_with_public_ones(
    packs, users, client, make_version
):
    make_version(packs["own"], [("Common ground", "<p>Shared words here.</p>")])
    make_version(packs["public"], [("Common ground", "<p>Shared words here.</p>")])
    client.force_login(users["editor of trust B"])
    html = client.get("/search/", {"q": "shared words", "earlier": "yes"}).content.decode()
    assert "1 result for" in html
    assert packs["own"].trust.name not in html


def test_search_pages_are_kept_only_privately(client, packs):
    response = client.get("/search/", {"q": "sunburst"})
    assert response["Cache-Control"] == "private, no-cache"
