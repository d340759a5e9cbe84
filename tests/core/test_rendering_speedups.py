"""The rendering shortcuts write exactly what Django's own rendering writes."""

import re
from datetime import datetime, timedelta

import pytest
from django import forms
from django.db import connection
from django.forms.renderers import DjangoTemplates
from django.template import TemplateSyntaxError, engines
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from marketplace.needs import services
from marketplace.needs.models import Need
from portal.core.choices import MarkedSelect
from portal.core.form_renderer import EXPECTED, PortalFormRenderer
from portal.core.kept import forget_kept_markup
from portal.core.templatetags import rows
from portal.core.templatetags.rows import forget_rows
from tests.factories import NeedFactory
from tests.factories.pages import ProjectFactory, book, event, notice

pytestmark = pytest.mark.django_db

PLAIN_LOADERS = [
    (
        "django.template.loaders.cached.Loader",
        ["django.template.loaders.filesystem.Loader", "django.template.loaders.app_directories.Loader"],
    )
]


def _html(response):
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'nonce="[^"]+"', "", html)


def test_folded_templates_render_what_django_renders(client_for, settings, people, home_page, tree):
    book(home_page, tree.district, [ProjectFactory(region=tree.district) for _ in range(2)])
    for i in range(25):
        notice(home_page, f"通知{i}")
    event(home_page)
    NeedFactory.create_batch(3, region=tree.grid_a1)
    pages = {
        None: ["/?nocache=1", "/notices/?nocache=1", "/notices/?page=2&nocache=1", "/notices/notice-1/?nocache=1"],
        people.district_staff: ["/needs/queue/", "/needs/", "/notifications/", "/no-such-page/"],
    }
    pages[None] += ["/project-books/book-1/?nocache=1", "/en/?nocache=1", "/no-such-page/"]
    settings.PAGE_CACHE_SECONDS = 0  # no fragments: every template renders in full, both ways

    def render_all():
        forget_kept_markup()  # the queue's kept fields too are rendered both ways
        found = {}
        for user, paths in pages.items():
            client = client_for(user)
            for path in paths:
                with translation.override("zh-hans"):
                    found[path, user] = _html(client.get(path))
        return found

    folded = render_all()
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "OPTIONS": {**settings.TEMPLATES[0]["OPTIONS"], "loaders": PLAIN_LOADERS}}
    ]
    assert render_all() == folded


def test_the_folded_url_with_an_id_is_what_reverse_gives():
    from portal.core.template_folding import IdURLNode, fold

    source = engines["django"].from_string("{% url 'needs:need_detail' pk %}")
    source.template.nodelist = fold(source.template.nodelist)
    assert isinstance(source.template.nodelist[0], IdURLNode)
    for pk in [1, 7, 918273645, 10**17]:
        assert source.render({"pk": pk}) == reverse("needs:need_detail", args=[pk])
    assert source.render({"pk": "12"}) == reverse("needs:need_detail", args=["12"])  # not an int: reversed as usual


