import pytest

from tests.factories import LocationFactory, ManufacturerFactory, QueueFactory, make_workflow
from tests.tenancy import plant


@pytest.fixture
def floors():
    """Acme's floor beside Globex's (each with its webhook and a queued test message)."""
    shared = dict(
        workflow=make_workflow(),
        manufacturer=ManufacturerFactory(),
        shared_queue=QueueFactory(location=LocationFactory()),
    )
    return {
        "acme": plant("Acme", people=("maria", "tess"), **shared),
        "globex": plant("Globex", people=("greg", "gail"), **shared),
    }
