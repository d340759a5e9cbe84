"""localstripe, Stripe's API mocked, for the payment tests (its own process, 127.0.0.1 only)."""

import pytest

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
