"""The admin's sidebar follows the day's work: the floor first, API plumbing last."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_the_sidebar_starts_with_the_floor_and_ends_with_tokens_and_oauth(manager):
    page = manager.get("/admin/models/").content.decode()
    apps = re.findall(r'<caption>\s*<a href="/admin/([a-z0-9_]+)/"', page)

    assert apps[:4] == ["queues", "workorders", "batches", "engine"]
    assert apps[-2:] == ["auth", "oauth2_provider"]
    # People's API tokens close the people's section.
    assert page.index('href="/admin/users/personaltoken/"') > page.index(
        'href="/admin/users/role/"'
    )
    work_orders = page.index('href="/admin/workorders/workorder/"')
    assert work_orders < page.index('href="/admin/workorders/workflow/"')
