"""Editors fill the holiday calendar and service levels in the CMS they already use."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import CalendarDay, ServiceLevel


class CalendarDayViewSet(SnippetViewSet):
    model = CalendarDay
    icon = "date"
    menu_label = "节假日 / Holidays"
    add_to_admin_menu = True
    list_display = ["date", "name", "is_workday"]


class ServiceLevelViewSet(SnippetViewSet):
    model = ServiceLevel
    icon = "time"
    menu_label = "办理时限 / Service levels"
    add_to_admin_menu = True
    list_display = ["__str__", "hours_to_accept", "working_days_to_answer"]


register_snippet(CalendarDayViewSet)
register_snippet(ServiceLevelViewSet)
