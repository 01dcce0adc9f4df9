"""The engine's shared floor: Northwind's iPads in one batch, two technicians on it."""

import pytest

from tests.helpers import client_for

from .shop import build_floor


@pytest.fixture
def floor():
    return build_floor()


@pytest.fixture
def ada(floor):
    return client_for(floor["techs"][0])


@pytest.fixture
def grace(floor):
    return client_for(floor["techs"][1])
