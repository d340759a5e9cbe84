import factory

from portal.organisations.models import Organisation, OrganisationKind, VerificationStatus
from portal.organisations.uscc import make_uscc


def valid_uscc(n):
    return make_uscc(f"52210299{n:09d}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    kind = OrganisationKind.NGO
    name = factory.Sequence(lambda n: f"测试社会组织{n}")
    slug = factory.Sequence(lambda n: f"test-org-{n}")
    uscc = factory.Sequence(lambda n: valid_uscc(n + 1000))
    contact_name = "王老师"
    contact_phone = "0411-88886666"
    verification_status = VerificationStatus.VERIFIED
