"""The roles membership gives (added to every user's role facts, see portal.accounts.roles).

Members of a verified organisation hold the role its kind gives (NGO → NGO member, company or
foundation → donor member, department → department officer, in the department's region).
"""

from portal.accounts.models import Role


def membership_roles(user, facts):
    from .models import MEMBER_ROLE, MemberRole, Membership, VerificationStatus

    for membership in Membership.objects.filter(user=user).select_related("organisation__region"):
        organisation = membership.organisation
        facts.organisation_ids.add(organisation.pk)
        if membership.role == MemberRole.ADMIN:
            facts.admin_organisation_ids.add(organisation.pk)
        if organisation.verification_status != VerificationStatus.VERIFIED:
            continue  # roles are suspended until staff verify (or re-verify) the organisation
        facts.verified_organisation_ids.add(organisation.pk)
        role = MEMBER_ROLE[organisation.kind]
        facts.roles.add(role)
        if role == Role.DEPARTMENT_OFFICER:
            facts.regions.setdefault(role, []).append(organisation.region)


def refuse_last_administrator(user):
    """An organisation's last administrator may not delete their account (portal.accounts.services)."""
    from django.utils.translation import gettext as _

    from portal.core.errors import DomainError

    from .models import MemberRole, Membership

    for membership in Membership.objects.filter(user=user, role=MemberRole.ADMIN).select_related("organisation"):
        others = Membership.objects.filter(organisation=membership.organisation, role=MemberRole.ADMIN).exclude(
            user=user
        )
        if not others.exists():
            raise DomainError(
                _("You are the only administrator of %(org)s. Make someone else administrator first.")
                % {"org": membership.organisation.name},
                "last_admin",
            )
