"""Each explainer page runs a fixed number of queries, however much data there is.

Every page is rendered with a small data set and with one three times larger (more
responsibilities, findings, sources, citations, lines, relationships, questions and terms);
both must stay within the same bound.
"""

import pytest

from .conftest import make_explainer

pytestmark = pytest.mark.django_db

# A source's page costs one query per kind of statement that cites it, eight at most.
BUDGETS = {
    "/roles/medical-director/": 9,
    "/roles/medical-director/working-with-others/": 7,
    "/roles/chief-executive/": 8,
    "/roles/clinical-director-0/": 8,
    "/roles/medical-director/evidence/": 4,
    "/roles/medical-director/evidence/background/": 4,
    "/roles/medical-director/evidence/effectiveness/": 4,
    "/roles/for-non-executive-directors/": 10,
    "/roles/sources/": 2,
    "/roles/sources/monitor-2014/": 11,
    "/roles/sources/ggi-2017/": 11,
    "/roles/glossary/": 4,
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
