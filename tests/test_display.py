"""Durations and outcomes as the floor reads them."""

import pytest

from niagara.display import duration, outcome


@pytest.mark.parametrize(
    ("milliseconds", "shown"),
    [
        (39112, "39 s"),
        (400, "under 1 s"),
        (60000, "1 min"),
        (125000, "2 min 5 s"),
        (3600000, "1 h"),
        (3780000, "1 h 3 min"),
        (None, "—"),
        ("junk", "—"),
    ],
)
def test_durations_read_as_people_say_them(milliseconds, shown):
    assert duration(milliseconds) == shown


def test_outcomes_are_words():
    assert (outcome("close"), outcome("fail"), outcome("odd_one")) == ("Done", "Failed", "Odd one")
