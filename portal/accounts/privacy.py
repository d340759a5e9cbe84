"""Personal data export (PIPL art. 45). Apps register what they hold about a user."""

from django.utils import timezone

_exporters = {}


def register_exporter(name):
    def decorator(fn):
        _exporters[name] = fn
        return fn

    return decorator


def export_user_data(user):
    data = {"exported_at": timezone.now().isoformat()}
    for name, fn in _exporters.items():
        data[name] = fn(user)
    return data


@register_exporter("profile")
def _profile(user):
    return {
        "username": user.username,
        "email": user.email,
        "display_name": user.display_name,
        "phone": user.phone,
        "home_community": user.home_community.full_name if user.home_community else None,
        "language": user.language,
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
    }


@register_exporter("email_addresses")
def _emails(user):
    from allauth.account.models import EmailAddress

    return list(EmailAddress.objects.filter(user=user).values("email", "verified", "primary"))


@register_exporter("roles")
def _roles(user):
    return [
        {"role": a.role, "region": a.region.name if a.region else None, "verified": bool(a.verified_at)}
        for a in user.role_assignments.select_related("region")
    ]


@register_exporter("organisations")
def _organisations(user):
    return [
        {"organisation": m.organisation.name, "role": m.role, "since": m.created_at.isoformat()}
        for m in user.memberships.select_related("organisation")
    ]
