import pytest

from tests.factories.funding import published_project


@pytest.fixture
def project(tree):
    """A published project in community A1 asking for ¥1,000.00."""
    return published_project(tree.community_a1)
