"""The rows the migrations make (the shipped roles) are there for every test, also after a
transactional test emptied the tables (``make test`` spreads tests over processes: one that
ran a transactional test goes on with others)."""

import pytest

from users.models import Role


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_sees_the_shipped_roles():
    assert Role.objects.filter(label="Production manager").exists()


@pytest.mark.django_db(transaction=True)
def test_so_does_the_next_one_after_the_tables_were_emptied():
    assert Role.objects.filter(label="Production manager").exists()
    assert Role.objects.filter(label="Technician").exists()
