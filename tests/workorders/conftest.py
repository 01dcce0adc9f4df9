import pytest

from tests.factories import CustomerFactory, ProgramFactory, ProjectFactory

SPLINES = {
    "category": "IN_PROGRESS",
    "description": "For something that is Reticulating Splines",
    "status": "Reticulating Splines",
    "order": 2,
}


@pytest.fixture
def project():
    """A project of a customer with its own vocabulary: Pending, Reticulating Splines, Done."""
    customer = CustomerFactory(
        allowed_statuses=[
            {"status": "Pending", "category": "PENDING", "description": None, "order": 1},
            SPLINES,
            {"status": "Done", "category": "COMPLETE", "description": None, "order": 3},
        ]
    )
    return ProjectFactory(program=ProgramFactory(customer=customer))
