"""A vote's result as bars (portal.core.charts.option_bar_chart, votes/includes/result_table.html):
the bars' lengths follow the counts, the table beside them lists every option, and the pages that
show a result stay within their queries."""

import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup

from deliberation.councils.models import MemberRole
from deliberation.meetings.models import MeetingStatus
from deliberation.votes import services as vote_services
from deliberation.votes.models import ElectorateKind, QuestionKind
from portal.core.charts import FIT_WIDTH, Bar, option_bar_chart
from tests.factories import UserFactory
from tests.factories.meetings import agenda_item, council, meeting, option, seat

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


def _bars(svg_text):
    """[(label, width, value, track width)] of each row of an option bar chart."""
    root = ET.fromstring(svg_text)
    rows = []
    for group in root.iter(f"{SVG}g"):
        if group.get("class") != "chart-row":
            continue
        label = group.find(f"{SVG}text").text
        track, bar = group.findall(f"{SVG}rect")[:2]
        rows.append((label, float(bar.get("width")), int(bar.get("data-value")), float(track.get("width"))))
    return rows


def test_option_bars_are_as_long_as_their_share_of_the_scale_and_escape_their_labels():
    chart = option_bar_chart(
        chart_id="v1",
        title="Ballots <b>",
        description="d & e",
        bars=[
            Bar("<script>x</script> 甲", 6, "6 · 60%", marked=True),
            Bar("Against", 3, "3 · 30%"),
            Bar("Abstain", 0, "0 · 0%"),
        ],
        scale=10,
        legend=("Not carried", "Carried"),
        table_id="t1",
    )
    root = ET.fromstring(str(chart.svg))  # well-formed, every text escaped
    assert root.get("role") == "img" and root.get("viewBox").startswith(f"0 0 {FIT_WIDTH} ")
    assert root.find(f"{SVG}title").text == "Ballots <b>"
    rows = _bars(str(chart.svg))
    assert [r[0] for r in rows] == ["✓ <script>x</script> 甲", "Against", "Abstain"]
    track = rows[0][3]
    assert [round(width / track, 3) for _label, width, _value, _track in rows] == [0.6, 0.3, 0.0]
    assert "<script>" not in str(chart.svg)
    assert [item.label for item in chart.legend] == ["Not carried", "Carried"]
    assert chart.fit and chart.table_id == "t1" and chart.table is None


def test_a_long_label_is_cut_to_the_drawing_and_a_scale_of_zero_draws_empty_bars():
    chart = option_bar_chart(
        chart_id="v2", title="t", description="d", bars=[Bar("很" * 60, 0, "0 · 0%")], scale=0, legend=("a", "")
    )
    (label, width, _value, _track), *_ = _bars(str(chart.svg))
    assert label.endswith("…") and len(label) < 30 and width == 0
    assert [item.label for item in chart.legend] == ["a"]


@pytest.fixture
def closed_choice_vote(people, tree):
    """A closed open-ballot choice vote of a held meeting: 2 for 甲方案, 1 for 乙方案, none for 丙方案."""
    c = council(tree.community_a1)
    chair = UserFactory(username="chair")
    seat(c, chair, role=MemberRole.CHAIR)
    voters = [UserFactory(username=f"m{i}") for i in range(3)]
    for user in voters:
        seat(c, user)
    m = meeting(c, status=MeetingStatus.HELD)
    item = agenda_item(m)
    vote = vote_services.create_vote(
        by=chair,
        question="选哪个方案？",
        kind=QuestionKind.CHOICES,
        electorate=ElectorateKind.MEMBERS,
        agenda_item=item,
        options=["甲方案", "乙方案", "丙方案"],
    )
    vote = vote_services.open_vote(by=chair, vote=vote)
    for user, label in zip(voters, ["甲方案", "甲方案", "乙方案"], strict=True):
        vote_services.cast_ballot(by=user, vote=vote, choices=[option(vote, label).pk])
    return vote_services.close_vote(by=chair, vote=vote), m, item


def _chart_and_table(html, vote):
    soup = BeautifulSoup(html, "html.parser")
    figure = soup.find("figure", id=f"vote-{vote.pk}-bars")
    assert figure is not None and figure.get("aria-describedby") == f"vote-{vote.pk}-result"
    svg = figure.find("svg", role="img")
    assert (
        svg.get("role") == "img" and svg.get("aria-labelledby") == f"vote-{vote.pk}-bars-title vote-{vote.pk}-bars-desc"
    )
    table = soup.find("table", id=f"vote-{vote.pk}-result")
    rows = [[cell.get_text(strip=True) for cell in tr.find_all(["th", "td"])] for tr in table.tbody.find_all("tr")]
    return figure, rows


def test_the_vote_page_draws_the_result_as_bars_beside_its_table(
    closed_choice_vote, client, django_assert_max_num_queries
):
    vote, _m, _item = closed_choice_vote
    client.cookies["django_language"] = "en"
    with django_assert_max_num_queries(8):
        response = client.get(f"/votes/{vote.pk}/")
    assert response.status_code == 200
    figure, rows = _chart_and_table(response.content.decode(), vote)
    bars = _bars(str(figure.find("svg", role="img")))
    assert [(label, value) for label, _w, value, _t in bars] == [("✓ 甲方案", 2), ("乙方案", 1), ("丙方案", 0)]
    # Each bar is its share of the three who took part.
    assert [round(width / track, 3) for _l, width, _v, track in bars] == [round(2 / 3, 3), round(1 / 3, 3), 0.0]
    assert "Ballots for each option" in figure.figcaption.get_text()
    assert "3 people who took part" in figure.find("desc").get_text()
    assert [row[:2] for row in rows] == [["甲方案", "2"], ["乙方案", "1"], ["丙方案", "0"]]
    assert [item.get_text(strip=True) for item in figure.select(".chart-legend li")] == ["Not carried", "Carried"]


def test_the_room_screen_the_meeting_and_its_agenda_item_show_the_bars_too(closed_choice_vote, client):
    vote, m, item = closed_choice_vote
    for url in (f"/votes/{vote.pk}/room/", m.get_absolute_url(), item.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200, url
        figure, rows = _chart_and_table(response.content.decode(), vote)
        assert [value for _l, _w, value, _t in _bars(str(figure.find("svg", role="img")))] == [2, 1, 0], url
        assert len(rows) == 3


def test_a_vote_still_open_shows_no_bars(closed_choice_vote, people, tree, client):
    vote, m, item = closed_choice_vote
    chair = vote.agenda_item.meeting.council.members.get(role=MemberRole.CHAIR).user
    other = vote_services.open_vote(
        by=chair,
        vote=vote_services.create_vote(
            by=chair,
            question="再表决",
            kind=QuestionKind.FOR_AGAINST,
            electorate=ElectorateKind.MEMBERS,
            agenda_item=item,
        ),
    )
    html = client.get(f"/votes/{other.pk}/").content.decode()
    assert f"vote-{other.pk}-bars" not in html


def test_the_fitted_charts_colours_read_against_white_and_the_bars_against_their_track():
    from portal.core import charts
    from tests.core.test_charts import contrast

    assert contrast(charts.INK, "#ffffff") >= 4.5 and contrast(charts.TARGET_COLOUR, "#ffffff") >= 4.5
    for colour in (charts.COLOURS[0], charts.COLOURS[2]):  # plain and marked bars
        assert contrast(colour, charts.TRACK) >= 3
