"""A large report's CSV is built by a worker once the report is made; its download is then
that file (the same lines a live download streams), dated by ``Last-Modified``."""

import pytest
from django.test import override_settings

from reports.models import Report
from tests.helpers import assert_status, client_for, post_json
from tests.webhooks.worker import run_worker

pytestmark = pytest.mark.django_db(transaction=True)


def body(fields):
    return {"base_entity": "BAT", "core_fields": {"fields": fields}}


@override_settings(REPORTS_BUILT_FROM_ROWS=2)
def test_a_large_report_is_built_by_a_worker_and_downloaded_from_its_file(floors, tmp_path):
    with override_settings(MEDIA_ROOT=tmp_path):
        maria = client_for(floors["acme"].manager)
        made = post_json(maria, "/api/reports", body(["batch_id", "batch_label"]))
        assert_status(made, 201)
        url = f"/api/reports/{made.json()['report_id']}/download"
        live = b"".join(maria.get(url).streaming_content)  # before the worker: streamed live
        run_worker()

        report = Report.objects.get()
        assert report.built is not None and report.file.name.endswith(".csv")
        built = maria.get(url)
        assert built.status_code == 200 and "Last-Modified" in built
        assert built["Content-Type"].startswith("text/csv")
        assert b"".join(built.streaming_content) == live
        assert live.count(b"\n") == 1 + 3  # the header and Acme's three batches


@override_settings(REPORTS_BUILT_FROM_ROWS=100)
def test_a_small_report_is_never_built(floors):
    maria = client_for(floors["acme"].manager)
    assert_status(post_json(maria, "/api/reports", body(["batch_id"])), 201)
    run_worker()
    assert Report.objects.get().built is None
