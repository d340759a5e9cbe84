import pytest

from tests.factories.funding import published_project


@pytest.fixture
def project(tree):
    """A published project in community A1 asking for ¥1,000.00."""
    return published_project(tree.community_a1)


LOCALSTRIPE = """
import sys
from aiohttp import web
from localstripe import resources, server
resources.store.dump_to_disk = lambda *a, **k: None  # no pickle in /tmp shared with other runs
server.store.dump_to_disk = resources.store.dump_to_disk
web.run_app(server.app, host="127.0.0.1", port=int(sys.argv[1]), print=None, access_log=None)
"""


@pytest.fixture(scope="session")
def localstripe_url():
    """localstripe's aiohttp app on 127.0.0.1 only (its CLI listens on every interface), in a subprocess."""
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    pytest.importorskip("localstripe")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-c", LOCALSTRIPE, str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{url}/js.stripe.com/v3/", timeout=1).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"localstripe did not start: {process.stderr.read().decode()[-2000:]}")
            time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def stripe_on(settings, localstripe_url):
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
