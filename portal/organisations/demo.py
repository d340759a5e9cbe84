"""Demo organisations of every kind, some verified, some waiting for staff."""

from django.utils import timezone

from .models import Organisation, OrganisationKind, VerificationStatus
from .uscc import ALPHABET, make_uscc

# (kind, name, registration-type prefix, street index, categories, verified)
ORGANISATIONS = [
    (OrganisationKind.NGO, "西港区春晖社会工作服务中心", "52", 0, ["elderly-care", "disability"], True),
    (OrganisationKind.NGO, "西港区星星雨自闭症儿童关爱中心", "52", 1, ["child-care", "disability"], True),
    (OrganisationKind.NGO, "绿色家园环保公益促进会", "51", 2, ["environment", "waste-sorting"], True),
    (OrganisationKind.NGO, "邻里守望志愿者协会", "51", 3, ["safety", "elderly-care"], True),
    (OrganisationKind.NGO, "乐龄文体发展中心", "52", 0, ["culture", "elderly-care"], False),
    (OrganisationKind.NGO, "海滨社区营造工作室", "52", 6, ["housing", "property"], False),
    (OrganisationKind.COMPANY, "大连海昌置业有限公司", "91", 0, ["housing"], True),
    (OrganisationKind.COMPANY, "港城物产集团有限公司", "91", 2, ["employment", "culture"], True),
    (OrganisationKind.COMPANY, "北方医药连锁有限公司", "91", 3, ["health"], True),
    (OrganisationKind.FOUNDATION, "西港慈善基金会", "53", 0, ["elderly-care", "child-care"], True),
    (OrganisationKind.FOUNDATION, "滨海公益发展基金会", "53", 5, ["environment"], True),
    (OrganisationKind.DEPARTMENT, "西港区城市管理局", "11", None, ["environment", "parking"], True),
    (OrganisationKind.DEPARTMENT, "西港区民政局", "11", None, ["elderly-care", "disability"], True),
    (OrganisationKind.DEPARTMENT, "西港区住房和城乡建设局", "11", None, ["housing", "property"], True),
    (OrganisationKind.DEPARTMENT, "西港区卫生健康局", "11", None, ["health"], True),
]

ORG_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]


def organisation_code(seed):
    """A 9-character organisation code with its GB 11714 check character."""
    body = f"{seed:08d}"
    total = sum(int(c) * w for c, w in zip(body, ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def demo_uscc(prefix, seed):
    code = make_uscc(prefix + "210299" + organisation_code(74000000 + seed))
    assert all(c in ALPHABET for c in code)
    return code


def load(ctx):
    district, streets, categories = ctx["district"], ctx["streets"], ctx["categories"]
    now = timezone.now()
    organisations = []
    for i, (kind, name, prefix, street, cats, verified) in enumerate(ORGANISATIONS, 1):
        region = district if street is None else streets[street]
        org, _created = Organisation.objects.update_or_create(
            uscc=demo_uscc(prefix, i),
            defaults={
                "kind": kind,
                "name": name,
                "slug": f"org-{i:03d}",
                "region": region,
                "contact_name": "王晓梅" if i % 2 else "李建国",
                "contact_phone": f"0411-8{i:03d}6{i:03d}"[:13],
                "contact_email": f"contact{i}@example.org",
                "description": f"{name}扎根社区，围绕{'、'.join(categories[c].name for c in cats)}开展服务。",
                "verification_status": VerificationStatus.VERIFIED if verified else VerificationStatus.PENDING,
                "verified_at": now if verified else None,
            },
        )
        org.categories.set([categories[c] for c in cats])
        org.service_regions.set([region] if street is not None else [district])
        organisations.append(org)
    ctx["organisations"] = organisations
    ctx["ngo"], ctx["company"], ctx["department"] = organisations[0], organisations[6], organisations[11]
    return f"{len(organisations)} organisations"
