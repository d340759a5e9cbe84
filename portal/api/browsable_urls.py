"""The browsable API's "Log in" and "Log out" links, sent to the site's own (allauth) pages.

DRF's own login view is a second password form without rate limits or the second factor;
it is not mounted. These names are the ones DRF's templates look up.
"""

from django.urls import path
from django.views.generic import RedirectView

app_name = "rest_framework"

urlpatterns = [
    path("login/", RedirectView.as_view(pattern_name="account_login", query_string=True), name="login"),
    path("logout/", RedirectView.as_view(pattern_name="account_logout", query_string=True), name="logout"),
]
