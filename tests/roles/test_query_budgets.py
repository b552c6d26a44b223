"""Each explainer page runs a fixed number of queries, however much data there is.

Every page is rendered with a small data set and with one three times larger (more
responsibilities, findings, sources, citations, lines, relationships, questions and terms);
both must stay within the same bound.
"""

import pytest

from .conftest import make_explainer

pytestmark = pytest.mark.django_db

# Every page reads the latest review once (its review dates), and every page that shows
# statements reads all the later-development notes once (`roles.developments`), whatever the
# number of statements or notes. A source's page costs one query per kind of statement that
# cites it, eight at most; the changes page one per kind of statement a note is attached to.
BUDGETS = {
    "/roles/medical-director/": 11,
    "/roles/medical-director/working-with-others/": 8,
    "/roles/chief-executive/": 10,
    "/roles/clinical-director-0/": 10,
    "/roles/medical-director/evidence/": 6,
    "/roles/medical-director/evidence/background/": 6,
    "/roles/medical-director/evidence/effectiveness/": 6,
    "/roles/for-non-executive-directors/": 12,
    "/roles/sources/": 3,
    "/roles/sources/monitor-2014/": 12,
    "/roles/sources/ggi-2017/": 12,
    "/roles/glossary/": 6,
    "/roles/changes-since-2017/": 12,
}


@pytest.mark.parametrize("scale", [1, 3])
@pytest.mark.parametrize(("url", "budget"), BUDGETS.items())
def test_explainer_page_query_count_does_not_grow_with_the_data(
    client, django_assert_max_num_queries, url, budget, scale
):
    make_explainer(scale)
    with django_assert_max_num_queries(budget):
        response = client.get(url)
    assert response.status_code == 200
