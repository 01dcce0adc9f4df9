"""Relations under the generic resource contract, seen from a customer."""

from functools import cached_property

from relations.models import Relation
from relations.selectors import relation_id, relations_of
from relations.services import relation_create
from tests.api.resources import ResourceContract
from tests.factories import CustomerFactory, UserFactory


class TestRelations(ResourceContract):
    model = Relation
    id_field = "relation_id"
    embedded_key = "nter:relations"
    # Relations hang off their entity: reading it reads them; relating needs customer:attach,
    # removing a relation customer:detach.
    permission = "customer:%s"
    link_rels = frozenset({"self", "nter:user"})
    detail_link_rels = frozenset()
    can_replace = False  # the docs have no PUT for relations: delete and relate again
    create_status, delete_status = 201, 200
    invalid_bodies = [
        ({"relation": "friend"}, "enum", ".relation"),
        ({"entity": {"entity_type": "NOPE", "entity_id": "x"}}, "enum", ".entity.entity_type"),
        (
            {"entity": {"entity_type": "USER", "entity_id": "missing"}},
            "exists",
            ".entity.entity_id",
        ),
    ]

    @cached_property
    def customer(self):
        return CustomerFactory()

    def perm(self, action):
        verb = {"create": "attach", "delete": "detach"}.get(action, action)
        return f"customer:{verb}"

    def make(self):
        link = relation_create(subject=UserFactory(), obj=self.customer, relation="owner")
        # A relation's id is per end: the customer's view of it.
        link.public_id = relation_id(relations_of(self.customer).get(pk=link.pk).direction, link.pk)
        return link

    def list_url(self, obj):
        return f"/api/customers/{self.customer.public_id}/relations"

    def detail_url(self, obj):
        return f"{self.list_url(obj)}/{obj.public_id}"

    def valid_body(self, obj):
        user = UserFactory()
        return {
            "relation": "viewer",
            "entity": {"entity_type": "USER", "entity_id": user.public_id},
        }
