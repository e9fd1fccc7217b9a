from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .jurisdiction import region_q
from .roles import OFFICIAL_ROLES, KpuLevel, Role

__all__ = ["OFFICIAL_ROLES", "KpuLevel", "Role", "User"]  # the roles are imported from here across the apps


class User(AbstractUser):
    """A person who logs in. Reach is the region-code prefix ``region_code`` ('' = the whole country).

    Pair operators (LO) and party admins reach only the pair they were granted (django-guardian), not a
    region; their accounts are issued by KPU with a one-time password and expire after the election.
    """

    role = models.CharField(_("peran"), max_length=20, choices=Role.choices, default=Role.KPU_OPERATOR)
    level = models.CharField(_("tingkat"), max_length=10, choices=KpuLevel.choices, blank=True)
    region_code = models.CharField(
        _("kode wilayah yurisdiksi"),
        max_length=13,
        blank=True,
        help_text=_("Awalan kode wilayah Kemendagri, mis. 52 atau 52.01; kosong untuk nasional."),
    )
    must_change_password = models.BooleanField(_("wajib ganti kata sandi"), default=False)
    expires_at = models.DateTimeField(_("berlaku sampai"), null=True, blank=True)

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def __str__(self) -> str:
        return self.username

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_national(self) -> bool:
        return self.role in OFFICIAL_ROLES and not self.region_code

    @property
    def is_read_only(self) -> bool:
        return self.role == Role.BAWASLU

    # What the apps below accounts (the audit trail) ask of a user, so that they never import roles.

    @property
    def is_official(self) -> bool:
        """Staff of KPU or Bawaslu (``OFFICIAL_ROLES``), or a superuser."""
        return self.is_superuser or self.role in OFFICIAL_ROLES

    @property
    def is_supervisor(self) -> bool:
        """Bawaslu: supervises every stage, so each of its reads outside the public site is recorded."""
        return self.role == Role.BAWASLU

    def reach_q(self, field: str) -> Q:
        """The rows whose region code ``field`` lies within this user's reach (``jurisdiction.region_q``)."""
        return region_q(self, field)
