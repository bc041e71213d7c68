import factory
from django.utils import timezone

from helpdesk.accounts.models import Organization, User
from helpdesk.accounts.roles import Role, set_roles

PASSWORD = "correct-horse-battery"


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Company {n}")
    email_domain = factory.LazyAttribute(lambda o: f"{o.name.lower().replace(' ', '')}.example")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    name = factory.Faker("name")
    email_verified_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    roles = factory.PostGeneration(lambda user, create, extracted, **kw: _give_roles(user, extracted, []))


def _give_roles(user, extracted, default):
    user.save()
    set_roles(user, default if extracted is None else extracted)


class CustomerFactory(UserFactory):
    roles = factory.PostGeneration(lambda user, create, extracted, **kw: _give_roles(user, extracted, [Role.CUSTOMER]))


class AgentFactory(UserFactory):
    roles = factory.PostGeneration(lambda user, create, extracted, **kw: _give_roles(user, extracted, [Role.AGENT]))


class ManagerFactory(UserFactory):
    roles = factory.PostGeneration(lambda user, create, extracted, **kw: _give_roles(user, extracted, [Role.MANAGER]))
