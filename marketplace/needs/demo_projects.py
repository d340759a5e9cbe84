"""Community projects as a district writes them, grown from residents' needs, in every status.

Each project below is built the way staff build one: similar needs of one community are merged
into it (`merge_needs`), then it is published, funded, run, completed and evaluated — or
withdrawn — through `move_project`, each step at its own date (the services run under the demo
clock), so timelines, stamps, audit entries and the needs' own steps agree. Budgets are yuan
here and fen in the database. `books` names the CMS project-book editions that list the project
(portal/pages/demo.py).

The projects' demo lives with the needs because it is made of them (the needs app sits above the
projects app, which knows nothing of needs).
"""

import random
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from functools import partial
from unittest import mock

from django.conf import settings
from django.utils import timezone, translation

from marketplace.projects.demo_details import DETAILS, Details
from marketplace.projects.models import BudgetLine, InKindItem, Project, ProjectStatus
from marketplace.projects.services import move_project
from portal.comments import services as comments
from portal.core.demo import clock, demo_step
from portal.core.money import FEN_PER_YUAN
from portal.notifications.services import notify
from portal.organisations.models import Organisation

from . import demo as needs_demo
from .demo_texts import SITUATIONS
from .messages import PROJECT_STEP, STEP
from .models import Channel, Need, NeedStatus
from .services import close_need, merge_needs

P = ProjectStatus
SEED = 2026


@dataclass(frozen=True)
class DemoProject:
    title: str
    category: str
    community: str  # its needs come from this community's grids, so it is the project's region
    needs: tuple  # situation keys of those needs ("meals", or "rehab:a" for one variant)
    beneficiaries: str
    count: int
    budget: int  # yuan
    summary: str
    drafted: int  # days ago
    steps: tuple = ()  # (status, days ago, note on the timeline), in order
    raised: float = 0  # share of the budget pledged so far, while published
    books: tuple = ()  # CMS project-book editions listing it ("2", "3")
    need_count: int = 6
    venture: bool = False  # approved in the quarter's joint review (the public notice lists it)
    undertaker: str = ""

    @property
    def status(self):
        return self.steps[-1][0] if self.steps else P.DRAFT


