"""Demo organisations of every kind, some verified, some waiting for staff.

A department's categories are the needs it answers: the needs demo dispatches each need to a
department whose categories hold the need's category (lift repairs to housing, not to health).
"""

from django.utils import timezone

from portal.core.demo import demo_step

from .models import MemberRole, Membership, Organisation, OrganisationKind, VerificationStatus
from .uscc import ALPHABET, make_uscc

# (kind, name, registration-type prefix, street index, categories, verified, description).
# New rows go at the end: a row's position seeds its credit code and slug.
ORGANISATIONS = [
    (
        OrganisationKind.NGO, "西港区春晖社会工作服务中心", "52", 0, ["elderly-care", "disability"], True,
        "2013年成立的民办社工机构，现有持证社工23名。在人民广场、香炉礁等街道运营长者助餐点和居家养老服务，"
        "为失能、独居老人提供助浴、探访和认知症照护，并承接残疾人家庭支持项目。",
    ),
    (
        OrganisationKind.NGO, "西港区星星雨自闭症儿童关爱中心", "52", 1, ["child-care", "disability"], True,
        "由自闭症儿童家长发起，提供康复训练、家长喘息服务和融合课堂。每周在白云街道三个社区开展融合活动，"
        "已服务孤独症儿童家庭140余户。",
    ),
    (
        OrganisationKind.NGO, "绿色家园环保公益促进会", "51", 2, ["environment", "waste-sorting"], True,
        "环保志愿者组成的社会团体，培训垃圾分类督导员，运营“绿色账户”积分兑换，组织楼院清洁日和旧物交换。",
    ),
    (
        OrganisationKind.NGO, "邻里守望志愿者协会", "51", 3, ["safety", "elderly-care"], True,
        "北京街道退休职工和党员志愿者组成，结对探访独居老人，冬季巡查楼道消防通道，协助网格员上报隐患。",
    ),
    (
        OrganisationKind.NGO, "乐龄文体发展中心", "52", 0, ["culture", "elderly-care"], False,
        "培育社区合唱团、书画社和太极队，为老年文体团队提供指导老师和排练场地对接。",
    ),
    (
        OrganisationKind.NGO, "海滨社区营造工作室", "52", 6, ["housing", "property"], False,
        "由规划师和社工组成，陪伴居民参与楼院微更新：入户调研、方案共商、共建共管。",
    ),
    (
        OrganisationKind.COMPANY, "大连海昌置业有限公司", "91", 0, ["housing"], True,
        "本地房地产企业，设立社区公益专项，重点资助老旧楼院改造和适老化设施。",
    ),
    (
        OrganisationKind.COMPANY, "港城物产集团有限公司", "91", 2, ["employment", "culture"], True,
        "商贸物流集团，每年在公益项目相亲会上认领就业帮扶和社区文化项目，并提供见习岗位。",
    ),
    (
        OrganisationKind.COMPANY, "北方医药连锁有限公司", "91", 3, ["health"], True,
        "区内有31家门店的药品零售企业，与社区卫生服务站合作开展慢病用药指导和义诊。",
    ),
    (
        OrganisationKind.FOUNDATION, "西港慈善基金会", "53", 0, ["elderly-care", "child-care"], True,
        "区慈善总会发起的公募基金会，管理社区慈善基金，资助助老、助学和困境儿童项目。",
    ),
    (
        OrganisationKind.FOUNDATION, "滨海公益发展基金会", "53", 5, ["environment"], True,
        "企业家发起的非公募基金会，关注海滨岸线清洁、垃圾分类和社区环境治理。",
    ),
    (
        OrganisationKind.DEPARTMENT, "西港区城市管理局", "11", None,
        ["environment", "waste-sorting", "parking", "safety"], True,
        "负责市容环境卫生、垃圾分类、园林绿化、路灯和市政设施、停车秩序和城管执法，办理365平台分拨的相关诉求。",
    ),
    (
        OrganisationKind.DEPARTMENT, "西港区民政局", "11", None, ["elderly-care", "disability", "child-care"], True,
        "负责养老服务、社会救助、残疾人福利和儿童关爱，指导社区建设和社会组织登记管理。",
    ),
    (
        OrganisationKind.DEPARTMENT, "西港区住房和城乡建设局", "11", None, ["housing", "property"], True,
        "负责老旧小区改造、既有住宅加装电梯、物业服务监管、房屋安全和供热供水协调。",
    ),
    (
        OrganisationKind.DEPARTMENT, "西港区卫生健康局", "11", None, ["health"], True,
        "负责社区卫生服务、家庭医生签约、老年人健康管理、爱国卫生和卫生监督执法。",
    ),
    (
        OrganisationKind.DEPARTMENT, "西港区教育局", "11", None, ["child-care"], True,
        "负责中小学和幼儿园招生、课后服务、校外培训监管和学生心理健康教育。",
    ),
    (
        OrganisationKind.DEPARTMENT, "大连市公安局西港分局", "11", None, ["safety", "parking"], True,
        "辖区治安、消防通道和电动自行车安全检查、交通秩序和犬只管理，由各派出所办理分拨的诉求。",
    ),
    (
        OrganisationKind.DEPARTMENT, "西港区人力资源和社会保障局", "11", None, ["employment"], True,
        "负责就业登记和帮扶、职业技能培训、零工市场、社会保险和劳动保障监察（欠薪）。",
    ),
    (
        OrganisationKind.DEPARTMENT, "西港区文化旅游和体育局", "11", None, ["culture"], True,
        "负责公共文化服务、社区图书室和文化活动、全民健身设施和老年文体团队指导。",
    ),
]  # fmt: skip

