"""The portal's CMS pages for the demo district.

`load` makes the home page the root of the default site. `load_content` runs after
the projects step (marketplace/needs/demo_projects.py, whose table says which edition lists
which project) and fills the CMS with what a newcomer should see working — notices,
news, two project book editions, events, an about page and an FAQ — then syncs the
English tree (wagtail-localize aliases) and translates its main pages.
"""

from datetime import datetime, time, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Locale, Page, PageLogEntry, Revision, Site
from wagtail.rich_text import RichText

from portal.core.demo import demo_step

from .models import (
    EventIndexPage,
    EventKind,
    EventPage,
    FAQPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    NoticeAttachment,
    NoticeCategory,
    NoticeIndexPage,
    NoticePage,
    ProjectBookEntry,
    ProjectBookIndexPage,
    ProjectBookPage,
    StandardPage,
)

INTRO = "居民、社区、社会组织和爱心企业一起，把身边的需求变成看得见的项目。"
BODY = (
    "<p>共治平台汇集居民诉求，限时办结、跟踪回访；把同类诉求合并成社会项目，"
    "发布在项目推介书里，由社会组织承接、企业和爱心人士认领资助；居民议事会和听证会让大家的事大家商量着办。</p>"
)


@demo_step(order=50, after=["portal.regions.demo"])
def load(ctx):
    home = HomePage.objects.filter(locale=Locale.get_default()).first()
    if home is None:
        root = Page.get_first_root_node()
        home = root.add_child(
            instance=HomePage(title="共治 · 西港区社区共治平台", slug="home-gongzhi", intro=INTRO, body=BODY)
        )
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="共治")
    elif site.root_page_id != home.pk:
        old = site.root_page
        site.root_page = home
        site.site_name = "共治"
        site.save()
        if old.depth > 1 and not isinstance(old.specific, HomePage) and old.get_children_count() == 0:
            old.delete()  # Wagtail's "Welcome" placeholder
    ctx["home"] = home
    return "home page"


# --- dates ---------------------------------------------------------------------


class _Calendar:
    """Demo dates relative to today, in the site's time zone, and how the pages write them."""

    WEEKDAYS = "一二三四五六日"

    def __init__(self):
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)
        # Deadlines and meetings fall on working days, whatever day the demo is loaded.
        self.venture_deadline = self.workday(28)
        self.fair = self.workday(12)
        self.fair_signup = self.workday(self.fair - 3, later=False)
        self.hearing = self.workday(5)
        self.hearing_signup = self.workday(self.hearing - 2, later=False)
        self.grid_deadline = self.workday(5)
        self.volunteer_deadline = self.workday(16)
        self.council = self.workday(-18)
        self.autumn_fair = self.workday(-39, later=False)

    def workday(self, days, later=True):
        """`days` from today, moved off a weekend: to the Monday after, or the Friday before."""
        while self.day(days).weekday() >= 5:
            days += 1 if later else -1
        return days

    def day(self, days):
        return self.today + timedelta(days=days)

    def at(self, days, hour=9, minute=0):
        return timezone.make_aware(datetime.combine(self.day(days), time(hour, minute)))

    def md(self, days):
        d = self.day(days)
        return f"{d.month}月{d.day}日（星期{self.WEEKDAYS[d.weekday()]}）"

    def ymd(self, days):
        d = self.day(days)
        return f"{d.year}年{d.month}月{d.day}日"

    # The same dates as the English pages write them: "Thursday 3 December", "3 December 2026".
    WEEKDAYS_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    MONTHS_EN = [
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ]  # fmt: skip

    def md_en(self, days):
        d = self.day(days)
        return f"{self.WEEKDAYS_EN[d.weekday()]} {d.day} {self.MONTHS_EN[d.month - 1]}"

    def ymd_en(self, days):
        d = self.day(days)
        return f"{d.day} {self.MONTHS_EN[d.month - 1]} {d.year}"


# --- projects ------------------------------------------------------------------


def _edition(number):
    """The projects an edition of the project book lists, in the order of the projects demo's table."""
    from marketplace.needs.demo_projects import PROJECTS
    from marketplace.projects.models import Project

    titles = [p.title for p in PROJECTS if number in p.books]
    by_title = {p.title: p for p in Project.objects.filter(title__in=titles)}
    return [by_title[t] for t in titles if t in by_title]


def _approved_projects():
    """The quarter's projects approved in the joint review, as the public notice lists them."""
    from marketplace.needs.demo_projects import PROJECTS

    return [f"{p.title}（{p.undertaker}）" for p in PROJECTS if p.venture]


def _approved_projects_en():
    """The same list on the English page: the projects' own (Chinese) titles, marked as Chinese, and
    the organisations by their English names."""
    from marketplace.needs.demo_projects import PROJECTS
    from portal.organisations.demo import ENGLISH_NAMES

    return [
        f'<span lang="zh-hans">{p.title}</span> ({ENGLISH_NAMES.get(p.undertaker, p.undertaker)})'
        for p in PROJECTS
        if p.venture
    ]


# --- a small PDF for the notice attachment -------------------------------------


def _pdf(title, lines):
    """A one-page PDF in Chinese, set in STSong-Light, a font every PDF reader supplies (nothing embedded)."""

    def text(s):
        return "<" + s.encode("utf-16-be").hex().upper() + ">"

    ops = ["BT", "/F1 16 Tf", "72 770 Td", f"{text(title)} Tj", "/F1 11 Tf", "18 TL", "T*"]
    for line in lines:
        for start in range(0, len(line), 38) if line else [0]:
            ops += ["T*", f"{text(line[start : start + 38])} Tj"]
    ops.append("ET")
    stream = "\n".join(ops).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >>"
        b" /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light"
        b" /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >>"
        b" /FontDescriptor 7 0 R /DW 1000 /W [1 95 500] >>",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880]"
        b" /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _guide_document(cal, user):
    Document = get_document_model()
    title = f"{cal.day(0).year + 1}年度社区公益创投项目申报指南"
    document = Document.objects.filter(title=title).first()
    if document is None:
        content = _pdf(
            title,
            [
                "一、申报主体：在西港区登记注册或在西港区开展服务满一年的社会组织。",
                "二、申报领域：养老服务、助残服务、儿童关爱、环境治理、垃圾分类、社区文化、就业帮扶。",
                "三、扶持标准：按项目总投资和受益人数分档配套，单个项目配套资金最高20万元，"
                "受益人数500人以上的项目可申请最高50%的配套比例。",
                f"四、申报时间：即日起至{cal.ymd(cal.venture_deadline)}17:00，逾期不予受理。",
                "五、申报方式：登录共治平台“社会组织”栏目在线申报，同时提交盖章的纸质材料一式三份。",
                "六、评审程序：资格审查、联合评审（职能部门、居民代表、专家）、结果公示七天。",
                "",
                "咨询电话：0411-83650365（西港区社会组织服务中心）",
            ],
        )
        document = Document(title=title, uploaded_by_user=user)
        document.file.save("community-venture-guide.pdf", ContentFile(content), save=False)
        document._set_document_file_metadata()
        document.save()
    return document


# --- pages -----------------------------------------------------------------------


def _add(parent, page, staff, *, published_at=None, publish=True):
    """Add a page under `parent`, written by the editor; the moderator publishes it (backdated) or it stays a draft."""
    editor, moderator = staff
    page.owner = editor
    if not publish:
        page.live = False
    parent.add_child(instance=page)
    revision = page.save_revision(user=editor, log_action=True)
    if publish:
        revision.publish(user=moderator)
        if published_at is not None:
            _backdate(page, published_at)
    return page


def _backdate(page, when):
    Page.objects.filter(pk=page.pk).update(
        first_published_at=when, last_published_at=when, latest_revision_created_at=when
    )
    Revision.page_revisions.filter(object_id=str(page.pk)).update(created_at=when)
    PageLogEntry.objects.filter(page_id=page.pk).update(timestamp=when)
    page.first_published_at = page.last_published_at = page.latest_revision_created_at = when


def _p(*paragraphs):
    return "".join(p if p.startswith("<") else f"<p>{p}</p>" for p in paragraphs)


