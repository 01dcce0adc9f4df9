import pytest

from tests.tenancy import quiet_floors


@pytest.fixture
def floors():
    """Acme's floor beside Globex's, each with its manager and technician."""
    return quiet_floors()