# The English names (departments by their official translations; NGOs and companies by the ones
# they use abroad). An organisation without one is shown by its Chinese name, marked as Chinese.
ENGLISH_NAMES = {
    "西港区春晖社会工作服务中心": "Xigang Chunhui Social Work Service Centre",
    "西港区星星雨自闭症儿童关爱中心": "Xigang Stars and Rain Centre for Children with Autism",
    "绿色家园环保公益促进会": "Green Home Environmental Association",
    "邻里守望志愿者协会": "Neighbourhood Watch Volunteers Association",
    "乐龄文体发展中心": "Leling Seniors' Arts and Sports Centre",
    "海滨社区营造工作室": "Haibin Community Building Studio",
    "大连海昌置业有限公司": "Dalian Haichang Real Estate Co., Ltd.",
    "港城物产集团有限公司": "Gangcheng Trading Group Co., Ltd.",
    "北方医药连锁有限公司": "Northern Pharmacy Chain Co., Ltd.",
    "西港慈善基金会": "Xigang Charity Foundation",
    "滨海公益发展基金会": "Binhai Philanthropy Development Foundation",
    "西港区城市管理局": "Xigang District Urban Management Bureau",
    "西港区民政局": "Xigang District Civil Affairs Bureau",
    "西港区住房和城乡建设局": "Xigang District Housing and Urban-Rural Development Bureau",
    "西港区卫生健康局": "Xigang District Health Commission",
    "西港区教育局": "Xigang District Education Bureau",
    "大连市公安局西港分局": "Xigang Branch of the Dalian Public Security Bureau",
    "西港区人力资源和社会保障局": "Xigang District Human Resources and Social Security Bureau",
    "西港区文化旅游和体育局": "Xigang District Culture, Tourism and Sports Bureau",
}

ORG_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]
CONTACTS = ["王晓梅", "李建国", "刘春燕", "陈志刚", "赵雅琴", "孙立新", "周海燕", "吴振宇", "郑淑华", "冯德明"]


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


@demo_step(order=30, after=["portal.core.demo", "portal.regions.demo"])
def load(ctx):
    district, streets, categories = ctx["district"], ctx["streets"], ctx["categories"]
    now = timezone.now()
    organisations = []
    for i, (kind, name, prefix, street, cats, verified, description) in enumerate(ORGANISATIONS, 1):
        region = district if street is None else streets[street]
        org, _created = Organisation.objects.update_or_create(
            uscc=demo_uscc(prefix, i),
            defaults={
                "kind": kind,
                "name": name,
                "name_en": ENGLISH_NAMES.get(name, ""),
                "slug": f"org-{i:03d}",
                "region": region,
                "contact_name": CONTACTS[i % len(CONTACTS)],
                "contact_phone": f"0411-8{i:03d}6{i:03d}"[:13],
                "contact_email": f"contact{i}@example.org",
                "description": description,
                "verification_status": VerificationStatus.VERIFIED if verified else VerificationStatus.PENDING,
                "verified_at": now if verified else None,
            },
        )
        org.categories.set([categories[c] for c in cats])
        org.service_regions.set([region] if street is not None else [district])
        organisations.append(org)
    ctx["organisations"] = organisations
    ctx["ngo"], ctx["company"], ctx["department"] = organisations[0], organisations[6], organisations[11]
    ctx["departments"] = {o.name: o for o in organisations if o.kind == OrganisationKind.DEPARTMENT}
    return f"{len(organisations)} organisations"


@demo_step(order=45, after=["portal.accounts.demo"])
def load_members(ctx):
    """The demo accounts that act for an organisation administer it (after the accounts' demo)."""
    from portal.accounts.demo import ACCOUNTS

    count = 0
    for username, _name, _role, _where, org_key in ACCOUNTS:
        if org_key:
            Membership.objects.get_or_create(
                organisation=ctx[org_key], user=ctx["users"][username], defaults={"role": MemberRole.ADMIN}
            )
            count += 1
    return f"{count} organisation administrators"