PROJECTS = [
    # --- evaluated: run last year, rated by residents at an evaluation meeting --------------------
    DemoProject(
        "春风社区“银龄食堂”助餐服务",
        "elderly-care",
        "春风",
        ("meals",),
        "春风社区80岁以上独居、空巢老人",
        126,
        180_000,
        "春风社区60岁以上老人占三成，独居、高龄老人中午常常一碗挂面对付。项目在社区党群服务中心一楼开设老年食堂，"
        "工作日供应午餐（两荤两素一汤，老人自付12元，80岁以上8元），为行动不便的32位老人送餐上门。"
        "预算用于厨房设备改造4.2万元、一年的餐费补贴10.8万元、送餐志愿者保险和交通补贴3万元。"
        "由西港区春晖社会工作服务中心承接。",
        340,
        (
            (P.PUBLISHED, 330, "编入社会项目推介书，面向社会认领。"),
            (P.FUNDED, 318, "西港慈善基金会认领资助12万元，大连海昌置业有限公司资助6万元，资金全部到位。"),
            (P.IN_PROGRESS, 305, "与春晖社会工作服务中心签订承接协议，老年食堂开餐。"),
            (P.COMPLETED, 40, "服务期满：累计供餐2.3万人次，送餐上门5,100人次。"),
            (P.EVALUATED, 28, "成效评议会：到会居民代表31人，满意29人、基本满意2人；建议增加周末供餐。"),
        ),
        need_count=9,
    ),
    DemoProject(
        "东关社区12栋老楼楼道灯更换",
        "property",
        "东关",
        ("stair-lights",),
        "东关小区、东关里12栋老楼住户",
        860,
        28_000,
        "东关小区和东关里的12栋楼建于上世纪八十年代，没有物业，楼道灯坏了没人修，一年里居民反映了十多次。"
        "项目更换楼道感应LED灯288盏、修复线路，并培训楼长负责日常报修。"
        "预算中灯具和线材1.9万元、电工人工0.9万元。港城物产集团有限公司资助。",
        300,
        (
            (P.PUBLISHED, 290, "编入社会项目推介书，面向社会认领。"),
            (P.FUNDED, 282, "港城物产集团有限公司认领资助2.8万元。"),
            (P.IN_PROGRESS, 275, "电工进场，逐栋更换。"),
            (P.COMPLETED, 240, "12栋楼288盏灯全部更换完毕。"),
            (P.EVALUATED, 226, "成效评议会：到会居民代表24人，全部满意。"),
        ),
        need_count=7,
    ),
    DemoProject(
        "北海社区“四点半课堂”",
        "child-care",
        "北海",
        ("after-school",),
        "北海社区双职工家庭的小学生",
        60,
        86_000,
        "北海社区附近两所小学三点半放学，不少双职工家庭的孩子放学后没人管。项目在社区党群服务中心开设“四点半课堂”，"
        "周一至周五15:30至18:00，由两名专职社工和辽宁师范大学志愿者辅导作业、开展阅读和手工活动，"
        "每学期招收60名一至四年级学生。预算用于社工劳务5.2万元、志愿者补贴1.6万元、图书和活动材料1.8万元。",
        280,
        (
            (P.PUBLISHED, 270, "编入社会项目推介书，面向社会认领。"),
            (P.FUNDED, 250, "西港慈善基金会认领资助8.6万元。"),
            (P.IN_PROGRESS, 243, "秋季学期开课，首批报名60人。"),
            (P.COMPLETED, 75, "两个学期共服务学生60名，开课172天。"),
            (P.EVALUATED, 60, "成效评议会：家长代表26人参加，满意率96%。"),
        ),
        need_count=8,
    ),
    DemoProject(
        "沿海社区垃圾分类“绿色账户”",
        "waste-sorting",
        "沿海",
        ("guidance", "points"),
        "沿海社区居民家庭",
        2_400,
        38_000,
        "沿海社区撤桶并点后，居民分不清、不愿分的情况多，投放点旁常年有乱扔的垃圾。项目由绿色家园环保公益促进会"
        "培训居民督导员12名，在8个投放点早晚定时督导；居民正确投放可积分，到社区服务站兑换日用品。"
        "预算用于督导员补贴2.2万元、积分兑换物品1.2万元、宣传材料0.4万元。",
        260,
        (
            (P.PUBLISHED, 250, "编入社会项目推介书，面向社会认领。"),
            (P.FUNDED, 236, "滨海公益发展基金会认领资助3.8万元。"),
            (P.IN_PROGRESS, 230, "12名居民督导员培训上岗。"),
            (P.COMPLETED, 50, "厨余垃圾分出率由18%提高到41%。"),
            (P.EVALUATED, 36, "成效评议会：到会居民代表28人，满意25人；建议保留积分兑换。"),
        ),
    ),
    # --- completed: done, the evaluation meeting still to come ------------------------------------
    DemoProject(
        "菜市社区失能老人居家助浴",
        "elderly-care",
        "菜市",
        ("home-care",),
        "菜市社区失能、半失能老人",
        40,
        64_000,
        "菜市社区有重度失能老人40多位，家属说给老人洗澡是最难的事。项目购置移动助浴设备一套，由两名持证护理员上门助浴，"
        "每位老人每月两次，同时教家属翻身、防褥疮等护理方法。预算：助浴设备2.4万元，护理员服务费3.2万元，"
        "耗材和保险0.8万元。由春晖社会工作服务中心承接。",
        230,
        (
            (P.PUBLISHED, 220, "编入社会项目推介书，面向社会认领。"),
            (P.FUNDED, 200, "北方医药连锁有限公司资助2.4万元，西港慈善基金会资助4万元。"),
            (P.IN_PROGRESS, 196, "助浴设备到位，护理员开始上门。"),
            (P.COMPLETED, 12, "服务期满：上门助浴860人次，未发生安全事故；成效评议会定于下月召开。"),
        ),
    ),
    DemoProject(
        "站北社区单元门无障碍坡道和扶手加装",
        "disability",
        "站北",
        ("ramp:a",),
        "站北社区残疾人和行动不便的老人",
        85,
        52_000,
        "站北小区、北站家园多数单元门口有四五级台阶，坐轮椅的居民出门要人抬。经逐楼调查，项目在17个单元门口"
        "加装无障碍坡道和不锈钢扶手。预算：材料2.9万元，施工2.3万元。大连海昌置业有限公司资助。",
        180,
        (
            (P.PUBLISHED, 170, "编入社会项目推介书，面向社会认领。"),
            (P.FUNDED, 150, "大连海昌置业有限公司认领资助5.2万元。"),
            (P.IN_PROGRESS, 140, "施工队进场，17个单元分三批施工。"),
            (P.COMPLETED, 20, "17个单元的坡道和扶手全部完工并通过验收。"),
        ),
        need_count=5,
    ),
    DemoProject(
        "葵英社区家门口就业技能培训",
        "employment",
        "葵英",
        ("training:a", "training:b", "job-search"),
        "葵英社区失业人员和就业困难人员",
        90,
        75_000,
        "葵英社区登记失业人员中四十岁以上的占六成，不少人想学门手艺。项目开设育婴员、养老护理员两期技能培训班，"
        "每期45人，考核合格者由人社部门发证，并对接区内家政和养老机构推荐上岗。"
        "预算：培训课时费4.5万元，实操耗材1.5万元，鉴定和招聘对接1.5万元。",
        200,
        (
            (P.PUBLISHED, 190, "编入社会项目推介书，面向社会认领。"),
            (P.FUNDED, 170, "港城物产集团有限公司资助4万元，区就业专项资金配套3.5万元。"),
            (P.IN_PROGRESS, 160, "第一期育婴员培训班开班。"),
            (P.COMPLETED, 8, "两期共培训88人，取证81人，已上岗47人。"),
        ),
        need_count=7,
    ),
    # --- in progress: this year's projects being run ------------------------------------------------
    DemoProject(
        "长春社区长者助餐“暖心食堂”",
        "elderly-care",
        "长春",
        ("meals",),
        "长春社区80岁以上独居、空巢老人",
        150,
        160_000,
        "长春社区户籍老人4,100多人，独居、空巢的80岁以上老人有150位，居民多次反映老人“吃饭难”。项目与社区周边一家"
        "餐饮企业合作开设“暖心食堂”，工作日供应午餐，80岁以上老人每餐自付10元，为行动不便的老人送餐上门。"
        "预算用于餐费补贴11.2万元、送餐保温箱和电动车1.6万元、助餐员劳务3.2万元。由西港区春晖社会工作服务中心承接，"
        "居民代表组成监督小组每月查看菜品和账目。",
        120,
        (
            (P.PUBLISHED, 100, "编入《社会项目推介书（2026年第2期）》。"),
            (P.FUNDED, 44, "通过“居民点单”联合评审：区级配套资金8万元，西港慈善基金会资助8万元。"),
            (P.IN_PROGRESS, 38, "与春晖社会工作服务中心签订承接协议，暖心食堂开餐。"),
        ),
        books=("2",),
        need_count=8,
        venture=True,
        undertaker="西港区春晖社会工作服务中心",
    ),
    DemoProject(
        "南石道社区星星雨融合课堂",
        "disability",
        "南石道",
        ("rehab:a",),
        "白云街道孤独症、发育迟缓儿童及其家庭",
        36,
        98_000,
        "白云街道登记的孤独症和发育迟缓儿童有36名，定点康复机构排队长，孩子们也很少有和同龄人一起玩的机会。"
        "项目每周六在南石道社区活动中心开设融合课堂，康复师带领特殊儿童和社区志愿小伙伴一起做游戏、绘画和音乐活动，"
        "并为家长提供每月两次的喘息服务。预算：康复师和社工劳务6.4万元、活动教具2万元、家长喘息服务1.4万元。"
        "由西港区星星雨自闭症儿童关爱中心承接。",
        115,
        (
            (P.PUBLISHED, 98, "编入《社会项目推介书（2026年第2期）》。"),
            (P.FUNDED, 44, "通过“居民点单”联合评审：区级配套资金4.9万元，西港慈善基金会资助4.9万元。"),
            (P.IN_PROGRESS, 37, "首期融合课堂开课，报名家庭31户。"),
        ),
        books=("2",),
        need_count=5,
        venture=True,
        undertaker="西港区星星雨自闭症儿童关爱中心",
    ),
    DemoProject(
        "春华社区绿色楼院垃圾分类督导",
        "waste-sorting",
        "春华",
        ("guidance", "kitchen-waste"),
        "春华社区居民家庭",
        1_800,
        42_000,
        "春华小区、春华里共1,800户，投放点桶边垃圾多、厨余混投严重。项目由绿色家园环保公益促进会招募培训居民督导员"
        "10名，在6个投放点早晚督导三个月，之后由楼长轮值；每月评选“绿色楼院”，在社区公示栏表扬。"
        "预算：督导员补贴2.6万元、培训和宣传1万元、评比奖品0.6万元。",
        125,
        (
            (P.PUBLISHED, 100, "编入《社会项目推介书（2026年第2期）》。"),
            (P.FUNDED, 44, "通过“居民点单”联合评审：区级配套资金2.1万元，滨海公益发展基金会资助2.1万元。"),
            (P.IN_PROGRESS, 35, "10名居民督导员上岗。"),
        ),
        books=("2",),
        venture=True,
        undertaker="绿色家园环保公益促进会",
    ),
    DemoProject(
        "丹东街社区“邻里守望”独居老人探访",
        "elderly-care",
        "丹东街",
        ("alarm:a",),
        "丹东街社区独居老人",
        68,
        36_000,
        "丹东街社区独居老人68位，去年冬天有老人在家摔倒一天后才被发现。项目由邻里守望志愿者协会组织40名志愿者"
        "与独居老人结对，每周至少上门一次，检查燃气、电暖器和门窗，雪后帮老人清扫门前路；为高龄老人安装一键呼叫器。"
        "预算：呼叫器和燃气报警器2.2万元，志愿者保险、交通补贴和培训1.4万元。",
        110,
        (
            (P.PUBLISHED, 90, "区民政局交办项目，面向社会认领。"),
            (P.FUNDED, 43, "通过“居民点单”联合评审，区级配套资金3.6万元全额资助。"),
            (P.IN_PROGRESS, 40, "40名志愿者与独居老人完成结对。"),
        ),
        venture=True,
        undertaker="邻里守望志愿者协会",
    ),
    DemoProject(
        "黄河社区家庭医生进楼院",
        "health",
        "黄河",
        ("family-doctor", "medicine"),
        "黄河社区慢病老人和行动不便的居民",
        540,
        96_000,
        "黄河社区65岁以上居民1,900多人，高血压、糖尿病患者多，不少人签约了家庭医生却很少见到医生。项目组织社区卫生"
        "服务中心的家庭医生团队每周两个半天进楼院，在楼长家或单元门口测血压、血糖，讲解用药；北方医药连锁有限公司药师"
        "每月一次用药指导，并为行动不便的老人上门随访。预算：医护下沉补贴5.4万元、便携检测设备2.2万元、"
        "健康宣教材料和活动2万元。",
        130,
        (
            (P.PUBLISHED, 95, "编入社会项目推介书，面向社会认领。"),
            (P.FUNDED, 42, "通过“居民点单”联合评审：北方医药连锁有限公司资助4.8万元，区级配套资金4.8万元。"),
            (P.IN_PROGRESS, 30, "首批进楼院12栋，建立健康档案230份。"),
        ),
        need_count=7,
        venture=True,
        undertaker="北方医药连锁有限公司",
    ),
    # --- funded: money in, work about to start ----------------------------------------------------
    DemoProject(
        "玉华社区乐龄合唱团培育",
        "culture",
        "玉华",
        ("classes:c",),
        "玉华社区中老年文艺爱好者",
        60,
        24_000,
        "玉华社区合唱团30多人，一直借用楼道大厅排练，没有指导老师。项目为合唱团聘请声乐老师每周指导一次，"
        "把社区二楼活动室改成排练室（隔音、配电子琴），一年内排练两场社区演出，并吸收新成员。"
        "预算：指导老师课时费1.2万元，排练室改造和电子琴0.9万元，演出服装和活动0.3万元。由乐龄文体发展中心承接。",
        105,
        (
            (P.PUBLISHED, 92, "编入社会项目推介书，面向社会认领。"),
            (P.FUNDED, 43, "通过“居民点单”联合评审：区级配套资金1.2万元，港城物产集团有限公司资助1.2万元。"),
        ),
        need_count=4,
        venture=True,
        undertaker="乐龄文体发展中心",
    ),
    DemoProject(
        "望海社区楼院微更新共建",
        "housing",
        "望海",
        ("stairwell", "handrails"),
        "望海小区6栋老楼住户",
        310,
        120_000,
        "望海小区改造后主路和管网换新了，但楼前空地、单元门口和楼道仍然破旧。项目请居民一起设计：修补楼梯扶手和台阶、"
        "粉刷6栋楼的楼道、把楼前空地改成有座椅和晾衣架的小广场，居民出工出力，材料和专业施工由项目出资。"
        "预算：材料7.2万元，专业施工3.6万元，居民共商和共建活动1.2万元。由海滨社区营造工作室承接。",
        100,
        (
            (P.PUBLISHED, 91, "编入社会项目推介书，面向社会认领。"),
            (P.FUNDED, 44, "通过“居民点单”联合评审：大连海昌置业有限公司资助6万元，区级配套资金6万元；开春后动工。"),
        ),
        venture=True,
        undertaker="海滨社区营造工作室",
    ),
    DemoProject(
        "友好社区楼道杂物清理和消防通道整治",
        "environment",
        "友好",
        ("clutter",),
        "友好小区、友好广场小区住户",
        1_300,
        45_000,
        "友好社区两个小区的楼道里堆着旧家具、纸箱和酸菜缸，消防通道常年停满车，去年冬天救护车进不来。"
        "项目组织居民、物业和志愿者集中清理楼道两轮，清运杂物；在消防通道施划标线、安装禁停牌，"
        "并在小区里开辟一处杂物临时存放点。预算：清运和存放点搭建2.4万元，标线和标牌1.3万元，志愿者和宣传0.8万元。",
        125,
        (
            (P.PUBLISHED, 98, "编入《社会项目推介书（2026年第2期）》。"),
            (P.FUNDED, 30, "秋季公益项目相亲会上大连海昌置业有限公司举牌认领，资金全部到位。"),
        ),
        books=("2",),
        need_count=7,
    ),
    DemoProject(
        "新华社区“四点半课堂”",
        "child-care",
        "新华",
        ("after-school",),
        "新华社区双职工家庭的小学生",
        45,
        68_000,
        "新华社区附近的中山路小学三点半放学，社区里双职工家庭有45个孩子放学后没人接。项目借用社区党群服务中心二楼，"
        "周一至周五开设“四点半课堂”，由一名专职社工和大学生志愿者看护、辅导作业，周五下午开展科学和手工活动。"
        "预算：社工劳务3.8万元，志愿者补贴1.4万元，桌椅、图书和活动材料1.6万元。",
        110,
        (
            (P.PUBLISHED, 96, "编入《社会项目推介书（2026年第2期）》。"),
            (P.FUNDED, 3, "港城物产集团有限公司认领剩余资金，全部到位。"),
        ),
        books=("2", "3"),
        need_count=5,
    ),
    # --- published: open to claim in the current project book ------------------------------------
    DemoProject(
        "莲花山小区老楼楼梯扶手和休息座椅加装",
        "housing",
        "莲花山",
        ("handrails",),
        "莲花山小区七层老楼的住户",
        520,
        57_000,
        "莲花山小区老人比例高，多栋七层老楼没有电梯，楼梯扶手松动，老人爬到四楼就得歇一歇。"
        "项目为12栋楼加固或新装楼梯扶手，在三楼、五楼平台安装折叠休息座椅。"
        "预算：扶手材料和安装3.8万元，折叠座椅96把1.9万元。",
        130,
        ((P.PUBLISHED, 97, "编入《社会项目推介书（2026年第2期）》。"),),
        raised=0.62,
        books=("2", "3"),
        need_count=5,
    ),
    DemoProject(
        "大同社区“家门口”就业服务站",
        "employment",
        "大同",
        ("job-search", "gig-work:a"),
        "大同社区失业人员和灵活就业人员",
        150,
        75_000,
        "大同社区登记失业人员150多人，找工作要跑到区人力资源市场。项目在社区服务站设就业服务站，每周三场线上线下岗位推介，"
        "建零工信息群，每季度办一次小型招聘会，为40岁以上人员提供一对一就业指导。"
        "预算：就业指导员劳务4.2万元，招聘会场地和组织2万元，信息屏和宣传1.3万元。",
        128,
        ((P.PUBLISHED, 96, "编入《社会项目推介书（2026年第2期）》。"),),
        raised=0.35,
        books=("2", "3"),
    ),
    DemoProject(
        "香炉礁社区儿童之家改造",
        "child-care",
        "香炉礁",
        ("children-home",),
        "香炉礁社区0至12岁儿童及家长",
        300,
        46_000,
        "香炉礁社区儿童之家只有一间二十平米的屋子，图书陈旧、玩具损坏，周末不开放。项目把相邻的闲置会议室打通，"
        "扩建为阅读区和游戏区，更新图书1,200册和益智玩具，由志愿者家长轮值，周六、周日开放。"
        "预算：装修和地垫2.1万元，图书和玩具1.6万元，家长志愿者培训和活动0.9万元。",
        126,
        ((P.PUBLISHED, 95, "编入《社会项目推介书（2026年第2期）》。"),),
        books=("2", "3"),
        need_count=5,
    ),
    DemoProject(
        "日新社区慢病老人健康管理小组",
        "health",
        "日新",
        ("medicine", "check-up"),
        "日新社区高血压、糖尿病老人",
        220,
        54_000,
        "日新社区高血压、糖尿病老人多，很多人按时吃药却不测血压，体检报告也看不懂。项目组建8个健康管理小组，"
        "每组25人左右，由家庭医生和健康志愿者每两周带一次活动：测血压血糖、讲饮食运动、互相督促用药。"
        "预算：血压计和血糖仪等设备1.8万元，医护和志愿者补贴2.4万元，健康餐试吃和宣教1.2万元。",
        20,
        ((P.PUBLISHED, 9, "编入《社会项目推介书（2026年第3期）》。"),),
        raised=0.45,
        books=("3",),
        need_count=5,
    ),
    DemoProject(
        "滨河社区电动自行车集中充电棚",
        "safety",
        "滨河",
        ("e-bikes",),
        "滨河小区骑电动车的住户",
        400,
        86_000,
        "滨河小区有电动自行车400多辆，没有充电的地方，楼道停车充电、从窗户飞线充电屡禁不止。项目在小区东侧空地建两处"
        "充电棚，安装智能充电桩80个，带定时断电和烟感报警，充电按电费收取。"
        "预算：充电棚和地面硬化4.2万元，智能充电桩3.6万元，消防器材和监控0.8万元。",
        22,
        ((P.PUBLISHED, 10, "编入《社会项目推介书（2026年第3期）》。"),),
        raised=0.2,
        books=("3",),
    ),
    DemoProject(
        "松林社区居民文体活动室改造",
        "culture",
        "松林",
        ("classes", "films"),
        "松林社区文体团队和居民",
        380,
        38_000,
        "松林社区只有一间活动室，合唱、书法、舞蹈几个团队抢着用，地面和灯光也都老化。项目改造活动室：更换木地板和照明，"
        "加装镜墙和可移动隔断，配置音响和书画桌，一间屋子分时段给不同团队用。"
        "预算：装修2.2万元，音响和书画桌1.1万元，隔断和镜墙0.5万元。",
        24,
        ((P.PUBLISHED, 10, "编入《社会项目推介书（2026年第3期）》。"),),
        books=("3",),
        need_count=4,
    ),
    DemoProject(
        "临港社区“小巷管家”环境维护志愿队",
        "environment",
        "临港",
        ("bins", "flyers"),
        "临港社区居民",
        2_100,
        26_000,
        "临港社区背街小巷多，垃圾桶满溢、小广告反复出现，环卫顾不过来。项目招募30名“小巷管家”，每人认领一条小巷，"
        "每天巡查一次，发现问题随手拍上报平台，每月组织一次清洁日。"
        "预算：志愿者保险和装备1万元，清洁工具0.6万元，积分奖励和表彰1万元。",
        23,
        ((P.PUBLISHED, 10, "编入《社会项目推介书（2026年第3期）》。"),),
        raised=0.05,
        books=("3",),
    ),
    DemoProject(
        "石道街社区老楼屋面防水维修",
        "housing",
        "石道街",
        ("roof",),
        "石道街小区8栋老楼的顶层住户",
        96,
        148_000,
        "石道街小区8栋老楼的屋面防水层已用了二十多年，顶楼住户每逢下雨就漏，墙皮发霉；维修资金不足，业主分摊难。"
        "项目对8栋楼屋面整体重做防水，业主按户分摊三成，其余向社会募集。"
        "预算：防水材料8.6万元，施工4.8万元，旧防水层清理和垃圾清运1.4万元。",
        21,
        ((P.PUBLISHED, 9, "编入《社会项目推介书（2026年第3期）》。"),),
        raised=0.3,
        books=("3",),
    ),
    # --- withdrawn ----------------------------------------------------------------------------------
    DemoProject(
        "西安路社区地下车库改建停车位",
        "parking",
        "西安路",
        ("spaces",),
        "西安路小区有车居民",
        260,
        240_000,
        "西安路小区车位缺口两百多个。方案拟将小区人防地下室改建为地下停车库，增加车位60个，车位租金用于设施维护。"
        "预算：改建工程19万元，照明、通风和消防5万元。",
        135,
        (
            (P.PUBLISHED, 120, "编入《社会项目推介书（2026年第2期）》。"),
            (
                P.WITHDRAWN,
                50,
                "西安路社区居民议事会表决未通过（到会代表33人，同意14人），项目撤回，改为地面重新划线方案。",
            ),
        ),
        books=("2",),
    ),
    DemoProject(
        "锦华社区广场音响设备购置",
        "culture",
        "锦华",
        ("square-dance",),
        "锦华社区广场舞和文艺团队",
        150,
        22_000,
        "锦华社区几支文艺团队共用一套老音响，声音大、效果差，楼上居民有意见。方案拟购置定向音箱两套和无线话筒四只，"
        "由各团队轮流保管，活动时音量由楼长监督。预算：定向音箱1.6万元，话筒和支架0.6万元。",
        225,
        (
            (P.PUBLISHED, 215, "编入社会项目推介书，面向社会认领。"),
            (P.WITHDRAWN, 200, "区文旅体局“送设备进社区”已为锦华社区配送定向音箱两套，需求已满足，项目撤回。"),
        ),
        need_count=4,
    ),
    # --- drafts: being prepared by staff ------------------------------------------------------------
    DemoProject(
        "莲花山小区3号楼、5号楼加装电梯",
        "housing",
        "莲花山",
        ("add-lift",),
        "莲花山小区3号楼、5号楼住户",
        84,
        300_000,
        "莲花山小区3号楼、5号楼各七层，住户六成以上是老人。加装两部电梯总造价约118万元，除财政补贴和业主按楼层分摊外，"
        "低层住户补偿和三户低保家庭的分摊尚缺30万元。方案待听证会听取居民意见后提交审核。",
        4,
    ),
    DemoProject(
        "永和社区夜间照明和监控补盲",
        "safety",
        "永和",
        ("street-lights:b", "theft"),
        "永和小区、永和家园居民",
        900,
        32_000,
        "永和小区和永和家园内部道路有7处没有路灯，接连发生电动车电瓶被盗。方案在暗处加装太阳能路灯14盏、"
        "监控探头6个，接入小区门卫室。预算：路灯1.8万元，监控及安装1.4万元。",
        2,
        need_count=5,
    ),
]

