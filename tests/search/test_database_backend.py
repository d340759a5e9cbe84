"""The search layer's database backend, for real (SQLite here, PostgreSQL in CI): Chinese words cut by
jieba on both sides, every word required, drafts never indexed, changes indexed at commit, the page and
the API with counts per type."""

import time

import pytest
from django.core.management import call_command
from django.db import transaction

from marketplace.projects.models import Project, ProjectStatus
from search.models import SearchEntry
from search.query import search
from search.segment import index_terms, query_terms
from tests.factories.projects import published_project

pytestmark = pytest.mark.django_db


def titles(query, **filters):
    return [e.title for e in search(query, **filters).hits]


def test_chinese_is_cut_into_words_on_both_sides():
    assert set(query_terms("社区 养老")) == {"社区", "养老"}
    assert {"养老", "服务", "中心", "服务中心"} <= set(index_terms("社区养老服务中心").split())
    # Latin words lowercased and stemmed alike on both sides; the little words left out of a query.
    assert query_terms("Elevator REPAIRS for the 电梯") == ["elev", "repair", "电梯"]
    assert "lift" in index_terms("Public hearing: lifts for Lianhuashan").split()


def test_a_word_inside_a_longer_one_is_found_and_every_word_is_required_before_some_are(tree):
    published_project(tree.community_a1, title="社区养老服务中心", summary="为老人提供日间照料")
    published_project(tree.community_a1, title="楼道维修", summary="更换老化的楼道灯")
    assert titles("养老") == ["社区养老服务中心"]
    assert titles("社区 养老") == ["社区养老服务中心"]
    # No record holds both words: the answer says so and lists those holding some of them.
    assert search("楼道 养老").partial and set(titles("楼道 养老")) == {"楼道维修", "社区养老服务中心"}
    assert not search("社区 养老").partial
    assert titles("楼道灯") == ["楼道维修"]  # a word of the summary


def test_a_draft_is_never_found_and_leaves_the_index_when_a_project_goes_back(tree, people):
    published_project(tree.community_a1, title="电梯加装协调", status=ProjectStatus.DRAFT)
    assert titles("电梯") == [] and not SearchEntry.objects.filter(doc_type="project").exists()
    project = published_project(tree.community_a1, title="电梯加装协调（二期）")
    assert titles("电梯") == ["电梯加装协调（二期）"]  # searchable as soon as it is committed
    project.status = ProjectStatus.DRAFT
    project.save()
    assert titles("电梯") == []
    project.delete()
    assert not SearchEntry.objects.filter(object_id=project.pk).exists()


def test_a_change_is_searchable_within_a_second_of_its_commit(tree):
    """Eager (no broker): the index task runs at the commit, so the project is found at once after it, and
    not before (a rolled-back change is never indexed)."""
    with transaction.atomic():
        published_project(tree.community_a1, title="甲一社区助老食堂")
        assert titles("助老 食堂") == []  # not committed yet
    committed = time.monotonic()
    assert titles("助老 食堂") == ["甲一社区助老食堂"]
    assert time.monotonic() - committed < 1


def test_titles_holding_every_word_come_first(tree):
    published_project(tree.community_a1, title="儿童之家", summary="社区养老和托育共用场地")
    published_project(tree.community_a1, title="社区养老食堂", summary="午餐")
    assert titles("社区 养老") == ["社区养老食堂", "儿童之家"]


def test_the_api_answers_with_counts_per_type_and_refuses_an_unknown_type(tree, api_for):
    for n in range(3):
        published_project(tree.community_a1, title=f"垃圾分类督导第{n + 1}期")
    api = api_for(None)
    answer = api.get("/api/v1/search/", {"q": "垃圾分类"}).json()
    assert answer["count"] == 3 and answer["facets"]["type"] == {"project": 3}
    assert {r["type"] for r in answer["results"]} == {"project"} and answer["results"][0]["url"].startswith("/")
    assert api.get("/api/v1/search/", {"q": "垃圾", "type": "nothing"}).status_code == 400
    assert api.get("/api/v1/search/", {"q": ""}).json()["count"] == 0


def test_the_page_shows_tabs_and_marks_the_words(tree, client):
    published_project(tree.community_a1, title="口袋公园改造", summary="把闲置空地改造成口袋公园")
    page = client.get("/search/", {"q": "口袋公园"}).content.decode()
    assert "<mark>" in page and "口袋公园改造" in page and "type=project" in page


def test_reindex_shows_its_progress_and_check_reports_drift(tree, capsys):
    published_project(tree.community_a1, title="独居老人探访")
    published_project(tree.community_a1, title="四点半课堂")
    SearchEntry.objects.all().delete()
    with pytest.raises(SystemExit):
        call_command("search_check")
    assert "2 missing" in capsys.readouterr().out
    call_command("search_reindex", "--type", "project")
    out = capsys.readouterr().out
    assert "2/2 100%" in out and "2 entries written" in out
    call_command("search_check")
    assert "matches" in capsys.readouterr().out
    Project.objects.filter(title="四点半课堂").update(title="四点半学堂")  # .update(): no signal, no event
    with pytest.raises(SystemExit):
        call_command("search_check")
    assert "1 stale" in capsys.readouterr().out


def test_marking_the_words_escapes_the_text_and_never_cuts_an_entity():
    from search.views import highlight

    assert str(highlight("R&D amp <b>养老</b>", ["amp", "养老"])) == (
        "R&amp;D <mark>amp</mark> &lt;b&gt;<mark>养老</mark>&lt;/b&gt;"
    )


def test_the_tabs_keep_the_filters_their_counts_were_made_with(tree, client):
    published_project(tree.community_a1, title="垃圾分类督导", target_yuan=20_000)
    published_project(tree.community_a1, title="垃圾分类宣传", target_yuan=0)
    page = client.get("/search/", {"q": "垃圾分类", "wanted": "1", "status": "published"}).content.decode()
    assert "wanted=1" in page and "type=project" in page
    tab = page.split('class="search-tabs"')[1].split("</nav>")[0]
    assert "status=" not in tab  # a status belongs to one type
    assert "(1)" in tab  # the count after the funding filter, which the tab keeps
