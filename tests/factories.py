import factory
from factory.django import DjangoModelFactory

from customers.models import Contact, Customer
from customers.statuses import DEFAULT_STATUSES
from relations.models import RelationType
from relations.services import relation_ensure
from users.models import User


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User{n}")


class CustomerFactory(DjangoModelFactory):
    class Meta:
        model = Customer

    label = factory.Sequence(lambda n: f"Customer {n:04d}")
    allowed_statuses = factory.LazyFunction(lambda: [dict(s) for s in DEFAULT_STATUSES])
    external_platform = factory.LazyFunction(dict)


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact
        skip_postgeneration_save = True

    label = "Buyer"
    name = factory.Sequence(lambda n: f"Contact Person {n}")
    email = factory.Sequence(lambda n: f"contact{n}@example.com")
    phone = "518-867-5309"

    @factory.post_generation
    def customers(self, create, extracted, **kwargs):
        for customer in extracted or ():
            relation_ensure(subject=self, obj=customer, relation=RelationType.CONTACT)
