"""Organisations in the search layer: verified ones only (what the public list and pages show), by their
name, English name, description and registration code; the kind (NGO, company, foundation, department)
is the facet. The contact person, phone and email, shown on the organisation's page, are left out: they
are a person's details, not what anyone searches an organisation by.

A verified organisation that changes its name goes back to verification and so leaves the index until
staff verify it again (the public list does not show it meanwhile either).
"""

from django.utils.translation import gettext_lazy as _

from search.registry import Document, SearchType


def document(organisation):
    if not organisation.is_verified:
        return None
    return Document(
        title=organisation.name,
        title_en=organisation.name_en,
        url=organisation.get_absolute_url(),
        summary=organisation.description,
        text=organisation.uscc,
        region_id=organisation.region_id,
        status=organisation.kind,
        dated=organisation.verified_at or organisation.created_at,
    )


def register():
    from search import registry

    from .models import Organisation, OrganisationKind

    registry.register(
        SearchType(
            name="organisation",
            label=_("Organisations"),
            model=Organisation,
            document=document,
            # `document` reads the organisation's own columns only.
            queryset=lambda: Organisation.objects.all(),
            order=40,
            boost=0.4,
            status_labels=lambda: dict(OrganisationKind.choices),
        )
    )
