"""Serializers build their fields once per class and hand each instance its own copies
(``niagara.api.serializers.PrototypeFieldsMixin``); display selectors build their querysets
once and hand out clones (``niagara.querysets.built_once``). Neither may share what belongs
to one response."""

import pytest
from rest_framework.test import APIRequestFactory

from batches.api.serializers import BatchSerializer
from workorders.selectors import work_orders_for_display


def _nested(serializer):
    work_order = serializer.fields["work_order"].embedded_serializer
    return work_order, work_order.fields["cycles"].child


def test_each_instance_binds_its_own_fields_to_its_own_request():
    factory = APIRequestFactory()
    first = BatchSerializer(context={"request": factory.get("/api/batches")})
    second = BatchSerializer(context={"request": factory.get("/api/batches")})

    assert first.fields["label"] is not second.fields["label"]
    assert first.fields["label"].parent is first and second.fields["label"].parent is second
    for one, other in zip(_nested(first), _nested(second), strict=True):
        assert one is not other
        assert one.root is first and other.root is second
        assert one.context["request"] is not other.context["request"]


def test_a_copy_does_not_change_the_next_instance():
    one = BatchSerializer()
    one.fields["label"].label = "Changed for this instance"
    del one.fields["queue"]
    other = BatchSerializer()
    assert other.fields["label"].label != "Changed for this instance"
    assert "queue" in other.fields


@pytest.mark.django_db
def test_a_selector_built_once_hands_out_clones():
    first, second = work_orders_for_display(), work_orders_for_display()
    assert first is not second and first.query is not second.query
    list(first.filter(pk=-1))
    assert first._result_cache is None and second._result_cache is None
    assert str(first.query) == str(second.query)