class EveryWidget(forms.Form):
    choice = forms.ChoiceField(
        choices=[("", "—"), ("x", "X <b>"), ("组", [("g1", "G1"), ("g2", mark_safe("<i>G2</i>"))]), (3, 4)],
        initial="g1",
    )
    several = forms.MultipleChoiceField(
        choices=[("1", _("Status")), ("2", "two")],
        initial=["2"],
        widget=forms.SelectMultiple(attrs={"class": "c", "disabled": True, "data-x": False, "data-y": 5}),
    )
    marked = forms.ChoiceField(choices=[("1", "长春社区"), ("2", "Changchun")], widget=MarkedSelect)
    text = forms.CharField(initial='va"l<', widget=forms.TextInput(attrs={"placeholder": "p&q"}))
    flag = forms.BooleanField(initial=True)
    when = forms.DateTimeField(
        initial=datetime(2026, 1, 2, 3, 4), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), initial="a\n<b>")
    empty_note = forms.CharField(widget=forms.Textarea)
    number = forms.IntegerField(initial=1234567)
    hidden = forms.CharField(widget=forms.HiddenInput, initial="")
    maybe = forms.NullBooleanField()
    rating = forms.TypedChoiceField(coerce=int, choices=[(5, "5 — x"), (1, "1")], widget=forms.RadioSelect)
    email = forms.EmailField()
    day = forms.DateField(initial="2026-03-04", widget=forms.DateInput(attrs={"type": "date"}))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(
    "data", [None, {"choice": "x", "several": ["1", "2"], "text": "<x>", "flag": "on", "when": "?"}]
)
def test_the_form_renderer_writes_what_the_templates_write(language, data):
    fast, templates = PortalFormRenderer(), DjangoTemplates()
    assert fast._django_templates == set(EXPECTED)  # Django's own templates, as expected: written in Python
    with translation.override(language):
        for name in EveryWidget.base_fields:
            assert str(EveryWidget(data, renderer=fast)[name]) == str(EveryWidget(data, renderer=templates)[name])


OLD_DEADLINE = (
    '{% load i18n %}{% if when %}<time datetime="{{ when|date:\'c\' }}" class="nowrap">{{ when|deadline }}</time>'
    '{% with late=when|overdue_by %}{% if late %} <span class="badge badge-rejected deadline-overdue">{{ late }}</span>'
    '{% endif %}{% endwith %}{% elif overdue %}<span class="badge badge-rejected">{% translate "Overdue" %}</span>'
    "{% endif %}"
)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_deadline_cell_is_the_template_it_replaced(language):
    before = engines["django"].from_string(OLD_DEADLINE)
    after = engines["django"].get_template("includes/deadline.html")
    now = timezone.now()
    moments = [None, now + timedelta(hours=5), now - timedelta(hours=3), now - timedelta(days=3)]
    moments += [now - timedelta(days=400), now + timedelta(days=400), now.replace(microsecond=0)]
    with translation.override(language):
        for when in moments:
            for overdue in [True, False, None]:
                context = {"when": when, "overdue": overdue}
                assert after.render(context) == before.render(context)


def test_queue_rows_are_kept_for_what_they_show_and_no_longer(client_for, people, tree):
    needs = NeedFactory.create_batch(3, region=tree.grid_a1, title="楼道灯坏了")
    client = client_for(people.community_staff)
    forget_rows()
    first = client.get("/needs/queue/").content.decode()
    assert first.count("楼道灯坏了") >= 3
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/needs/queue/").content.decode()
    assert _strip_tokens(again) == _strip_tokens(first)
    services.accept_need(by=people.community_staff, need=needs[0])
    needs[1].title = "电梯停运"
    needs[1].save()
    after = client.get("/needs/queue/").content.decode()
    assert "电梯停运" in after and after.count("楼道灯坏了") >= 2
    assert "status-accepted" in after
    assert len(queries) < 20


def _strip_tokens(html):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_rowcache_refuses_what_changes_every_time():
    with pytest.raises(TemplateSyntaxError):
        engines["django"].from_string("{% load rows %}{% rowcache x %}{% csrf_token %}{% endrowcache %}")


def test_rowcache_keeps_no_row_that_read_more_than_its_record(rf, tree):
    need = NeedFactory(region=tree.grid_a1)
    template = engines["django"].from_string(
        "{% load rows %}{% rowcache need %}{{ need.region.name }}{% endrowcache %}"
    )
    request = rf.get("/")
    forget_rows()
    lazy = Need.objects.get(pk=need.pk)  # its region is read while rendering: a query
    assert template.render({"need": lazy}, request) == tree.grid_a1.name
    assert not rows._ROWS
    loaded = Need.objects.select_related("region").get(pk=need.pk)
    assert template.render({"need": loaded}, request) == tree.grid_a1.name
    assert len(rows._ROWS) == 1