def _ul(*items):
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def _notices(cal, streets, carried, added):
    """(days ago, fields, extras) for each notice, newest concerns first."""
    street = {s.name: s for s in streets}
    next_year = cal.day(0).year + 1
    approved = _approved_projects()
    return [
        (
            6,
            {
                "title": f"关于开展{next_year}年度社区公益创投项目申报工作的通知",
                "slug": "community-venture-call",
                "category": NoticeCategory.NOTICE,
                "issuing_body": "西港区民政局",
                "pinned": True,
                "summary": "面向全区社会组织征集养老、助残、儿童关爱、环境治理等领域的公益项目，"
                f"申报截止{cal.md(cal.venture_deadline)}。",
                "body": _p(
                    "各街道、社区，各社会组织：",
                    f"为进一步推动“三社联动”，引导社会组织参与基层治理，区民政局决定开展{next_year}年度"
                    "社区公益创投项目申报工作。现将有关事项通知如下：",
                    "<h3>一、申报范围</h3>",
                    _ul(
                        "养老服务：助餐、助浴、上门探访、认知症照护；",
                        "助残与儿童关爱：康复训练、四点半课堂、自闭症儿童融合活动；",
                        "环境治理与垃圾分类：楼院微更新、分类督导、绿色家庭创建；",
                        "社区文化与就业帮扶：文体团队培育、技能培训、零工对接。",
                    ),
                    "<h3>二、扶持方式</h3>",
                    "采取“申报制”与“党政部门交办”相结合的方式。立项项目按总投资额和受益人数分档给予配套资金，"
                    "单个项目最高20万元。项目实施全程接受居民监督，结项时召开成效评议会。",
                    "<h3>三、申报时间与方式</h3>",
                    f"即日起至{cal.md(cal.venture_deadline)}17:00。请登录共治平台在线提交申报书，详见附件《申报指南》。",
                    "咨询电话：0411-83650365。",
                ),
            },
            {"attachment": True, "english": True},
        ),
        (
            5,
            {
                "title": "关于举办冬季公益项目相亲会的通知",
                "slug": "winter-matchmaking-fair",
                "category": NoticeCategory.NOTICE,
                "issuing_body": "西港区社会组织服务中心",
                "pinned": True,
                "summary": f"{cal.md(cal.fair)}上午在365市民大楼举办，"
                "现场推介《社会项目推介书（2026年第3期）》收录项目，"
                "欢迎企业、基金会和爱心人士认领。",
                "body": _p(
                    "为促进社区需求与社会资源精准对接，区社会组织服务中心定于"
                    f"{cal.md(cal.fair)}上午9:00在西港区365市民大楼一楼多功能厅举办冬季公益项目相亲会。",
                    "<h3>活动内容</h3>",
                    _ul(
                        "社区代表逐一推介《社会项目推介书（2026年第3期）》收录的项目；",
                        "企业、基金会、爱心人士现场举牌认领、资助项目；",
                        "社会组织与社区面对面洽谈项目承接。",
                    ),
                    "<h3>参加方式</h3>",
                    f"请有意参加的单位于{cal.md(cal.fair_signup)}前在共治平台“活动”栏目报名，或致电0411-83650365。"
                    "现场认领的项目将在平台上公布资金到位和实施进展，接受居民监督。",
                ),
            },
            {"english": True},
        ),
        (
            2,
            {
                "title": "关于召开莲花山社区加装电梯项目听证会的公告",
                "slug": "lianhuashan-elevator-hearing",
                "category": NoticeCategory.NOTICE,
                "issuing_body": "白云街道办事处",
                "region": street["白云街道"],
                "summary": f"{cal.md(cal.hearing)}下午召开听证会，听取居民对莲花山小区3号楼、5号楼加装电梯方案的意见，"
                f"{cal.md(cal.hearing_signup)}前报名。",
                "body": _p(
                    "莲花山小区3号楼、5号楼部分居民提出加装电梯申请，方案涉及费用分摊、低层住户补偿和施工期间出行安排。"
                    "按照居民议事会议事规则，白云街道定于"
                    f"{cal.md(cal.hearing)}14:30在莲花山社区党群服务中心二楼议事厅召开听证会。",
                    "<h3>参加人员</h3>",
                    "两栋楼全体业主代表、社区居民议事会成员、物业公司、区住建局及设计单位代表。其他居民可旁听。",
                    "<h3>报名方式</h3>",
                    f"陈述人请于{cal.md(cal.hearing_signup)}前到社区服务站或在共治平台报名，每户限一名陈述人。"
                    "听证结果将在平台上公示。",
                ),
            },
            {"english": True},
        ),
        (
            4,
            {
                "title": "《社会项目推介书（2026年第3期）》收录项目公示",
                "slug": "project-book-2026-3-public-notice",
                "category": NoticeCategory.PUBLIC_NOTICE,
                "issuing_body": "西港区社会组织服务中心",
                "summary": f"本期推介书收录{carried + added}个项目，公示期至{cal.md(3)}。",
                "body": _p(
                    "根据居民诉求合并情况和社区议事会意见，《社会项目推介书（2026年第3期）》"
                    f"拟收录社会项目{carried + added}个，其中上期结转{carried}个、本期新增{added}个，现予公示。",
                    f"公示期：{cal.ymd(-4)}至{cal.ymd(3)}。如有异议，请在公示期内通过共治平台留言或致电0411-83650365反映。",
                ),
            },
            {"expire_days": 3},
        ),
        (
            9,
            {
                "title": "日新街道公开招聘社区专职网格员公告",
                "slug": "rixin-grid-worker-recruitment",
                "category": NoticeCategory.RECRUITMENT,
                "issuing_body": "日新街道办事处",
                "region": street["日新街道"],
                "summary": f"招聘专职网格员6名，报名截止{cal.md(cal.grid_deadline)}。",
                "body": _p(
                    "为充实网格力量，日新街道面向社会公开招聘社区专职网格员6名。",
                    _ul(
                        "年龄18至45周岁，大专及以上学历，熟悉西港区情况者优先；",
                        "能熟练使用手机和电脑，每天按时巡查网格、走访居民、填写民情日志；",
                        "待遇按区社区工作者薪酬标准执行，缴纳五险一金。",
                    ),
                    f"报名时间：即日起至{cal.md(cal.grid_deadline)}，报名地点：日新街道党群服务中心一楼。",
                ),
            },
            {},
        ),
        (
            14,
            {
                "title": "“邻里守望”冬季志愿者招募",
                "slug": "neighbourhood-watch-volunteers",
                "category": NoticeCategory.RECRUITMENT,
                "issuing_body": "邻里守望志愿者协会",
                "region": street["北京街道"],
                "summary": "招募40名志愿者，入冬后每周探访独居老人、检查楼道消防通道。",
                "body": _p(
                    "天气转冷，独居老人的取暖、用电和出行安全需要更多人关心。邻里守望志愿者协会联合北京街道"
                    "招募冬季志愿者40名。",
                    _ul(
                        "每周至少一次结对探访独居老人，帮忙检查燃气、电暖器；",
                        "雪后协助清扫楼前道路，检查楼道是否堆放杂物、消防通道是否畅通；",
                        "发现问题通过共治平台随手上报，由网格员跟进处理。",
                    ),
                    f"报名截止{cal.md(cal.volunteer_deadline)}。志愿服务时长计入全国志愿服务信息系统。",
                ),
            },
            {},
        ),
        (
            24,
            {
                "title": "关于召开香炉礁街道居民议事会第四季度例会的通知",
                "slug": "xianglujiao-council-q4",
                "category": NoticeCategory.NOTICE,
                "issuing_body": "香炉礁街道办事处",
                "region": street["香炉礁街道"],
                "summary": f"{cal.md(cal.council)}晚召开，议题：春风小区停车秩序整治、沿海社区垃圾分类督导。",
                "body": _p(
                    f"香炉礁街道居民议事会定于{cal.md(cal.council)}18:30在街道市民议事厅召开第四季度例会。",
                    "<h3>议题</h3>",
                    _ul(
                        "春风小区停车秩序整治方案（事前问政，已收集居民意见63条）；",
                        "沿海社区垃圾分类督导员安排；",
                        "第三季度议定事项办理情况通报。",
                    ),
                    "欢迎居民旁听，会议纪要和表决结果将在会后三个工作日内在平台公布。",
                ),
            },
            {},
        ),
        (
            33,
            {
                "title": "《西港区社会项目配套资金管理办法》政策解读",
                "slug": "matching-funds-policy",
                "category": NoticeCategory.POLICY,
                "issuing_body": "西港区民政局",
                "summary": "配套资金按项目总投资和受益人数分档核定，资金分阶段拨付，全程接受监管。",
                "body": _p(
                    "为规范社会项目配套资金使用，区民政局、区财政局联合印发《西港区社会项目配套资金管理办法》。主要内容如下：",
                    _ul(
                        "<b>适用范围</b>：收录于社会项目推介书、由社会组织承接实施的社会项目；",
                        "<b>配套比例</b>：按项目总投资和受益人数分档，受益500人以上的项目最高可获50%配套，"
                        "单个项目最高20万元；",
                        "<b>拨付方式</b>：签约后拨付40%，中期评估合格后拨付40%，成效评议会通过后拨付20%；",
                        "<b>监督管理</b>：项目进展、资金使用情况在共治平台公开，居民可随时查看和评价。",
                    ),
                    "办法自发布之日起施行。",
                ),
            },
            {},
        ),
        (
            40,
            {
                "title": "望海社区老旧小区改造施工期间交通疏导公告",
                "slug": "wanghai-renovation-traffic",
                "category": NoticeCategory.ANNOUNCEMENT,
                "issuing_body": "海滨街道办事处",
                "region": street["海滨街道"],
                "summary": "望海小区改造进入管网施工阶段，小区北门临时封闭，请居民由东门出入。",
                "body": _p(
                    "望海小区老旧小区改造工程进入地下管网更换阶段。为保障施工安全，小区北门自即日起临时封闭约六周，"
                    "车辆和行人请由东门出入。",
                    "施工期间，每天7:00至8:00、17:00至18:30为居民出行高峰，不安排大型机械作业。"
                    "如有问题请拨打365市民服务热线或在共治平台提交诉求。",
                ),
            },
            {},
        ),
        (
            46,
            {
                "title": "西港区居民议事会议事规则（2026年修订）",
                "slug": "council-rules-2026",
                "category": NoticeCategory.POLICY,
                "issuing_body": "西港区听证议事中心",
                "summary": "明确议题征集、事前问政、会议表决和事后通报的程序，表决事项须过半数代表同意。",
                "body": _p(
                    "为让“大家的事大家商量着办”，区听证议事中心对居民议事会议事规则进行了修订。",
                    _ul(
                        "<b>议题征集</b>：居民可随时在平台提出议题，获得20名以上居民支持的议题纳入议程；",
                        "<b>事前问政</b>：会议议程至少提前七天公布，公开征集意见；",
                        "<b>会议表决</b>：到会代表过半数方可开会，表决事项须经到会代表过半数同意；",
                        "<b>事后通报</b>：会议纪要和表决结果三个工作日内公布，议定事项办理情况每季度通报。",
                    ),
                ),
            },
            {},
        ),
        (
            52,
            {
                "title": "2026年第三季度“居民点单”公益项目立项结果公示",
                "slug": "q3-projects-public-notice",
                "category": NoticeCategory.PUBLIC_NOTICE,
                "issuing_body": "西港区民政局",
                "summary": f"经联合评审，拟立项公益项目{len(approved)}个，公示期七天。",
                "body": _p(
                    "经资格审查和联合评审（职能部门、居民代表、专家共同打分），"
                    f"拟对以下{len(approved)}个项目予以立项并给予配套资金：",
                    _ul(*approved),
                    f"公示期：{cal.ymd(-52)}至{cal.ymd(-45)}。",
                ),
            },
            {"expire_days": -45},  # the public notice period is over: hidden, though still live in the CMS
        ),
        (
            58,
            {
                "title": "人民广场街道垃圾分类定时定点投放时间调整公告",
                "slug": "renminguangchang-waste-sorting-hours",
                "category": NoticeCategory.ANNOUNCEMENT,
                "issuing_body": "人民广场街道办事处",
                "region": street["人民广场街道"],
                "summary": "根据居民议事会意见，早间投放时间提前至6:30，晚间延长至21:00。",
                "body": _p(
                    "不少居民反映早上上班前赶不上投放时间。经各社区居民议事会商议，人民广场街道各小区"
                    "垃圾分类定时定点投放时间调整为：早6:30至8:30，晚18:00至21:00。",
                    "投放时段内督导员在岗指导，其他时段可投放至各小区的误时投放点。",
                ),
            },
            {},
        ),
        (
            19,
            {
                "title": "365市民服务中心冬季服务安排",
                "slug": "365-winter-service-hours",
                "category": NoticeCategory.ANNOUNCEMENT,
                "issuing_body": "西港区365市民服务中心",
                "summary": "热线全天24小时受理；服务窗口周六上午照常办公；供暖、水电诉求限时两小时响应。",
                "body": _p(
                    "进入供暖季，西港区365市民服务中心调整冬季服务安排：",
                    _ul(
                        "365市民服务热线全天24小时受理，网站和微信渠道随时可提交诉求；",
                        "一楼服务窗口工作日8:30至17:00，周六上午照常办公；",
                        "涉及供暖、停水停电、路面结冰的诉求，两小时内响应，限时办结。",
                    ),
                    "做群众需要的事，做事让群众满意。欢迎居民在办结后对服务进行评价。",
                ),
            },
            {},
        ),
        (
            1,
            {
                "title": "2026年度社会组织等级评估结果公告",
                "slug": "ngo-rating-results-2026",
                "category": NoticeCategory.ANNOUNCEMENT,
                "issuing_body": "西港区民政局",
                "summary": "（待审核）2026年度社会组织等级评估结果。",
                "body": _p("经评估委员会审定，现将2026年度社会组织等级评估结果公告如下：（名单待核对）"),
            },
            {"draft": True},
        ),
    ]


