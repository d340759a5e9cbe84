"""The public overview: open needs by street and community, as heat maps with a legend."""

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.utils import translation

from marketplace.needs.models import OPEN_STATUSES
from marketplace.needs.models import NeedStatus as S
from tests.factories import NeedFactory, category

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counts():
    cache.clear()  # the overview caches its counts
    yield
    cache.clear()


@pytest.fixture
def needs(tree):
    env, road = category("environment", "环境整治"), category("roads", "道路交通")
    # Street A: 6 open environment needs (5 in community A1, 1 in A2), 1 open road need.
    NeedFactory.create_batch(3, region=tree.grid_a1, category=env, status=S.SUBMITTED)
    NeedFactory.create_batch(2, region=tree.sub_grid_a1, category=env, status=S.DISPATCHED)
    NeedFactory(region=tree.community_a2, category=env, status=S.ANSWERED)
    NeedFactory(region=tree.community_a1, category=road, status=S.ACCEPTED)
    # Street B: 3 open road needs.
    NeedFactory.create_batch(3, region=tree.grid_b1, category=road, status=S.SUBMITTED)
    # Not open: not counted.
    for status in (S.CLOSED, S.FOLLOWED_UP, S.REJECTED, S.MERGED, S.REFERRED):
        NeedFactory.create_batch(4, region=tree.grid_b1, category=env, status=status)
    return env, road


def _table(soup, map_id):
    legend = soup.find(id=f"{map_id}-legend")
    table = soup.find("table", attrs={"aria-describedby": f"{map_id}-legend"})
    assert legend is not None and table is not None
    head = [th.get_text(strip=True) for th in table.thead.find_all("th")]
    rows = {}
    for tr in table.tbody.find_all("tr"):
        cells = tr.find_all("td")
        rows[tr.th.get_text(strip=True)] = [(td.get_text(strip=True), td.get("class", [])) for td in cells]
    foot = [td.get_text(strip=True) for td in table.tfoot.find_all("td")]
    return head, rows, foot


def _shade(classes):
    return next(int(c.split("-")[1]) for c in classes if c.startswith("heat-") and c != "heat-total")


def test_streets_heat_map_counts_open_needs_only(client, needs):
    soup = BeautifulSoup(client.get("/needs/overview/").content.decode(), "html.parser")
    head, rows, foot = _table(soup, "streets")
    assert head[1:3] == ["环境整治", "道路交通"]
    assert [n for n, _ in rows["甲街道"]] == ["6", "1", "7"]
    assert [n for n, _ in rows["乙街道"]] == ["0", "3", "3"]
    assert foot == ["6", "4", "10"]
    # The shading: the top count is the darkest, 0 is unshaded, and the steps between differ.
    shades = {(street, i): _shade(rows[street][i][1]) for street in rows for i in (0, 1)}
    assert shades[("甲街道", 0)] == 5 and shades[("乙街道", 0)] == 0
    assert 0 < shades[("甲街道", 1)] < shades[("乙街道", 1)] < 5  # 1 and 3 of 6
    assert rows["甲街道"][2][1] == ["heat-total"]  # totals stand apart, unshaded


def test_the_legend_explains_every_shade(client, needs):
    soup = BeautifulSoup(client.get("/needs/overview/").content.decode(), "html.parser")
    legend = soup.find(id="streets-legend").find_parent(class_="heat-legend")
    steps = [(li["class"][0], li.get_text(strip=True)) for li in legend.select("li")]
    assert steps == [
        ("heat-0", "0"), ("heat-1", "1–2"), ("heat-2", "3"), ("heat-3", "4"), ("heat-4", "5"), ("heat-5", "6"),
    ]  # fmt: skip
    # The cells use the legend's shades: 1 is in "1–2", 3 in "3", 6 in "6".
    _, rows, _ = _table(soup, "streets")
    assert [_shade(rows["甲街道"][1][1]), _shade(rows["乙街道"][1][1]), _shade(rows["甲街道"][0][1])] == [1, 2, 5]
    assert soup.find(id="streets-legend").get_text(strip=True)
    # One line says what "open" means.
    intro = soup.find("h1").find_next("p").get_text()
    with translation.override("zh-hans"):
        assert all(str(S(status).label) in intro for status in OPEN_STATUSES)


def test_choosing_a_street_shows_its_communities_shaded_among_themselves(client, tree, needs):
    response = client.get(f"/needs/overview/?street={tree.street_a.pk}")
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    link = soup.find("a", attrs={"aria-current": "true"})
    assert link.get_text() == "甲街道" and link["href"] == f"?street={tree.street_a.pk}#communities"
    assert soup.find(id="communities") is not None
    head, rows, foot = _table(soup, "communities")
    assert list(rows) == ["甲一社区", "甲二社区"]  # street A's, not B's
    assert [n for n, _ in rows["甲一社区"]] == ["5", "1", "6"]
    assert [n for n, _ in rows["甲二社区"]] == ["1", "0", "1"]
    assert foot == ["6", "1", "7"]
    assert _shade(rows["甲一社区"][0][1]) == 5 > _shade(rows["甲二社区"][0][1]) > 0
    # Communities link to their needs.
    assert soup.find("a", string="甲二社区")["href"].endswith(f"?region={tree.community_a2.pk}")


def test_without_a_street_no_communities(client, tree, needs):
    soup = BeautifulSoup(client.get("/needs/overview/?street=nope").content.decode(), "html.parser")
    assert soup.find(id="communities") is None and soup.find(id="streets-legend") is not None


def test_names_from_the_database_are_escaped(client, tree):
    NeedFactory(region=tree.grid_a1, category=category("xss", "<b>绿化</b>"), status=S.SUBMITTED)
    html = client.get(f"/needs/overview/?street={tree.street_a.pk}").content.decode()
    assert "<b>绿化</b>" not in html and "&lt;b&gt;绿化&lt;/b&gt;" in html


def test_the_counts_are_cached_and_queries_bounded(client, tree, needs, django_assert_max_num_queries):
    url = f"/needs/overview/?street={tree.street_a.pk}"
    with django_assert_max_num_queries(8):  # categories, streets, communities, two GROUP BYs, and the rest
        client.get(url)
    NeedFactory.create_batch(5, region=tree.grid_b1, category=needs[0], status=S.SUBMITTED)
    with django_assert_max_num_queries(6) as cached:
        html = client.get(url).content.decode()
    assert not any("GROUP BY" in q["sql"] for q in cached.captured_queries)
    _, rows, _ = _table(BeautifulSoup(html, "html.parser"), "streets")
    assert rows["乙街道"][0][0] == "0"  # from the cache
    cache.clear()
    _, rows, _ = _table(BeautifulSoup(client.get(url).content.decode(), "html.parser"), "streets")
    assert rows["乙街道"][0][0] == "5"
