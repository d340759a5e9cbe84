"""The portal's home page, as the root of the default Wagtail site."""

from wagtail.models import Page, Site

from .models import HomePage

INTRO = "居民、社区、社会组织和爱心企业一起，把身边的需求变成看得见的项目。"
BODY = (
    "<p>共治平台汇集居民诉求，限时办结、跟踪回访；把同类诉求合并成社会项目，"
    "发布在项目推介书里，由社会组织承接、企业和爱心人士认领资助；居民议事会和听证会让大家的事大家商量着办。</p>"
)


def load(ctx):
    home = HomePage.objects.first()
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
