"""The page cache's hits look like the page rendered: same headers, same language handling."""

import re

import pytest
from django.urls import reverse
from wagtail.models import Locale
from wagtail_localize.synctree import synchronize_tree

from portal.pages.models import NoticePage
from tests.factories.pages import notice

pytestmark = pytest.mark.django_db

# Headers that differ between any two responses by design.
PER_RESPONSE = {"X-Page-Cache", "Content-Security-Policy", "Date", "Vary"}


def test_a_hit_for_a_visitor_without_cookies_carries_the_rendered_pages_headers(client, home_page):
    notice(home_page, "头部比对通知")
    rendered = client.get("/notices/")
    hit = client.get("/notices/")
    assert rendered["X-Page-Cache"] == "miss" and hit["X-Page-Cache"] == "hit"
    assert {k: v for k, v in rendered.items() if k not in PER_RESPONSE} == {
        k: v for k, v in hit.items() if k not in PER_RESPONSE
    }
    assert _without_nonce(hit) == _without_nonce(rendered) and "script-src 'self'" in _without_nonce(hit)
    assert _vary(hit) == _vary(rendered) == {"Accept-Encoding", "Accept-Language", "Cookie"}
    assert hit["X-Frame-Options"] == "DENY" and int(hit["Content-Length"]) == len(hit.content)


def test_a_browser_that_takes_gzip_gets_the_kept_page_compressed_and_whole(client, home_page):
    import gzip

    notice(home_page, "压缩通知")
    rendered = client.get("/notices/")
    plain = client.get("/notices/")
    compressed = client.get("/notices/", headers={"accept-encoding": "gzip, deflate, br"})
    assert "Content-Encoding" not in plain and plain.content == rendered.content
    assert compressed["Content-Encoding"] == "gzip" and compressed["X-Page-Cache"] == "hit"
    assert gzip.decompress(compressed.content) == rendered.content
    assert int(compressed["Content-Length"]) == len(compressed.content) < len(rendered.content) / 2


def _without_nonce(response):
    return re.sub(r"'nonce-[^']*'", "", response["Content-Security-Policy"])


def _vary(response):
    return {part.strip() for part in response["Vary"].split(",")}


def test_a_visitor_who_chose_english_is_not_served_the_chinese_page_kept_for_others(client, home_page):
    page = notice(home_page, "中文通知", slug="bilingual")
    synchronize_tree(Locale.get_default(), Locale.objects.get(language_code="en"))
    english = NoticePage.objects.get(translation_key=page.translation_key, locale__language_code="en")
    english.alias_of = None
    english.title = "English notice"
    english.save_revision().publish()
    assert client.get("/notices/bilingual/").status_code == 200
    assert client.get("/notices/bilingual/")["X-Page-Cache"] == "hit"
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert client.get("/notices/bilingual/")["Location"] == "/en/notices/bilingual/"


def test_a_purge_by_another_worker_reaches_this_workers_copy_at_once(client, home_page):
    from django.core.cache import cache

    from portal.pages.cache import _version_key

    notice(home_page, "副本通知")
    assert client.get("/notices/")["X-Page-Cache"] == "miss"
    assert client.get("/notices/")["X-Page-Cache"] == "hit"
    cache.set(_version_key("/notices/"), "set-by-another-worker", None)  # what purge_path does there
    assert client.get("/notices/")["X-Page-Cache"] == "miss"
    assert client.get("/notices/")["X-Page-Cache"] == "hit"
    cache.clear()  # the shared cache emptied (a restart of Redis): nothing kept here passes for current
    assert client.get("/notices/")["X-Page-Cache"] == "miss"


def test_hits_answered_first_in_the_stack_carry_the_headers_the_stack_gave(client, home_page):
    from portal.pages.cache import _FRONT, forget_local_content

    forget_local_content()
    notice(home_page, "前置命中通知")
    rendered = client.get("/notices/")
    through_the_stack = client.get("/notices/")
    assert len(_FRONT) == 1  # its headers kept
    front = client.get("/notices/")
    front_gzip = client.get("/notices/", headers={"accept-encoding": "gzip"})
    assert front["X-Page-Cache"] == through_the_stack["X-Page-Cache"] == "hit"
    same = {k: v for k, v in rendered.items() if k not in PER_RESPONSE}
    assert {k: v for k, v in front.items() if k not in PER_RESPONSE} == same
    assert "nonce-" not in front["Content-Security-Policy"]
    assert _without_nonce(front) == _without_nonce(rendered)
    assert _vary(front) == _vary(rendered)
    assert front.content == rendered.content and int(front["Content-Length"]) == len(front.content)
    assert front_gzip["Content-Encoding"] == "gzip" and int(front_gzip["Content-Length"]) == len(front_gzip.content)


def test_a_kept_page_does_not_skip_the_https_redirect_or_the_host_check(client, home_page, settings):
    notice(home_page, "安全检查通知")
    settings.SECURE_SSL_REDIRECT = True  # before the client's first request builds its middleware
    for _ in range(3):
        assert client.get("/notices/", secure=True).status_code == 200
    assert client.get("/notices/").status_code == 301
    assert client.get("/notices/", secure=True)["X-Page-Cache"] == "hit"
    client.raise_request_exception = False
    assert client.get("/notices/", secure=True, headers={"host": "evil.example"}).status_code == 400


def test_a_purge_reaches_the_pages_answered_first_in_the_stack(client, home_page):
    from portal.pages.cache import purge_path

    page = notice(home_page, "旧标题通知")
    for _ in range(3):
        client.get("/notices/")
    page.title = "新标题通知"
    page.save_revision().publish()  # purges the list's path
    assert "新标题通知" in client.get("/notices/").content.decode()
    purge_path("/notices/")
    assert client.get("/notices/")["X-Page-Cache"] == "miss"


def test_headers_kept_from_https_are_not_replayed_over_plain_http(client, home_page, settings):
    settings.SECURE_HSTS_SECONDS = 3600  # before the client's first request builds its middleware
    notice(home_page, "传输安全通知")
    for _ in range(3):
        secure = client.get("/notices/", secure=True)
    assert secure["X-Page-Cache"] == "hit" and "Strict-Transport-Security" in secure
    for _ in range(3):
        plain = client.get("/notices/")
    assert plain["X-Page-Cache"] == "hit" and "Strict-Transport-Security" not in plain
