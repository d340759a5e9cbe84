from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.urls import serve_pattern

from portal.accounts import views as account_views
from portal.audit import views as audit_views
from portal.core import views as core_views
from portal.pages.cache import cached_page_view

# The Django admin logs in through allauth too: one rate-limited, MFA-aware door.
admin.site.login = login_required(admin.site.login)
admin.site.site_header = "Gongzhi 共治"

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("status/", core_views.status_page, name="status"),
    path("text-size/", core_views.text_size, name="text_size"),
    path(".well-known/security.txt", core_views.security_txt, name="security_txt"),
    # Wagtail's own login form would bypass allauth's rate limits and MFA.
    path("admin/login/", RedirectView.as_view(pattern_name="account_login", query_string=True)),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/profile/", include("portal.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("organisations/", include("portal.organisations.urls")),
    path("reports/", include("marketplace.reports.urls")),
    path("needs/import/", include("marketplace.needs.import_urls")),
    path("needs/", include("marketplace.needs.urls")),
    path("notifications/", include("portal.notifications.urls")),
    path("grid-logs/", include("marketplace.gridlogs.urls")),
    path("audit/", audit_views.audit_log, name="audit_log"),
    path("i18n/setlang/", account_views.switch_language, name="set_language"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include("portal.api.urls")),
    path("api/v1/auth/", include("portal.api.browsable_urls")),
    # Whatever else lies under /api/ is an API 404 in JSON, not a CMS page to look up.
    re_path(r"^api/", core_views.api_not_found),
    path("projects/", include("marketplace.projects.urls")),
    path("follow/", include("portal.follows.urls")),
    path("funding/", include("marketplace.funding.urls")),
    path("payments/", include("marketplace.funding.webhook_urls")),
    path("adoptions/", include("marketplace.adoptions.urls")),
    path("calls/", include("marketplace.calls.urls")),
    path("implementation/", include("marketplace.implementation.urls")),
    path("councils/", include("deliberation.topics.council_urls")),
    path("topics/", include("deliberation.topics.urls")),
    path("meetings/", include("deliberation.meetings.urls")),
    path("votes/", include("deliberation.votes.urls")),
    path("comments/", include("portal.comments.urls")),
    path("feeds/", include("portal.pages.feeds_urls")),
    path("search/", include("search.urls")),
    path("", include("portal.pages.sitemap")),
    path(
        "_util/authenticate_with_password/<id:page_view_restriction_id>/<id:page_id>/",
        wagtail_views.authenticate_with_password,
        name="wagtailcore_authenticate_with_password",
    ),
    # Wagtail reverses this name before it reads WAGTAIL_FRONTEND_LOGIN_URL (a private page
    # answered 500 without it); its own form would bypass allauth, so it leads there.
    path(
        "_util/login/", RedirectView.as_view(pattern_name="account_login", query_string=True), name="wagtailcore_login"
    ),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# CMS pages: zh-hans at /…, their English translations at /en/….
urlpatterns += i18n_patterns(
    re_path(serve_pattern, cached_page_view(wagtail_views.serve), name="wagtail_serve"),
    prefix_default_language=False,
)

handler400 = "portal.core.views.bad_request"
handler403 = "portal.core.views.permission_denied"
handler404 = "portal.core.views.page_not_found"
handler500 = "portal.core.views.server_error"