def _notices_en(cal, carried, added):
    """The English translation of each notice (by slug): what an English-speaking resident or a foreign NGO
    reads, with every date, time and deadline of the Chinese notice."""
    next_year = cal.day(0).year + 1
    approved = _approved_projects_en()
    book3 = "the Community Project Book (2026, issue 3)"
    return {
        "community-venture-call": {
            "title": f"Call for community venture projects for {next_year}",
            "issuing_body": "Xigang District Civil Affairs Bureau",
            "summary": "Social organisations across the district are invited to propose projects in elderly care, "
            "disability support, children, the environment and more. Proposals close at 17:00 on "
            f"{cal.md_en(cal.venture_deadline)}.",
            "body": _p(
                "To all subdistricts, communities and social organisations:",
                "To bring communities, social organisations and social workers closer together and involve "
                "social organisations in local governance, the district Civil Affairs Bureau invites proposals "
                f"for community venture projects for {next_year}.",
                "<h3>1. Fields</h3>",
                _ul(
                    "Elderly care: meals, bathing, home visits, dementia care;",
                    "Disability and children: rehabilitation, after-school classes, inclusive activities for "
                    "autistic children;",
                    "Environment and waste sorting: small courtyard renewals, sorting supervision, green households;",
                    "Culture and employment: resident groups, skills training, odd-job matching.",
                ),
                "<h3>2. Support</h3>",
                "Projects are proposed by social organisations or assigned by Party and government departments. "
                "Approved projects receive matching funds set by their budget and number of beneficiaries, up to "
                "200,000 yuan each. Residents supervise every project until an evaluation meeting closes it.",
                "<h3>3. When and how to apply</h3>",
                f"From today until 17:00 on {cal.md_en(cal.venture_deadline)}. Submit your proposal on the Gongzhi "
                "platform; the attached guide (in Chinese) has the details.",
                "Enquiries: 0411-83650365.",
            ),
            "attachments": lambda attachments: [
                _with_title(a, "Application guide (PDF, in Chinese)") for a in attachments
            ],
        },
        "winter-matchmaking-fair": {
            "title": "Winter matchmaking fair for community projects",
            "issuing_body": "Xigang Social Organisation Service Centre",
            "summary": f"On the morning of {cal.md_en(cal.fair)} at the 365 Citizens' Building: communities present "
            f"the projects of {book3}, and companies, foundations and donors are welcome to adopt them.",
            "body": _p(
                "To match what communities need with the resources to meet it, the district Social Organisation "
                f"Service Centre holds its winter matchmaking fair at 9:00 on {cal.md_en(cal.fair)} in the "
                "multi-purpose hall on the ground floor of Xigang's 365 Citizens' Building.",
                "<h3>What happens</h3>",
                _ul(
                    f"Community representatives present each project of {book3};",
                    "Companies, foundations and donors raise their paddles to adopt and fund projects on the spot;",
                    "Social organisations and communities meet to agree who runs each project.",
                ),
                "<h3>How to take part</h3>",
                f"Organisations wishing to attend please register by {cal.md_en(cal.fair_signup)} on the Events page "
                "of the Gongzhi platform, or call 0411-83650365. For every project adopted at the fair, the money "
                "received and the progress made are published on the platform for residents to follow.",
            ),
        },
        "lianhuashan-elevator-hearing": {
            "title": "Public hearing on adding lifts to Lianhuashan buildings 3 and 5",
            "issuing_body": "Baiyun Subdistrict Office",
            "summary": f"A public hearing at 14:30 on {cal.md_en(cal.hearing)} on the plan to add lifts to buildings 3 "
            f"and 5 of the Lianhuashan estate. Speakers register by {cal.md_en(cal.hearing_signup)}.",
            "body": _p(
                "Residents of buildings 3 and 5 of the Lianhuashan estate have applied to have lifts added. The plan "
                "touches on how the cost is shared, what ground-floor owners receive and how people get in and out "
                "during the works. Under the residents' council rules, Baiyun Subdistrict holds a public hearing at "
                f"14:30 on {cal.md_en(cal.hearing)} in the council room on the second floor of the Lianhuashan "
                "community Party and community service centre.",
                "<h3>Who takes part</h3>",
                "Representatives of the owners of both buildings, members of the community's residents' council, the "
                "property company, the district Housing and Urban-Rural Development Bureau and the designers. Any "
                "other resident may attend and listen.",
                "<h3>How to register</h3>",
                f"To speak at the hearing, register by {cal.md_en(cal.hearing_signup)} at the community service "
                "station or on the Gongzhi platform; one speaker per household. The outcome of the hearing is "
                "published on the platform.",
            ),
        },
        "project-book-2026-3-public-notice": {
            "title": "Public notice: the projects of the Community Project Book (2026, issue 3)",
            "issuing_body": "Xigang Social Organisation Service Centre",
            "summary": f"This issue is to list {carried + added} projects. Comments are open until {cal.md_en(3)}.",
            "body": _p(
                "Drawing on the residents' requests merged into projects and on the views of the communities' "
                f"residents' councils, {book3} is to list {carried + added} community projects: {carried} carried "
                f"over from the previous issue and {added} new. They are published here for public comment.",
                f"Comment period: {cal.ymd_en(-4)} to {cal.ymd_en(3)}. To raise an objection, leave a message on the "
                "Gongzhi platform or call 0411-83650365 within the period.",
            ),
        },
        "rixin-grid-worker-recruitment": {
            "title": "Rixin Subdistrict is hiring full-time grid workers",
            "issuing_body": "Rixin Subdistrict Office",
            "summary": f"Six full-time grid workers wanted. Applications close on {cal.md_en(cal.grid_deadline)}.",
            "body": _p(
                "To strengthen its grid teams, Rixin Subdistrict is openly recruiting six full-time community grid "
                "workers.",
                _ul(
                    "Aged 18 to 45, with a college diploma or higher; knowing Xigang well is an advantage;",
                    "At ease with a phone and a computer; patrols the grid every day, visits residents and keeps the "
                    "daily grid log;",
                    "Paid on the district's scale for community workers, with full social insurance and housing fund.",
                ),
                f"Apply from today until {cal.md_en(cal.grid_deadline)} on the ground floor of the Rixin Subdistrict "
                "Party and community service centre.",
            ),
        },
        "neighbourhood-watch-volunteers": {
            "title": "Neighbourhood Watch: winter volunteers wanted",
            "issuing_body": "Neighbourhood Watch Volunteers Association",
            "summary": "40 volunteers wanted to visit older people who live alone every week this winter and to check "
            "stairwells and fire escapes.",
            "body": _p(
                "As the weather turns cold, older people who live alone need more of us to look out for their "
                "heating, their electricity and their safety when they go out. The Neighbourhood Watch Volunteers "
                "Association and Beijingjie Subdistrict are recruiting 40 winter volunteers.",
                _ul(
                    "Visit an older person who lives alone at least once a week, and help check the gas and the "
                    "electric heaters;",
                    "After snow, help clear the paths in front of the buildings, and check that stairwells are free of "
                    "clutter and fire escapes clear;",
                    "Report any problem on the Gongzhi platform as you find it; the grid worker follows it up.",
                ),
                f"Applications close on {cal.md_en(cal.volunteer_deadline)}. Volunteer hours are recorded in the "
                "national volunteer service system.",
            ),
        },
        "xianglujiao-council-q4": {
            "title": "Xianglujiao residents' council: fourth-quarter meeting",
            "issuing_body": "Xianglujiao Subdistrict Office",
            "summary": f"On the evening of {cal.md_en(cal.council)}. Agenda: parking in the Chunfeng estate, and "
            "waste-sorting supervisors in Yanhai Community.",
            "body": _p(
                "The Xianglujiao residents' council holds its fourth-quarter meeting at 18:30 on "
                f"{cal.md_en(cal.council)} in the subdistrict's citizens' meeting hall.",
                "<h3>Agenda</h3>",
                _ul(
                    "The plan to bring order to parking in the Chunfeng estate (residents consulted beforehand: 63 "
                    "comments received);",
                    "Waste-sorting supervisors for Yanhai Community;",
                    "Report on the decisions of the third quarter and how they have been carried out.",
                ),
                "Residents are welcome to attend. The minutes and the results of the votes are published on the "
                "platform within three working days of the meeting.",
            ),
        },
        "matching-funds-policy": {
            "title": "Explained: Xigang's rules on matching funds for community projects",
            "issuing_body": "Xigang District Civil Affairs Bureau",
            "summary": "Matching funds are set by a project's budget and number of beneficiaries, paid in stages and "
            "supervised throughout.",
            "body": _p(
                "To regulate the use of matching funds, the district Civil Affairs Bureau and Finance Bureau have "
                "jointly issued the Measures for Managing Matching Funds for Community Projects in Xigang District. "
                "The main points:",
                _ul(
                    "<b>Scope</b>: community projects listed in a project book and run by a social organisation;",
                    "<b>Share</b>: set by the project's budget and number of beneficiaries; a project that benefits "
                    "more than 500 people may receive up to 50%, and no project more than 200,000 yuan;",
                    "<b>Payment</b>: 40% on signing, 40% after a satisfactory mid-term review and 20% once the "
                    "evaluation meeting has approved the results;",
                    "<b>Supervision</b>: progress and spending are published on the Gongzhi platform, where residents "
                    "can follow and rate them at any time.",
                ),
                "The measures take effect on the day of publication.",
            ),
        },
        "wanghai-renovation-traffic": {
            "title": "Wanghai estate renovation: getting in and out during the works",
            "issuing_body": "Haibin Subdistrict Office",
            "summary": "The renovation of the Wanghai estate has reached the pipework: the north gate is closed for "
            "now, please use the east gate.",
            "body": _p(
                "The renovation of the Wanghai estate has reached the replacement of its underground pipes. For "
                "everyone's safety the north gate is closed from today for about six weeks; vehicles and pedestrians "
                "please use the east gate.",
                "While the works last, no heavy machinery runs in the residents' rush hours, 7:00–8:00 and "
                "17:00–18:30. For any problem, call the 365 citizens' hotline or submit a request on the Gongzhi "
                "platform.",
            ),
        },
        "council-rules-2026": {
            "title": "Rules of procedure for Xigang's residents' councils (2026 revision)",
            "issuing_body": "Xigang Hearings and Deliberation Centre",
            "summary": "How topics are raised, residents consulted, votes taken and results reported; a decision needs "
            "the votes of more than half of the representatives present.",
            "body": _p(
                "So that “what concerns everyone is talked over by everyone”, the district's Hearings and "
                "Deliberation Centre has revised the rules of procedure of the residents' councils.",
                _ul(
                    "<b>Topics</b>: residents may propose a topic on the platform at any time; a topic supported by "
                    "20 residents or more goes on the agenda;",
                    "<b>Consultation</b>: the agenda is published at least seven days before the meeting, and "
                    "everyone's comments are invited;",
                    "<b>Votes</b>: a meeting needs more than half of the representatives present, and a decision the "
                    "votes of more than half of those present;",
                    "<b>Reporting</b>: the minutes and the results are published within three working days, and "
                    "progress on the decisions every quarter.",
                ),
            ),
        },
        "q3-projects-public-notice": {
            "title": "Public notice: community projects approved for the third quarter of 2026",
            "issuing_body": "Xigang District Civil Affairs Bureau",
            "summary": f"After a joint review, {len(approved)} projects are to be approved; the notice period is "
            "seven days.",
            "body": _p(
                "After an eligibility check and a joint review (scored together by departments, residents' "
                f"representatives and experts), the following {len(approved)} projects are to be approved and given "
                "matching funds:",
                _ul(*approved),
                f"Notice period: {cal.ymd_en(-52)} to {cal.ymd_en(-45)}.",
            ),
        },
        "renminguangchang-waste-sorting-hours": {
            "title": "Renmin Square: new times for putting out sorted waste",
            "issuing_body": "Renmin Square Subdistrict Office",
            "summary": "As the residents' councils asked, the morning drop-off now starts at 6:30 and the evening one "
            "runs until 21:00.",
            "body": _p(
                "Many residents told us they could not make the morning drop-off before going to work. After talking "
                "it over in each community's residents' council, the fixed times for putting out sorted waste in "
                "every Renmin Square estate are now 6:30–8:30 in the morning and 18:00–21:00 in the evening.",
                "Supervisors are on hand to help during these times; outside them, please use your estate's late "
                "drop-off point.",
            ),
        },
        "365-winter-service-hours": {
            "title": "365 Citizens' Service Centre: winter arrangements",
            "issuing_body": "Xigang 365 Citizens' Service Centre",
            "summary": "The hotline answers 24 hours a day; the counters also open on Saturday mornings; requests "
            "about heating, water and power get a response within two hours.",
            "body": _p(
                "With the heating season under way, the Xigang 365 Citizens' Service Centre changes its arrangements "
                "for the winter:",
                _ul(
                    "The 365 citizens' hotline answers 24 hours a day, and requests can be submitted on the website "
                    "and on WeChat at any time;",
                    "The ground-floor counters are open 8:30–17:00 on working days, and on Saturday mornings too;",
                    "Requests about heating, water or power cuts and icy roads get a response within two hours and are "
                    "resolved on a deadline.",
                ),
                "Do what people need, and do it to their satisfaction. Please rate our service once your request "
                "has been resolved.",
            ),
        },
    }