# resident1's own need in the 长春 project: she hears of every step (see `_residents_need`).
RESIDENT_NEED = needs_demo.Story(
    "resident1",
    "elderly-care",
    "长春小区独居老人多，中午吃饭成问题",
    "我们8号楼就有五位八十多岁的老人自己住，子女都在外地。中午要么不吃，要么泡面对付。"
    "我自己也七十了，做饭给老伴吃还行，顾不上别人。社区能不能办个老年食堂？",
    150,
    NeedStatus.ACCEPTED,
)


@dataclass
class _Run:
    ctx: dict
    writer: needs_demo.Writer
    rng: random.Random
    staff: dict = field(default_factory=dict)

    def when(self, days_ago, hour=10):
        """A working day `days_ago`, during office hours, in the district's time."""
        day = timezone.localdate(self.writer.now) - timedelta(days=days_ago)
        while day.weekday() >= 5:
            day -= timedelta(days=1)
        at = datetime.combine(day, time(hour)) + timedelta(minutes=self.rng.randint(0, 300))
        return min(timezone.make_aware(at), self.writer.now - timedelta(hours=1))

    def staff_for(self, region):
        """The most local demo staff account whose area holds the region."""
        users, ctx = self.ctx["users"], self.ctx
        if region.path.startswith(ctx["communities"][0].path):
            return users["staff1"]
        if region.path.startswith(ctx["streets"][0].path):
            return users["streetstaff1"]
        return users["districtstaff1"]


