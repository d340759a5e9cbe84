"""A chooser for marketplace projects in the CMS (project book entries), searched by title."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView
from wagtail.admin.viewsets.chooser import ChooserViewSet

from marketplace.projects.models import Project, ProjectStatus


class ProjectFilterForm(BaseFilterForm):
    q = forms.CharField(label=_("Search term"), required=False)

    def filter(self, objects):
        objects = super().filter(objects)
        query = self.cleaned_data.get("q")
        if query:
            objects = objects.filter(title__icontains=query)
            self.is_searching = True
            self.search_query = query
        return objects


class ProjectChooseMixin:
    filter_form_class = ProjectFilterForm

    def get_object_list(self):
        # Drafts are not ready for a book.
        return Project.objects.exclude(status=ProjectStatus.DRAFT).select_related("region").order_by("-created_at")

    @property
    def columns(self):
        return [
            self.title_column,
            Column("status", label=_("Status"), accessor="get_status_display"),
            Column("region", label=_("Region"), accessor="region"),
        ]


class ProjectChooseView(ProjectChooseMixin, ChooseView):
    pass


class ProjectChooseResultsView(ProjectChooseMixin, ChooseResultsView):
    pass


class ProjectChooserViewSet(ChooserViewSet):
    model = Project
    icon = "list-ul"
    choose_one_text = _("Choose a project")
    choose_another_text = _("Choose another project")
    choose_view_class = ProjectChooseView
    choose_results_view_class = ProjectChooseResultsView
    per_page = 20


project_chooser_viewset = ProjectChooserViewSet("project_chooser")
