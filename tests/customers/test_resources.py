"""Customers, contacts, programs and projects under the generic resource contract."""

from functools import cached_property

from customers.models import Contact, Customer, Program, Project
from tests.api.resources import ResourceContract
from tests.factories import ContactFactory, CustomerFactory, ProgramFactory, ProjectFactory

STATUSES = [{"status": "Open", "category": "PENDING"}, {"status": "Done", "category": "COMPLETE"}]


class TestCustomers(ResourceContract):
    model = Customer
    id_field = "customer_id"
    embedded_key = "nter:customers"
    permission = "customer:%s"
    link_rels = frozenset(
        {
            "self",
            "nter:customer-programs",
            "nter:customer-projects",
            "nter:customer-work-orders",
            "nter:customer-contacts",
            "nter:customer-parts",
            "nter:customer-units",
        }
    )
    invalid_bodies = [
        ({"label": 5}, "type", ".label"),
        ({"allowed_statuses": []}, "minItems", ".allowed_statuses"),
        (
            {"allowed_statuses": [{"status": "Open", "category": "X"}]},
            "enum",
            ".allowed_statuses[0].category",
        ),
        ({"external_platform": {"9lives": "x"}}, "pattern", ".external_platform"),
        ({"colour": "red"}, "additionalProperties", ".colour"),
    ]

    def make(self):
        return CustomerFactory()

    def list_url(self, obj):
        return "/api/customers"

    def detail_url(self, obj):
        return f"/api/customers/{obj.public_id}"

    def valid_body(self, obj):
        return {"label": "Fabrikam", "allowed_statuses": STATUSES}

    def changed(self, fetched):
        return {**fetched, "label": "Renamed"}


class CustomerChild(ResourceContract):
    """Rows of one customer, so its child lists page through several."""

    @cached_property
    def customer(self):
        return CustomerFactory()


class TestContacts(CustomerChild):
    model = Contact
    id_field = "contact_id"
    embedded_key = "nter:contacts"
    permission = "contact:%s"
    link_rels = frozenset({"self"})

    def read_permissions(self):
        # A customer's contacts are read with the customer (``/customers/{id}/contacts``).
        return ("contact:read", "customer:read")

    invalid_bodies = [
        ({"email": "not an address"}, "format", ".email"),
        ({"name": 5}, "type", ".name"),
        ({"phone": 5}, "type", ".phone"),
    ]

    def make(self):
        return ContactFactory(customers=[self.customer])

    def list_url(self, obj):
        return "/api/contacts"

    def child_list_urls(self, obj):
        return [f"/api/customers/{self.customer.public_id}/contacts"]

    def detail_url(self, obj):
        return f"/api/contacts/{obj.public_id}"

    def valid_body(self, obj):
        return {"label": "Buyer", "name": "Sam Carter", "email": "sam@sg1.example"}

    def changed(self, fetched):
        return {**fetched, "name": "Samantha Carter"}


class TestPrograms(CustomerChild):
    model = Program
    id_field = "program_id"
    embedded_key = "nter:programs"
    permission = "program:%s"
    referenced_permissions = ("customer:read",)
    link_rels = frozenset(
        {"self", "nter:program-customer", "nter:program-projects", "nter:program-work-orders"}
    )
    invalid_bodies = [
        ({"label": 5}, "type", ".label"),
        ({"customer": {"customer_id": "missing"}}, "exists", ".customer.customer_id"),
        (
            {"allowed_statuses": [{"status": "Other", "category": "PENDING"}]},
            "subset",
            ".allowed_statuses",
        ),
    ]

    def make(self):
        return ProgramFactory(customer=self.customer)

    def list_url(self, obj):
        return "/api/programs"

    def child_list_urls(self, obj):
        return [f"/api/customers/{self.customer.public_id}/programs"]

    def detail_url(self, obj):
        return f"/api/programs/{obj.public_id}"

    def valid_body(self, obj):
        return {"label": "North-east", "customer": {"customer_id": self.customer.public_id}}

    def changed(self, fetched):
        return {**fetched, "label": "North-west"}


class TestProjects(CustomerChild):
    model = Project
    id_field = "project_id"
    embedded_key = "nter:projects"
    permission = "project:%s"
    referenced_permissions = ("program:read",)
    link_rels = frozenset(
        {
            "self",
            "nter:project-program",
            "nter:project-customer",
            "nter:project-work-orders",
            "nter:project-units",
        }
    )
    invalid_bodies = [
        ({"label": ""}, "minLength", ".label"),
        ({"program": {"program_id": "missing"}}, "exists", ".program.program_id"),
        ({"description": 5}, "type", ".description"),
    ]

    @cached_property
    def program(self):
        return ProgramFactory(customer=self.customer)

    def make(self):
        return ProjectFactory(program=self.program)

    def list_url(self, obj):
        return "/api/projects"

    def child_list_urls(self, obj):
        return [
            f"/api/customers/{self.customer.public_id}/projects",
            f"/api/programs/{self.program.public_id}/projects",
        ]

    def detail_url(self, obj):
        return f"/api/projects/{obj.public_id}"

    def valid_body(self, obj):
        return {"label": "New York", "program": {"program_id": self.program.public_id}}

    def changed(self, fetched):
        return {**fetched, "description": "The Manhattan stores"}