def _news(cal):
    return [
        (
            -cal.autumn_fair - 1,  # the day after the fair
            {
                "title": "秋季公益项目相亲会现场认领项目18个",
                "slug": "autumn-fair-18-projects-adopted",
                "intro": "32家企业和基金会、21家社会组织走进365市民大楼，为社区项目“牵线搭桥”。",
                "body": [
                    (
                        "paragraph",
                        RichText(
                            _p(
                                "西港区秋季公益项目相亲会在365市民大楼举行。来自7个街道的社区代表推介了"
                                "《社会项目推介书（2026年第2期）》中的项目，32家企业和基金会、21家社会组织参加。",
                                "现场举牌资助项目18个，认捐金额合计86.4万元。长者助餐、四点半课堂和楼院无障碍改造"
                                "最受关注，春晖社会工作服务中心、星星雨自闭症儿童关爱中心等社会组织现场与社区签订承接意向。",
                            )
                        ),
                    ),
                    ("quote", "以前是我们到处找钱，现在是企业拿着推介书来找项目。"),
                    ("heading", "认领之后怎么办"),
                    (
                        "paragraph",
                        RichText(
                            _p(
                                "举牌资助后，资金到位情况、项目进展和支出明细都会在共治平台上公开。项目结束时召开成效评议会，"
                                "由居民给项目打分，评议结果计入承接组织的服务记录。"
                            )
                        ),
                    ),
                ],
            },
        ),
        (
            16,
            {
                "title": "莲花山社区：加装电梯“商量着办”",
                "slug": "lianhuashan-lifts-talked-through",
                "intro": "从民情恳谈会到听证会，一部电梯背后是三个月的议事协商。",
                "body": [
                    (
                        "paragraph",
                        RichText(
                            _p(
                                "莲花山小区建于上世纪九十年代，60岁以上居民占四成。今年夏天，3号楼的居民通过共治平台"
                                "提出加装电梯的诉求，很快就有5号楼的居民附议。",
                                "社区先后召开两次民情恳谈会和一次事务协调会，请来设计单位逐户讲解方案。"
                                "低层住户担心采光和噪音，高层住户关心费用分摊——这些意见都记进了议事纪要。",
                            )
                        ),
                    ),
                    ("heading", "下一步：听证会"),
                    (
                        "paragraph",
                        RichText(
                            _p(
                                "按照居民议事会议事规则，方案将提交听证会，由业主代表陈述意见、议事会成员表决。"
                                "社区居委会主任说：“电梯装不装、怎么装，最后还是居民自己拿主意。”"
                            )
                        ),
                    ),
                ],
            },
        ),
        (
            50,
            {
                "title": "前三季度365市民服务中心受理群众诉求7.9万件",
                "slug": "365-first-three-quarters",
                "intro": "按时办结率96.8%，回访满意率98.6%。",
                "body": [
                    (
                        "paragraph",
                        RichText(
                            _p(
                                "今年前三季度，西港区365市民服务中心通过热线、网站、微信、网格员巡查和服务窗口"
                                "共受理群众诉求7.9万件，按时办结率96.8%，回访满意率98.6%。",
                                "诉求最集中的是物业管理、环境整治和停车管理。对同一小区反复出现的同类诉求，"
                                "中心将其合并为社会项目，推荐给社会组织和爱心企业，从源头上解决问题。",
                            )
                        ),
                    ),
                    ("quote", "做群众需要的事，做事让群众满意。"),
                ],
            },
        ),
    ]


