import factory

from silon.accounts.models import KpuLevel, Role, User

PASSWORD = "Sandi-Uji-2026!"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.KPU_OPERATOR
    level = KpuLevel.KABKOTA
    region_code = "52.01"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def operator(region_code: str, **kwargs) -> User:
    level = {2: KpuLevel.PROVINSI, 5: KpuLevel.KABKOTA}.get(len(region_code), KpuLevel.RI)
    return UserFactory(role=Role.KPU_OPERATOR, level=level, region_code=region_code, **kwargs)
