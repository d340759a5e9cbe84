"""Demo councils: the first community's and the first street's residents' councils, a second community's,
the district council and the district hearing centre, with their members and collection windows
(one open now, the others closed with the next one announced)."""

from datetime import date, timedelta

from django.utils import timezone

from portal.core.demo import demo_step
from portal.phases.services import set_window

from .models import COLLECT_TOPICS, Council, CouncilLevel, CouncilMember, MemberRole

R = MemberRole


def _members(council, seats):
    for name, role, start, end, user in seats:
        CouncilMember.objects.create(council=council, name=name, role=role, term_start=start, term_end=end, user=user)


@demo_step(order=120, after=["portal.accounts.demo"])
def load(ctx):
    if Council.objects.exists():
        ctx["councils"] = {c.slug: c for c in Council.objects.all()}
        return f"{len(ctx['councils'])} councils (kept)"
    now, users = timezone.now(), ctx["users"]
    community, second = ctx["communities"][0], ctx["communities"][1]
    street, district = ctx["streets"][0], ctx["district"]
    term = date(now.year - 1, 1, 1)
    councils = {}

    councils["home"] = home = Council.objects.create(
        name=f"{community.name}居民议事会",
        name_en=f"{community.name_en or 'Community'} Residents' Council",
        slug="community-council",
        level=CouncilLevel.COMMUNITY,
        region=community,
        support_threshold=5,
        description="由居民代表、楼栋长、物业和社区社会组织组成，每月第一个周六上午在社区党群服务中心议事。"
        "居民提出、五位以上居民附议的议题进入议程，议定事项在社区公告栏和本平台公示。",
    )
    _members(
        home,
        [
            ("马德顺", R.CHAIR, term, None, users["council1"]),
            ("张桂兰", R.RESIDENT_REPRESENTATIVE, term, None, users["resident1"]),
            ("刘玉珍", R.RESIDENT_REPRESENTATIVE, term, None, None),
            ("王建国", R.PARTY_MEMBER, term, None, None),
            ("陈静", R.OFFICIAL, term, None, users["staff1"]),
            ("吴芳", R.NGO, term, None, users["ngo1"]),
            ("李淑芬", R.RESIDENT_REPRESENTATIVE, date(now.year - 4, 1, 1), date(now.year - 1, 12, 31), None),
        ],
    )
    set_window(home, COLLECT_TOPICS, now - timedelta(days=40), now + timedelta(days=20), title="本季度议题征集")

    councils["second"] = neighbour = Council.objects.create(
        name=f"{second.name}居民议事会",
        name_en=f"{second.name_en or 'Second community'} Residents' Council",
        slug="second-community-council",
        level=CouncilLevel.COMMUNITY,
        region=second,
        support_threshold=8,
        description="老旧小区改造期间，每两周召开一次居民恳谈会，听取居民对施工安排的意见。",
    )
    _members(
        neighbour,
        [
            ("赵秀英", R.CHAIR, term, None, None),
            ("孙志刚", R.RESIDENT_REPRESENTATIVE, term, None, None),
            ("高文博", R.EXPERT, term, None, None),
        ],
    )
    set_window(neighbour, COLLECT_TOPICS, now - timedelta(days=75), now - timedelta(days=15), title="上季度议题征集")
    set_window(neighbour, COLLECT_TOPICS, now + timedelta(days=12), now + timedelta(days=60), title="下季度议题征集")

    councils["street"] = street_council = Council.objects.create(
        name=f"{street.name}议事协商会",
        name_en=f"{street.name_en or 'Street'} Consultative Council",
        slug="street-council",
        level=CouncilLevel.STREET,
        region=street,
        support_threshold=20,
        description="协调跨社区事务：停车、菜市场改造、背街小巷整治，由街道工委召集。",
    )
    _members(
        street_council,
        [
            ("赵明", R.OFFICIAL, term, None, users["streetstaff1"]),
            ("冯立新", R.PEOPLES_DEPUTY, term, None, None),
            ("郑海涛", R.COMPANY, term, None, users["donor1"]),
            ("何教授", R.EXPERT, term, None, None),
        ],
    )
    set_window(street_council, COLLECT_TOPICS, now - timedelta(days=100), now - timedelta(days=40), title="春季征集")
    set_window(street_council, COLLECT_TOPICS, now + timedelta(days=30), now + timedelta(days=90), title="秋季征集")

    councils["district"] = district_council = Council.objects.create(
        name=f"{district.name}居民议事会",
        name_en=f"{district.name_en or 'District'} Residents' Council",
        slug="district-council",
        level=CouncilLevel.DISTRICT,
        region=district,
        support_threshold=50,
        description="全区性民生实事项目的征集和协商，每年两次，议定结果提交区政府办理。",
    )
    _members(
        district_council,
        [
            ("孙丽华", R.OFFICIAL, term, None, users["districtstaff1"]),
            ("钱伟", R.PEOPLES_DEPUTY, term, None, None),
            ("周敏", R.PARTY_MEMBER, term, None, None),
        ],
    )
    set_window(
        district_council, COLLECT_TOPICS, now - timedelta(days=10), now + timedelta(days=50), title="年度民生实事征集"
    )

    councils["hearing"] = hearing = Council.objects.create(
        name=f"{district.name}听证议事中心",
        name_en=f"{district.name_en or 'District'} Hearing Centre",
        slug="hearing-centre",
        level=CouncilLevel.HEARING_CENTRE,
        region=district,
        support_threshold=30,
        description="重大民生事项、收费标准调整和公共设施选址的听证会在此举行，听证代表按比例从报名居民中抽取。",
    )
    _members(
        hearing,
        [
            ("林晓东", R.CHAIR, term, None, None),
            ("杜律师", R.EXPERT, term, None, None),
        ],
    )
    set_window(
        hearing, COLLECT_TOPICS, now - timedelta(days=200), now - timedelta(days=140), title="上半年听证事项征集"
    )
    ctx["councils"] = {c.slug: c for c in councils.values()}
    return f"{len(councils)} councils"