NEWS_EN = {
    "autumn-fair-18-projects-adopted": {
        "title": "18 projects adopted at the autumn matchmaking fair",
        "intro": "32 companies and foundations and 21 social organisations came to the 365 Citizens' Building to "
        "find partners for community projects.",
        "body": [
            (
                "paragraph",
                RichText(
                    _p(
                        "Xigang's autumn matchmaking fair for community projects was held at the 365 Citizens' "
                        "Building. Community representatives from all seven subdistricts presented the projects of "
                        "the Community Project Book (2026, issue 2) to 32 companies and foundations and 21 social "
                        "organisations.",
                        "18 projects were adopted on the spot, with pledges totalling 864,000 yuan. Meals for older "
                        "people, after-school classes and barrier-free courtyards drew the most interest, and social "
                        "organisations such as the Chunhui Social Work Service Centre and the Stars and Rain Centre "
                        "for Children with Autism signed letters of intent with communities to run projects.",
                    )
                ),
            ),
            (
                "quote",
                "We used to go looking for money everywhere. Now companies come to us with the project book, "
                "looking for projects.",
            ),
            ("heading", "After the pledge"),
            (
                "paragraph",
                RichText(
                    _p(
                        "Once a project is adopted, the money received, its progress and its spending are published "
                        "on the Gongzhi platform. When it ends, an evaluation meeting lets residents score the "
                        "project, and the result goes into the record of the organisation that ran it."
                    )
                ),
            ),
        ],
    },
    "lianhuashan-lifts-talked-through": {
        "title": "Lianhuashan Community: talking a lift through",
        "intro": "From residents' forums to a public hearing: three months of deliberation behind one lift.",
        "body": [
            (
                "paragraph",
                RichText(
                    _p(
                        "The Lianhuashan estate was built in the 1990s, and four in ten of its residents are over 60. "
                        "This summer, residents of building 3 asked on the Gongzhi platform for a lift to be added, "
                        "and residents of building 5 soon joined the request.",
                        "The community held two residents' forums and a coordination meeting, and brought in the "
                        "designers to explain the plan door to door. Ground-floor residents worried about light and "
                        "noise, those higher up about how the cost would be shared — all of it went into the minutes.",
                    )
                ),
            ),
            ("heading", "Next: a public hearing"),
            (
                "paragraph",
                RichText(
                    _p(
                        "Under the residents' council rules, the plan now goes to a public hearing, where the owners' "
                        "representatives speak and the council members vote. As the head of the residents' committee "
                        "put it: “Whether to put in a lift, and how, is in the end for the residents to decide.”"
                    )
                ),
            ),
        ],
    },
    "365-first-three-quarters": {
        "title": "79,000 requests handled by the 365 Citizens' Service Centre in three quarters",
        "intro": "96.8% resolved on time; 98.6% of residents satisfied when followed up.",
        "body": [
            (
                "paragraph",
                RichText(
                    _p(
                        "In the first three quarters of the year, the Xigang 365 Citizens' Service Centre received "
                        "79,000 requests from residents by hotline, website, WeChat, grid workers' patrols and its "
                        "service counters. 96.8% were resolved on time, and 98.6% of the residents contacted "
                        "afterwards were satisfied.",
                        "Most requests concerned property management, the environment and parking. When the same "
                        "kind of request keeps coming from one estate, the centre merges them into a community "
                        "project and recommends it to social organisations and companies, to solve the problem at "
                        "its root.",
                    )
                ),
            ),
            ("quote", "Do what people need, and do it to their satisfaction."),
        ],
    },
}


