import pytest

from tests.factories.projects import published_project
from tests.funding.localstripe import localstripe_url  # noqa: F401 - a fixture


@pytest.fixture
def project(tree):
    """A published project in community A1 asking for ¥1,000.00."""
    return published_project(tree.community_a1, target_yuan=1000, title="楼道扶手加装")


@pytest.fixture
def stripe_on(settings, localstripe_url):  # noqa: F811 - the imported fixture
    """Card payments on, against localstripe; the webhook's signing secret known."""
    import stripe

    settings.STRIPE_SECRET_KEY = "sk_test_gongzhi"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_gongzhi"
    settings.STRIPE_WEBHOOK_SECRET = "whsec_test_gongzhi"
    settings.STRIPE_API_BASE = localstripe_url
    settings.STRIPE_JS_URL = f"{localstripe_url}/js.stripe.com/v3/"
    previous = stripe.api_base, stripe.api_key
    yield stripe
    stripe.api_base, stripe.api_key = previous


@pytest.fixture(autouse=True)
def _messages_in_english():
    """Services raise their messages in the active language; these tests read the English ones
    (pages and the API answer in the visitor's language, whatever this sets)."""
    from django.utils import translation

    with translation.override("en"):
        yield
