import factory
from django.utils.text import slugify

from socialvalue.accounts.models import Directorate, Organisation, ServiceArea, User


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = Organisation.Kind.SUPPLIER
    size = Organisation.Size.SMALL


class DirectorateFactory(factory.django.DjangoModelFactory[Directorate]):
    class Meta:
        model = Directorate
        django_get_or_create = ("organisation", "name")

    organisation = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.BUYER)
    name = factory.Sequence(lambda n: f"Directorate {n}")


class ServiceAreaFactory(factory.django.DjangoModelFactory[ServiceArea]):
    class Meta:
        model = ServiceArea
        django_get_or_create = ("directorate", "name")

    directorate = factory.SubFactory(DirectorateFactory)
    name = factory.Sequence(lambda n: f"Service area {n}")


def _save_user(obj: User, create: bool, extracted: object, **kwargs: object) -> None:
    # Saved once, after the password is set, so that the password is stored.
    if create:
        obj.save()


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Sequence(lambda n: f"User {n}")
    role = User.Role.OFFICER
    organisation = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.BUYER)
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    _save = factory.PostGeneration(_save_user)