def _book_intro_en(carried, added):
    total = carried + added
    listed = (
        f"This edition lists {total} community projects: {carried} carried over from the previous edition and "
        f"{added} new."
        if carried
        else f"This edition lists {total} community projects."
    )
    return _p(
        f"{listed} Each was built from several residents' requests, talked over by a residents' council and "
        "approved by its subdistrict before being published.",
        "Companies, foundations, social organisations and donors are welcome to adopt them — by funding them or by "
        "running them. Progress and spending are published on the platform as they happen.",
    )


BOOKS_EN = {
    "2026-2": {"title": "Community Project Book (2026, issue 2)", "edition": "2026, issue 2"},
    "2026-3": {"title": "Community Project Book (2026, issue 3)", "edition": "2026, issue 3"},
}

EVENTS_EN = {
    "winter-matchmaking-fair": {
        "title": "Winter matchmaking fair",
        "location": "Multi-purpose hall, ground floor, 365 Citizens' Building, Xigang",
        "intro": "Communities present their projects; companies, foundations and donors adopt them on the spot, and "
        "social organisations agree to run them.",
        "body": [
            (
                "paragraph",
                RichText(
                    _p(
                        "This fair presents the projects of the Community Project Book (2026, issue 3): children, "
                        "managing chronic illness, safe charging of e-bikes, jobs and repairs to old buildings.",
                        _ul(
                            "9:00 Registration; collect the project book",
                            "9:30 Communities present their projects",
                            "10:30 Pledges and talks",
                            "11:30 Close",
                        ),
                    )
                ),
            )
        ],
        "link_url": "/en/project-books/2026-3/",
        "link_text": "See this issue of the project book",
    },
    "lianhuashan-elevator-hearing": {
        "title": "Public hearing: lifts for Lianhuashan buildings 3 and 5",
        "location": "Council room, 2nd floor, Lianhuashan Community Party and community service centre",
        "intro": "Residents give their views on the plan to add lifts to buildings 3 and 5; council members vote at "
        "the hearing.",
        "body": [
            (
                "paragraph",
                RichText(
                    _p(
                        "Agenda: the plan is presented, the owners' representatives speak, the departments answer "
                        "questions and the council members vote. Speakers must register in advance; any other "
                        "resident may attend and listen."
                    )
                ),
            )
        ],
        "link_url": "/en/notices/lianhuashan-elevator-hearing/",
        "link_text": "Read the notice of the hearing",
    },
    "xianglujiao-council-q4": {
        "title": "Xianglujiao residents' council: fourth-quarter meeting",
        "location": "Citizens' meeting hall, Xianglujiao Subdistrict",
        "intro": "Agenda: the plan for parking in the Chunfeng estate; waste-sorting supervisors in Yanhai Community.",
        "body": [
            (
                "paragraph",
                RichText(
                    _p(
                        "The council approved the plan for parking in the Chunfeng estate (31 representatives "
                        "present, 27 in favour); resident volunteers will take turns as waste-sorting supervisors in "
                        "Yanhai Community. The minutes are published on the platform."
                    )
                ),
            )
        ],
    },
    "autumn-matchmaking-fair": {
        "title": "Autumn matchmaking fair",
        "location": "Multi-purpose hall, ground floor, 365 Citizens' Building, Xigang",
        "intro": "The projects of the Community Project Book (2026, issue 2) were presented; 18 were adopted on the "
        "spot.",
        "link_url": "/en/project-books/2026-2/",
        "link_text": "See issue 2 of the project book",
    },
}


def _book_intro(carried, added):
    return _p(
        f"本期推介书收录社会项目{carried + added}个"
        + (f"，其中上期结转{carried}个、本期新增{added}个。" if carried else "。")
        + "每个项目都由多条居民诉求合并而成，经社区居民议事会商议、街道审核后发布。",
        "欢迎企业、基金会、社会组织和爱心人士认领：可以资助资金，也可以承接实施。项目进展和资金使用情况在平台上实时公开。",
    )


BOOK_NOTES = {
    "new": "本期新增",
    "carried": "上期结转，欢迎继续认领",
    "first": "居民诉求集中，建议优先认领",
}
BOOK_NOTES_EN = {
    "本期新增": "New in this edition",
    "上期结转，欢迎继续认领": "Carried over from the previous edition, still open to adoption",
    "居民诉求集中，建议优先认领": "Asked for by many residents: a priority for adoption",
}


def _about_body(document):
    return [
        ("heading", "共治是什么"),
        (
            "paragraph",
            RichText(
                _p(
                    "共治是西港区的社区共治平台。居民的诉求从这里提交、分拨、限时办结、回访评价；同类诉求合并成社会项目，"
                    "编入社会项目推介书，由社会组织承接、企业和爱心人士认领资助；居民议事会和听证会让公共事务由大家商量着办。"
                )
            ),
        ),
        ("heading", "365工作体系"),
        (
            "paragraph",
            RichText(
                _p(
                    "平台延续西港区365工作体系的做法：以365市民大楼为信息、协调、分拨中心，365天、24小时"
                    "“全天候、全方位、全覆盖”为群众服务。支撑它的是六个系统：",
                    _ul(
                        "全社会网格化管理体系",
                        "社会矛盾大调解体系",
                        "外来人口管理服务体系",
                        "市民听证议事体系",
                        "社会组织管理体系",
                        "舆情信息管理体系",
                    ),
                )
            ),
        ),
        ("quote", "做群众需要的事，做事让群众满意。"),
        ("heading", "从诉求到项目"),
        (
            "paragraph",
            RichText(
                _p(
                    "居民诉求 → 分类汇总 → 合并成项目 → 编入推介书 → 企业、基金会、社会组织认领资助并实施 → "
                    "居民全程监督、成效评议 → 结果公开。",
                    "每一步都在平台上留痕：谁提的、谁办的、用了多少钱、居民满不满意，大家都看得见。",
                )
            ),
        ),
        ("document", {"document": document, "title": "社区公益创投项目申报指南（PDF）"}),
    ]


def _about_body_en(document):
    return [
        ("heading", "What Gongzhi is"),
        (
            "paragraph",
            RichText(
                _p(
                    "Gongzhi (<span lang='zh-hans'>共治</span>, “governing together”) is Xigang district's community "
                    "platform. Residents' requests "
                    "are submitted, dispatched, resolved within a deadline and followed up here. Similar requests are "
                    "merged into community projects and published in project books, where NGOs take them on and "
                    "companies and donors fund them. Residents' councils and public hearings let people decide public "
                    "matters together."
                )
            ),
        ),
        ("heading", "The 365 work system"),
        (
            "paragraph",
            RichText(
                _p(
                    "The platform carries on Xigang's 365 work system: the 365 Citizens' Building receives, "
                    "coordinates and dispatches requests 24 hours a day, 365 days a year, supported by six systems:",
                    _ul(
                        "grid management across the whole district",
                        "mediation of disputes",
                        "services for newcomers to the district",
                        "public hearings and residents' councils",
                        "support for social organisations",
                        "public opinion monitoring",
                    ),
                )
            ),
        ),
        ("quote", "Do what people need, and do it to their satisfaction."),
        ("heading", "From requests to projects"),
        (
            "paragraph",
            RichText(
                _p(
                    "Requests → classified and pooled → merged into projects → published in a project book → adopted, "
                    "funded and run by companies, foundations and NGOs → supervised and evaluated by residents → "
                    "results published. Every step leaves a public trace."
                )
            ),
        ),
        ("document", {"document": document, "title": "Community venture guide (PDF, in Chinese)"}),
    ]


