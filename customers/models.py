from django.db import models
from django.db.models.functions import Lower

from niagara.jsonschemas import DocumentSchema, DocumentValidator
from niagara.models import Entity
from relations.registry import entities

# External platform identifiers: {"salesforce": "0015g00000XyZ", "netsuite": null}.
EXTERNAL_PLATFORM = DocumentSchema(
    {
        "type": "object",
        "description": "External identifiers for the customer",
        "propertyNames": {"pattern": "^[A-Za-z][A-Za-z0-9_]*$"},
        "additionalProperties": {"type": ["string", "null"]},
    }
)


class CustomerQuerySet(models.QuerySet):
    def with_counters(self):
        """Annotate ``total_programs`` and ``total_projects`` in the same query."""
        # Programs and projects do not exist yet, so both counts are truly zero; they become
        # correlated subqueries when those models arrive.
        return self.annotate(
            total_programs=models.Value(0, output_field=models.IntegerField()),
            total_projects=models.Value(0, output_field=models.IntegerField()),
        )


class Customer(Entity):
    """Whom the shop works for; the top of the customer → program → project tree."""

    label = models.CharField(max_length=200)
    external_platform = models.JSONField(
        default=dict,
        blank=True,
        validators=[DocumentValidator("customers.models.EXTERNAL_PLATFORM")],
    )
    allowed_statuses = models.JSONField(
        validators=[DocumentValidator("customers.statuses.ALLOWED_STATUSES")],
        help_text="The customer's own status labels, each mapped to a category.",
    )

    objects = CustomerQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                Lower("label"),
                name="customer_label_unique_ci",
                violation_error_message="A customer with this label already exists.",
            )
        ]

    def __str__(self):
        return self.label


class Contact(Entity):
    """Someone to call or e-mail about the work, who does not sign in."""

    label = models.CharField(max_length=200, help_text="A short handle, e.g. a title or role.")
    name = models.CharField(max_length=200)
    email = models.EmailField()
    phone = models.CharField(max_length=50, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="contact_email_unique_ci",
                violation_error_message="A contact with this e-mail address already exists.",
            )
        ]

    def __str__(self):
        return f"{self.name} <{self.email}>"


entities.register(Customer, code="CUS", collection="customers", kind="customer")
entities.register(Contact, code="CON", collection="contacts", kind="contact")
