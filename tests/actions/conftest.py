import pytest
from django.utils import timezone

from actions.models import Action
from events.models import Event
from tests.factories import LocationFactory, ManufacturerFactory, QueueFactory, make_workflow
from tests.tenancy import plant


@pytest.fixture
def floors():
    """Acme's floor beside Globex's, each with its manager and technician."""
    shared = dict(
        workflow=make_workflow(),
        manufacturer=ManufacturerFactory(),
        shared_queue=QueueFactory(location=LocationFactory()),
    )
    floors = {
        "acme": plant("Acme", people=("maria", "tess"), **shared),
        "globex": plant("Globex", people=("greg", "gail"), **shared),
    }
    # What planting did is past, and the tests set their own actions.
    Event.objects.update(dispatched=timezone.now())
    Action.objects.all().delete()
    return floors