FAQ = [
    (
        "怎样提交诉求？",
        "登录后点击“我要反映”，填写问题、位置并上传照片即可；也可以拨打365市民服务热线、在微信公众号留言，"
        "或直接告诉你所在网格的网格员。不同渠道提交的诉求都会进入平台统一办理。",
        "How do I report a problem?",
        "Log in, open the needs page and submit a need: describe it, say where it is and add photos. You can also call "
        "the 365 hotline, write to the WeChat account or tell your grid worker: every channel ends up in the same "
        "queue.",
    ),
    (
        "提交后多久有人处理？",
        "诉求实行限时办结：受理后分拨到责任部门并设定办理时限，一般诉求5个工作日内答复，紧急问题优先处理。"
        "超过时限未办结的，系统会自动向上一级发出督办单。办结后我们会回访，请你对结果打分。",
        "How soon will someone deal with it?",
        "Every request has a deadline. It is dispatched to the department responsible and answered within five "
        "working days as a rule, sooner when urgent. Overdue requests are escalated automatically, and you are asked "
        "to rate the outcome afterwards.",
    ),
    (
        "什么是社会项目？为什么要“合并同类项”？",
        "很多诉求不是哪一个部门能单独解决的，比如老人吃饭难、孩子放学没人管。我们把同一类、同一片区的诉求合并成一个社会项目，"
        "写清楚预算和受益人，编入社会项目推介书，请社会组织承接、企业和爱心人士资助。",
        "What is a community project, and why merge requests?",
        "Many problems — older people who cannot cook, children with nowhere to go after school — are beyond any "
        "single department. Similar requests from one area are merged into a project with a budget and beneficiaries, "
        "published in a project book for NGOs to run and companies and donors to fund.",
    ),
    (
        "企业或个人怎样认领、资助项目？",
        "在“社会项目推介书”里选择项目，点击“认领”或“资助”，可以在线支付，也可以登记线下认捐。"
        "资金到位情况、项目进展和支出明细都会公开，项目结束后你会收到成效评议结果。",
        "How can a company or a donor adopt a project?",
        "Pick a project in a project book and choose “Adopt” or “Fund”: pay online or register an offline pledge. "
        "Funding, progress and spending are published, and you receive the evaluation when the project ends.",
    ),
    (
        "社会组织怎样申报和承接项目？",
        "社会组织先在平台注册并通过认证，然后可以响应公益创投等资金申报通知提交项目（申报制），"
        "也可以对推介书中的项目提出承接方案。立项项目按规定获得配套资金，实施过程接受全程监管。",
        "How do NGOs propose or take on projects?",
        "Register your organisation and have it verified. You can then answer funding calls with your own project, or "
        "offer to run a project from a project book. Approved projects receive matching funds and are supervised "
        "throughout.",
    ),
    (
        "什么是公益项目相亲会？",
        "相亲会是需求方（社区）、资源方（企业、基金会、爱心人士）和承接方（社会组织）面对面对接的活动。"
        "社区推介项目，资助方现场举牌认领，社会组织当场洽谈承接。活动时间在“活动”栏目发布。",
        "What is a matchmaking fair?",
        "A fair where communities (who need help), companies, foundations and donors (who can fund) and NGOs (who can "
        "do the work) meet. Communities present projects, funders pledge on the spot and NGOs agree to run them. See "
        "the Events page for dates.",
    ),
    (
        "居民议事会和听证会谁可以参加？",
        "议事会成员由居民代表组成，按议事规则表决；会议一般公开，居民都可以旁听，也可以在会前对议程提意见。"
        "听证会的陈述人需要提前报名，会议纪要和表决结果会在平台公布。",
        "Who can take part in residents' councils and hearings?",
        "Councils are made up of residents' representatives who vote under the council rules. Meetings are usually "
        "open: anyone may attend and comment on the agenda beforehand. Speakers at hearings register in advance; "
        "minutes and results are published.",
    ),
    (
        "我的个人信息会公开吗？",
        "不会。诉求公开时只显示问题和处理结果，你的姓名、电话和详细地址只有办理人员可以看到。",
        "Will my personal details be made public?",
        "No. Published requests show the problem and how it was resolved; your name, phone number and address are "
        "seen only by the staff handling it.",
    ),
]


# --- the step ----------------------------------------------------------------------


