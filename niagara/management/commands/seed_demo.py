from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from customers import services as customer_services
from customers.models import Customer
from customers.statuses import DEFAULT_STATUSES
from users.models import User
from users.services import SYSTEM_USERNAME, system_user

DEMO_CUSTOMERS = [
    {
        "label": "Northwind Retail",
        "external_platform": {"salesforce": "0015g00000NWR001", "netsuite": None},
        "allowed_statuses": DEFAULT_STATUSES,
        "contacts": [
            {
                "label": "IT Director",
                "name": "Dana Whitfield",
                "email": "dana.whitfield@northwind.example",
                "phone": "+1 212 555 0142",
            },
            {
                "label": "Store operations",
                "name": "Luis Ortega",
                "email": "luis.ortega@northwind.example",
            },
        ],
    },
    {
        "label": "Contoso Health",
        "external_platform": {"epic": "CH-2291"},
        "allowed_statuses": [
            {"status": "Queued", "category": "PENDING", "description": "Waiting for intake"},
            {"status": "Imaging", "category": "IN_PROGRESS", "description": "Image being applied"},
            {"status": "QA", "category": "VERIFYING", "description": "Quality assurance check"},
            {"status": "On hold", "category": "BLOCKED", "description": "Waiting on the customer"},
            {"status": "Shipped", "category": "COMPLETE", "description": "Left the building"},
            {"status": "Voided", "category": "CANCELLED", "description": None},
        ],
        "contacts": [
            {
                "label": "Clinical engineering",
                "name": "Priya Raman",
                "email": "priya.raman@contoso-health.example",
                "phone": "+1 617 555 0199",
            },
        ],
    },
    {
        "label": "Fabrikam Schools",
        "external_platform": {},
        "allowed_statuses": [
            {"status": "To do", "category": "PENDING"},
            {"status": "Provisioning", "category": "IN_PROGRESS"},
            {"status": "Checked", "category": "VERIFYING"},
            {"status": "Stuck", "category": "BLOCKED"},
            {"status": "Delivered", "category": "COMPLETE"},
            {"status": "Dropped", "category": "CANCELLED"},
        ],
        "contacts": [
            {
                "label": "District IT",
                "name": "Morgan Lee",
                "email": "morgan.lee@fabrikam-schools.example",
            },
            # Shared with Northwind: one contact may serve several customers.
            {
                "label": "IT Director",
                "name": "Dana Whitfield",
                "email": "dana.whitfield@northwind.example",
            },
        ],
    },
]


class Command(BaseCommand):
    help = "Load demo customers with their own status vocabularies and contacts (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--actor",
            metavar="USERNAME",
            help=f"The user recorded as creating the data (default: {SYSTEM_USERNAME}).",
        )

    @transaction.atomic
    def handle(self, *args, actor=None, **options):
        if actor is None:
            acting_user = system_user()
        else:
            acting_user = User.objects.filter(username=actor).first()
            if acting_user is None:
                raise CommandError(f"No user called {actor!r}.")
        created = 0
        for spec in DEMO_CUSTOMERS:
            customer = Customer.objects.filter(label__iexact=spec["label"]).first()
            if customer is None:
                customer = customer_services.customer_create(
                    actor=acting_user,
                    label=spec["label"],
                    allowed_statuses=spec["allowed_statuses"],
                    external_platform=spec["external_platform"],
                )
                created += 1
            for contact in spec["contacts"]:
                customer_services.contact_attach(actor=acting_user, customer=customer, **contact)
        self.stdout.write(
            f"Demo data ready: {len(DEMO_CUSTOMERS)} customers ({created} new), with contacts."
        )