def _needs_for(run, spec):
    """The residents' needs the project grows from, spread over its community's grids and the months before."""
    grids = [g for g in run.ctx["grids"] if g.name.startswith(spec.community + "第")]
    situations = {s.key: s for s in SITUATIONS[spec.category]}
    drafts = []
    for i in range(spec.need_count):
        key, _, variant = spec.needs[i % len(spec.needs)].partition(":")
        day = timezone.localdate(run.writer.now) - timedelta(days=spec.drafted + 3 + run.rng.randint(0, 90))
        channel = run.rng.choice([Channel.HOTLINE, Channel.WEB, Channel.GRID_PATROL, Channel.WECHAT, Channel.COUNCIL])
        if day.weekday() >= 5 and channel in needs_demo.OFFICE_HOURS:
            channel = Channel.HOTLINE
        created = run.writer.moment(day, channel)
        drafts.append(
            run.writer.draft(
                category=spec.category,
                grid=grids[i % len(grids)],
                created=created,
                plan=NeedStatus.ACCEPTED,
                channel=channel,
                situation=situations[key],
                variant=variant or None,
            )
        )
    return drafts


def _build(run, spec, drafts):
    """Merge the needs into the project, then take it through its steps, each on its day."""
    needs = [d.need for d in drafts]
    drafted = run.when(spec.drafted)
    staff = run.staff_for(needs[0].region.get_parent())
    with clock(drafted):
        project, _merged = merge_needs(by=staff, needs=needs, title=spec.title, summary=spec.summary)
        project.budget = spec.budget * FEN_PER_YUAN
        project.beneficiaries, project.beneficiary_count = spec.beneficiaries, spec.count
        _write_details(run, project, spec)
        project.save()
    for i, (status, days_ago, note) in enumerate(spec.steps):
        at = run.when(days_ago, hour=9 + i % 6)
        if status == P.FUNDED:
            with clock(at - timedelta(minutes=30)):
                Project.objects.filter(pk=project.pk).update(
                    amount_raised=project.funding_target, updated_at=timezone.now()
                )
        with clock(at):
            # Reaching the target is the system's move; every other step is staff's.
            project = move_project(by=None if status == P.FUNDED else staff, project=project, to=status, note=note)
            if status == P.WITHDRAWN:
                for need in Need.objects.filter(project=project, status=NeedStatus.MERGED):
                    close_need(by=staff, need=need, note=f"项目撤回：{note}")
    if spec.status == P.PUBLISHED and spec.raised:
        asked = project.funding_target // FEN_PER_YUAN
        raised = int(asked * spec.raised / 100) * 100 * FEN_PER_YUAN  # pledges come in hundreds of yuan
        with clock(run.when(max(1, spec.steps[-1][1] // 2))):
            Project.objects.filter(pk=project.pk).update(amount_raised=raised, updated_at=timezone.now())
    return project


def _write_details(run, project, spec):
    """Budget lines, items wanted in kind, the help asked for, the target and the funding deadline."""
    details = DETAILS.get(spec.title, Details())
    assert not details.lines or sum(y for _w, y in details.lines) == spec.budget, spec.title
    for position, (label, yuan) in enumerate(details.lines):
        BudgetLine.objects.create(project=project, label=label, amount=yuan * FEN_PER_YUAN, position=position)
    for name, quantity, unit, yuan in details.in_kind:
        InKindItem.objects.create(
            project=project, name=name, quantity=quantity, unit=unit, estimated_value=yuan * quantity * FEN_PER_YUAN
        )
    project.wants_funds = "fund" in details.modes
    project.wants_implementer = "run" in details.modes or (not spec.undertaker and spec.status == P.PUBLISHED)
    project.wants_in_kind = "in_kind" in details.modes
    project.wants_volunteers = "volunteer" in details.modes
    project.target = details.target * FEN_PER_YUAN
    if details.closes_in:
        # Funding closes at the end of an office day, as staff set it, not at the minute the demo was loaded.
        closes_on = timezone.localtime(run.writer.now).date() + timedelta(days=details.closes_in)
        project.funding_deadline = timezone.make_aware(datetime.combine(closes_on, time(18, 0)))
    if spec.undertaker:
        project.implementer = Organisation.objects.filter(name=spec.undertaker).first()


def _residents_need(run, projects):
    """resident1's need joins the 长春 meals project; she was told at each step, as the services tell residents."""
    spec = next(p for p in PROJECTS if p.community == "长春")
    project = projects[spec.title]
    grid = run.ctx["grids"][0]
    story = RESIDENT_NEED
    created = run.writer.now - timedelta(days=story.days_ago)
    draft = run.writer.draft(
        category=story.category, grid=grid, created=created, plan=story.plan, channel=Channel.WEB, story=story
    )
    resident = draft.need.submitted_by
    run.writer.save([draft])
    need = draft.need
    merged_at = run.when(spec.drafted) + timedelta(minutes=5)
    staff = run.staff_for(project.region)
    with clock(merged_at):
        # Told by hand below: the demo sends no emails.
        Need.objects.filter(pk=need.pk).update(submitted_by=None)
        merge_needs(by=staff, needs=[need], project=project)
        Need.objects.filter(pk=need.pk).update(submitted_by=resident)
    url = need.get_absolute_url()
    params = {"title": need.title, "project": project.title, "department": "", "note": ""}
    steps = [(need.accepted_at, STEP[NeedStatus.ACCEPTED], params, need.get_absolute_url())]
    steps.append((merged_at, STEP[NeedStatus.MERGED], params, url))
    for status in (P.PUBLISHED, P.FUNDED):
        at = getattr(project, f"{status}_at")
        steps.append((at, PROJECT_STEP[status], {"project": project.title}, project.get_absolute_url()))
    for at, message, values, link in steps:
        needs_demo.tell([resident], message, values, at, link, read_after=timedelta(hours=run.rng.uniform(1, 30)))


@demo_step(order=70, after=["marketplace.needs.demo"], label="projects")
def load(ctx):
    if Project.objects.exists():
        ctx["projects"] = {p.title: p for p in Project.objects.all()}
        return f"{len(ctx['projects'])} projects (kept)"
    with translation.override(settings.LANGUAGE_CODE):
        run = _Run(ctx, needs_demo.Writer(ctx, seed=SEED), random.Random(SEED))
        projects = {}
        for spec in PROJECTS:
            drafts = _needs_for(run, spec)
            run.writer.save(drafts)
            projects[spec.title] = _build(run, spec, drafts)
        _residents_need(run, projects)
    ctx["projects"] = projects
    counts = {}
    for spec in PROJECTS:
        counts[spec.status] = counts.get(spec.status, 0) + 1
    return f"{len(projects)} projects (" + ", ".join(f"{n} {s}" for s, n in counts.items()) + ")"


@demo_step(order=133, after=["deliberation.topics.demo"], label="projects")
def load_discussion(ctx):
    """Residents ask about the newest published project, and the organisation behind it answers (the
    topics' demo makes the residents; nothing when its topics were kept)."""
    if "neighbours" not in ctx:
        return "discussion (kept)"
    users = ctx["neighbours"]
    with mock.patch.object(comments, "notify", partial(notify, email=False)):
        _project_discussion(users)
    return "a discussion under the newest project"


def _project_discussion(users):
    project = Project.objects.visible_to(None).order_by("-pk").first()
    if project is None:
        return
    question = comments.post_comment(
        by=users["neighbour3"],
        target=project,
        body="预算里的“人工费”能不能再写细一点？想知道每个月请几个人、每人多少钱。",
    )
    comments.post_comment(
        by=users["staff1"],
        target=project,
        body="会在项目页补上按月的人工明细，实施后每个月的支出也会在账本里公示。",
        parent=question,
    )
    comments.post_comment(
        by=users["resident1"],
        target=project,
        body="我家老人退休前是电工，愿意来帮忙。志愿者在哪里报名？",
    )
