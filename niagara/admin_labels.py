"""Labels in the admin: a list filter offering the labels in use, and a column showing them."""

from django.contrib import admin

from .labels import label_errors


class LabelFilter(admin.SimpleListFilter):
    """Filter a changelist by one of the labels its rows carry (one query for the choices:
    the distinct label sets, however many rows share them)."""

    title = "label"
    parameter_name = "label"

    def lookups(self, request, model_admin):
        # The labels of the rows the viewer may read, never another customer's.
        rows = model_admin.get_queryset(request).exclude(labels=[])
        sets = rows.values_list("labels", flat=True)
        found = {label for labels in sets.order_by().distinct() for label in labels or []}
        return [(label, label) for label in sorted(found)]

    def queryset(self, request, queryset):
        label = self.value()
        if not label:
            return queryset
        if label_errors(label):
            return queryset.none()  # no row carries a label that cannot exist
        return queryset.filter(labels__has_all=[label])


@admin.display(description="Labels")
def labels_column(obj) -> str:
    return ", ".join(obj.labels) or "—"