@demo_step(order=100, after=["marketplace.needs.demo_projects"])
def load_content(ctx):
    """Notices, news, project books, events, about and FAQ, with English translations of the main pages."""
    cal = _Calendar()
    zh = Locale.get_default()
    home = HomePage.objects.filter(locale=zh).first() or ctx["home"]
    if NoticeIndexPage.objects.filter(locale=zh).exists():
        return "CMS content (kept)"
    # Editors write pages, moderators publish them (Wagtail's Editors group may not publish).
    users = ctx.get("users", {})
    staff = (users.get("editor1"), users.get("moderator1"))
    streets = ctx["streets"]
    communities = {c.name: c for c in ctx["communities"]}
    document = _guide_document(cal, staff[0])
    if home.first_published_at and home.first_published_at > cal.at(-90, 8):
        _backdate(home, cal.at(-90, 8))  # the site went live with its sections

    def section(model, title, slug, intro):
        page = model(title=title, slug=slug, intro=intro, show_in_menus=True)
        return _add(home, page, staff, published_at=cal.at(-90, 9))

    notice_index = section(
        NoticeIndexPage, "通知公告", "notices", "西港区及各街道发布的通知、公告、公示、政策和招募信息。"
    )
    news_index = section(NewsIndexPage, "新闻动态", "news", "共治平台上的新鲜事：议事会、相亲会、项目进展。")
    book_index = section(
        ProjectBookIndexPage,
        "社会项目推介书",
        "project-books",
        "居民诉求合并成的社会项目按期编成推介书，欢迎企业、基金会、社会组织和爱心人士认领资助。",
    )
    event_index = section(EventIndexPage, "活动", "events", "公益项目相亲会、居民议事会、听证会和社区活动，欢迎参加。")
    about = _add(
        home,
        StandardPage(
            title="关于共治",
            slug="about",
            intro="西港区社区共治平台：大家的事大家商量着办。",
            body=_about_body(document),
            show_in_menus=True,
        ),
        staff,
        published_at=cal.at(-90, 10),
    )
    faq = _add(
        home,
        FAQPage(
            title="常见问题",
            slug="faq",
            intro="关于提交诉求、认领项目和参加议事的常见问题。",
            questions=[("question", {"question": q, "answer": RichText(_p(a))}) for q, a, _q, _a in FAQ],
            show_in_menus=True,
        ),
        staff,
        published_at=cal.at(-90, 10),
    )

    # The two project book editions: the 3rd keeps some of the 2nd, adds new projects, drops the funded and withdrawn.
    district = ctx["district"]
    first, third = _edition("2"), _edition("3")
    carried = [p for p in third if p in first]
    added = [p for p in third if p not in first]

    # Notices: published over the last two months; two pinned, one expired, one with an attachment, one draft.
    notices = {}
    for days, fields, extras in _notices(cal, streets, len(carried), len(added)):
        page = NoticePage(**fields)
        if extras.get("attachment"):
            page.attachments = [NoticeAttachment(document=document, title="申报指南（PDF）")]
        if extras.get("draft"):
            _add(notice_index, page, staff, publish=False)
        else:
            _add(notice_index, page, staff, published_at=cal.at(-days, 9, 30))
        if "expire_days" in extras:
            # Set after publishing, as if the expiry had come since (the admin refuses an expiry in the past).
            expire_at = cal.at(extras["expire_days"], 17, 0)
            NoticePage.objects.filter(pk=page.pk).update(expire_at=expire_at)
            page.expire_at = expire_at
        notices[page.slug] = page

    news = [
        _add(news_index, NewsPage(date=cal.day(-days), **fields), staff, published_at=cal.at(-days, 16))
        for days, fields in _news(cal)
    ]

    book2 = ProjectBookPage(
        title="社会项目推介书（2026年第2期）",
        slug="2026-2",
        edition="2026年第2期",
        edition_date=cal.day(-90),
        scope_region=district,
        introduction=_book_intro(0, len(first)),
        entries=[
            ProjectBookEntry(project=p, note=BOOK_NOTES["first"] if i < 2 else "", sort_order=i)
            for i, p in enumerate(first)
        ],
    )
    _add(book_index, book2, staff, published_at=cal.at(-90, 10))
    book3 = ProjectBookPage(
        title="社会项目推介书（2026年第3期）",
        slug="2026-3",
        edition="2026年第3期",
        edition_date=cal.day(-8),
        scope_region=district,
        introduction=_book_intro(len(carried), len(added)),
        entries=[ProjectBookEntry(project=p, note=BOOK_NOTES["new"], sort_order=i) for i, p in enumerate(added)]
        + [
            ProjectBookEntry(project=p, note=BOOK_NOTES["carried"], sort_order=len(added) + i)
            for i, p in enumerate(carried)
        ],
    )
    _add(book_index, book3, staff, published_at=cal.at(-8, 10))

    # Events: an upcoming fair and hearing, a past council meeting and the past fair the news reports on.
    events = [
        (
            -2,
            EventPage(
                title="冬季公益项目相亲会",
                slug="winter-matchmaking-fair",
                kind=EventKind.FAIR,
                starts_at=cal.at(cal.fair, 9),
                ends_at=cal.at(cal.fair, 11, 30),
                location="西港区365市民大楼一楼多功能厅",
                region=district,
                intro="社区推介项目，企业、基金会和爱心人士现场认领，社会组织洽谈承接。",
                body=[
                    (
                        "paragraph",
                        RichText(
                            _p(
                                "本次相亲会集中推介《社会项目推介书（2026年第3期）》收录的项目，"
                                "涵盖儿童关爱、慢病健康管理、电动车充电安全、就业帮扶和老楼修缮等领域。",
                                _ul(
                                    "9:00 签到，领取推介书",
                                    "9:30 社区代表推介项目",
                                    "10:30 举牌认领、现场洽谈",
                                    "11:30 结束",
                                ),
                            )
                        ),
                    )
                ],
                link_url="/project-books/2026-3/",
                link_text="查看本期推介书",
            ),
        ),
        (
            -2,
            EventPage(
                title="莲花山社区加装电梯项目听证会",
                slug="lianhuashan-elevator-hearing",
                kind=EventKind.MEETING,
                starts_at=cal.at(cal.hearing, 14, 30),
                ends_at=cal.at(cal.hearing, 16, 30),
                location="莲花山社区党群服务中心二楼议事厅",
                region=communities.get("莲花山社区", streets[1]),
                intro="听取居民对3号楼、5号楼加装电梯方案的意见，议事会成员现场表决。",
                body=[
                    (
                        "paragraph",
                        RichText(
                            _p(
                                "听证会议程：方案介绍、业主代表陈述、部门答疑、议事会成员表决。陈述人须提前报名，其他居民可旁听。"
                            )
                        ),
                    )
                ],
                link_url="/notices/lianhuashan-elevator-hearing/",
                link_text="查看听证会公告",
            ),
        ),
        (
            -24,
            EventPage(
                title="香炉礁街道居民议事会第四季度例会",
                slug="xianglujiao-council-q4",
                kind=EventKind.MEETING,
                starts_at=cal.at(cal.council, 18, 30),
                ends_at=cal.at(cal.council, 20, 30),
                location="香炉礁街道市民议事厅",
                region=streets[5],
                intro="议题：春风小区停车秩序整治方案、沿海社区垃圾分类督导。",
                body=[
                    (
                        "paragraph",
                        RichText(
                            _p(
                                "会议表决通过春风小区停车秩序整治方案（到会代表31人，同意27人），"
                                "沿海社区垃圾分类督导员由居民志愿者轮值。会议纪要已在平台公布。"
                            )
                        ),
                    )
                ],
            ),
        ),
        (
            -46,
            EventPage(
                title="秋季公益项目相亲会",
                slug="autumn-matchmaking-fair",
                kind=EventKind.FAIR,
                starts_at=cal.at(cal.autumn_fair, 9),
                ends_at=cal.at(cal.autumn_fair, 12),
                location="西港区365市民大楼一楼多功能厅",
                region=district,
                intro="推介《社会项目推介书（2026年第2期）》项目，现场认领18个。",
                link_url="/project-books/2026-2/",
                link_text="查看第2期推介书",
            ),
        ),
    ]
    for days, page in events:
        _add(event_index, page, staff, published_at=cal.at(days, 10))

    _translate_into_english(
        staff,
        zh,
        home=home,
        indexes=[notice_index, news_index, book_index, event_index],
        about=about,
        faq=faq,
        notices=[page for page in notices.values() if page.live],
        notices_en=_notices_en(cal, len(carried), len(added)),
        news=news,
        books={book2: _book_intro_en(0, len(first)), book3: _book_intro_en(len(carried), len(added))},
        events=[page for _days, page in events],
        document=document,
    )
    count = NoticePage.objects.filter(locale=zh).count()
    return f"{count} notices, 3 news, 2 project books, {len(events)} events, about, FAQ, English translations"


# --- English -----------------------------------------------------------------------

INDEXES_EN = {
    "notices": ("Notices", "Notices, announcements, public notice periods, policies and calls for volunteers."),
    "news": ("News", "What is happening on Gongzhi: councils, fairs and how projects are going."),
    "project-books": (
        "Project books",
        "Community projects built from residents' requests, published by edition for companies, foundations, NGOs and "
        "donors to adopt.",
    ),
    "events": ("Events", "Matchmaking fairs, residents' councils, public hearings and community events."),
}


def _translate_into_english(
    staff, zh, *, home, indexes, about, faq, notices, notices_en, news, books, events, document
):
    """Alias the whole Chinese tree into English, then turn every live page's alias into a real translation."""
    from wagtail_localize.synctree import synchronize_tree

    en, _created = Locale.objects.get_or_create(language_code="en")
    synchronize_tree(zh, en)

    _translate(
        home,
        en,
        staff,
        title="Gongzhi · Xigang community co-governance",
        intro="Residents, communities, NGOs and caring companies turning everyday needs into visible projects.",
        body=_p(
            "Gongzhi collects residents' requests, resolves them within deadlines and follows them up. Similar "
            "requests become community projects, published in project books for NGOs to run and companies and donors "
            "to fund. Residents' councils and hearings let people decide together what concerns them all."
        ),
    )
    for page in indexes:
        title, intro = INDEXES_EN[page.slug]
        _translate(page, en, staff, title=title, intro=intro)
    _translate(
        about,
        en,
        staff,
        title="About Gongzhi",
        intro="Xigang district's community platform: deciding together what concerns us all.",
        body=_about_body_en(document),
    )
    _translate(
        faq,
        en,
        staff,
        title="Questions and answers",
        intro="About reporting problems, adopting projects and taking part in councils.",
        questions=[("question", {"question": q, "answer": RichText(_p(a))}) for _q, _a, q, a in FAQ],
    )
    for notice in notices:
        translation = _translate(notice, en, staff, **notices_en[notice.slug])
        _backdate(translation, notice.first_published_at)
    for article in news:
        translation = _translate(article, en, staff, **NEWS_EN[article.slug])
        _backdate(translation, article.first_published_at)
    for book, introduction in books.items():
        translation = _translate(
            book,
            en,
            staff,
            **BOOKS_EN[book.slug],
            introduction=introduction,
            entries=lambda entries: [_with_note(e, BOOK_NOTES_EN.get(e.note, e.note)) for e in entries],
        )
        _backdate(translation, book.first_published_at)
    for event in events:
        translation = _translate(event, en, staff, **EVENTS_EN[event.slug])
        _backdate(translation, event.first_published_at)


def _with_note(entry, note):
    entry.note = note
    return entry


def _with_title(attachment, title):
    attachment.title = title
    return attachment


def _translate(page, locale, staff, **fields):
    """Turn the alias of `page` in `locale` into a real translation (as wagtail-localize does) with `fields`."""
    editor, moderator = staff
    translation = page.get_translation(locale).specific
    if translation.alias_of_id:
        translation.alias_of_id = None
        translation.save(update_fields=["alias_of_id"], clean=False)
        revision = translation.save_revision(user=editor, changed=False, clean=False)
        PageLogEntry.objects.log_action(
            instance=translation,
            revision=revision,
            action="wagtail.convert_alias",
            user=editor,
            data={"page": {"id": translation.id, "title": translation.get_admin_display_title()}},
        )
    for name, value in fields.items():
        if callable(value):  # a child relation, given the current children
            value = value(list(getattr(translation, name).all()))
        setattr(translation, name, value)
    translation.save_revision(user=editor, log_action=True).publish(user=moderator)
    return translation
