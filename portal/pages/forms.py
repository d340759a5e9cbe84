"""Editor forms that check what the database would refuse, so the editor sees a message, not an error page."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm


class ProjectBookForm(WagtailAdminPageForm):
    def clean(self):
        cleaned_data = super().clean()
        entries = self.formsets.get("entries")
        seen = set()
        for form in entries.forms if entries is not None else []:
            if not form.is_valid() or form.cleaned_data.get("DELETE"):
                continue
            project = form.cleaned_data.get("project")
            if project is not None and project.pk in seen:
                form.add_error("project", _("This project is already in this edition."))
            elif project is not None:
                seen.add(project.pk)
        return cleaned_data
