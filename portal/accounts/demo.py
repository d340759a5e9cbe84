"""One demo account per role, all with the shared demo password."""

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone

from portal.core.demo import DEMO_PASSWORD, demo_step

from .models import Role, RoleAssignment, User
from .services import WAGTAIL_GROUPS

# username, display name, role, where (a key of the demo context or None), organisation key (the
# organisations' demo makes them its administrators: portal.organisations.demo:load_members)
ACCOUNTS = [
    ("resident1", "张桂兰", Role.RESIDENT, "community", None),
    ("gridworker1", "刘洋", Role.GRID_WORKER, "grid", None),
    ("staff1", "陈静", Role.COMMUNITY_STAFF, "community", None),
    ("streetstaff1", "赵明", Role.STREET_STAFF, "street", None),
    ("districtstaff1", "孙丽华", Role.DISTRICT_STAFF, "district", None),
    ("dept1", "周强", Role.DEPARTMENT_OFFICER, "district", "department"),
    ("ngo1", "吴芳", None, None, "ngo"),
    ("donor1", "郑海涛", None, None, "company"),
    ("reviewer1", "何教授", Role.REVIEWER, "district", None),
    ("council1", "马大爷", Role.COUNCIL_MEMBER, "community", None),
    ("editor1", "林编辑", Role.EDITOR, "district", None),
    ("moderator1", "黄审核", Role.MODERATOR, "district", None),
]


@demo_step(order=40, after=["portal.regions.demo", "portal.organisations.demo"])
def load(ctx):
    places = {
        "district": ctx["district"],
        "street": ctx["streets"][0],
        "community": ctx["communities"][0],
        "grid": ctx["grids"][0],
    }
    now = timezone.now()
    password = make_password(DEMO_PASSWORD)  # hashed once: a strong hash takes half a second
    users = {}
    for username, display_name, role, where, org_key in ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"email": f"{username}@demo.gongzhi.local", "display_name": display_name},
        )
        if created or not user.has_usable_password():
            user.password = password
        user.home_community = places["community"]
        user.save()
        EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
        if role is not None:
            organisation = ctx[org_key] if org_key else None
            RoleAssignment.objects.update_or_create(
                user=user,
                role=role,
                region=places[where],
                defaults={"verified_at": now, "organisation": organisation},
            )
            if role in WAGTAIL_GROUPS:
                user.groups.add(Group.objects.get(name=WAGTAIL_GROUPS[role]))
        users[username] = user
    # The resident lives where they are verified.
    RoleAssignment.objects.get_or_create(
        user=users["council1"], role=Role.RESIDENT, region=places["community"], defaults={"verified_at": now}
    )
    # Newcomers whose residence community staff still have to verify.
    for username, display_name in [("newresident1", "钱小红"), ("newresident2", "冯建华")]:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"email": f"{username}@demo.gongzhi.local", "display_name": display_name, "password": password},
        )
        user.home_community = places["community"]
        user.save()
        EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
        RoleAssignment.objects.get_or_create(user=user, role=Role.RESIDENT, region=places["community"])
    admin, created = User.objects.get_or_create(
        username="admin", defaults={"email": "admin@demo.gongzhi.local", "is_staff": True, "is_superuser": True}
    )
    if created:
        admin.password = password
        admin.save()
        EmailAddress.objects.get_or_create(user=admin, email=admin.email, defaults={"verified": True, "primary": True})
    ctx["users"] = users
    return f"{len(users) + 1} demo accounts"
