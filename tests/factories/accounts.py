import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.utils import timezone

from portal.accounts.models import RoleAssignment, User
from portal.accounts.roles import forget_roles
from portal.accounts.services import WAGTAIL_GROUPS

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    display_name = factory.Faker("name", locale="zh_CN")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


def grant(user, role, region=None, organisation=None, verified=True):
    """Give `user` a role directly (tests set up the world; services are tested on their own)."""
    RoleAssignment.objects.create(
        user=user,
        role=role,
        region=region,
        organisation=organisation,
        verified_at=timezone.now() if verified else None,
    )
    if role in WAGTAIL_GROUPS:
        user.groups.add(Group.objects.get_or_create(name=WAGTAIL_GROUPS[role])[0])
    forget_roles(user)
    return user
