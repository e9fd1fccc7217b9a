"""Downtime becomes time (issue #18, docs/domain.md §9.4): outages of the system, recorded by a KPU operator
or proposed from the health probes, and the probes themselves."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OutageStatus(models.TextChoices):
    PROPOSED = "proposed", _("Diusulkan sistem")
    CONFIRMED = "confirmed", _("Dikonfirmasi")
    DISMISSED = "dismissed", _("Ditolak")


class Outage(models.Model):
    """A span of time in which SILON (or part of it) did not serve. A confirmed outage extends the affected
    stage of every pair in its region whose window overlapped it (``services.outages.outage_record``)."""

    region_code = models.CharField(_("kode wilayah"), max_length=13, blank=True)  # "" = the whole country
    starts_at = models.DateTimeField(_("mulai"))
    ends_at = models.DateTimeField(_("selesai"))
    stages = models.JSONField(_("tahapan terdampak"), default=list)  # Stage values
    affected = models.TextField(_("fungsi terdampak"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=OutageStatus.choices, default=OutageStatus.CONFIRMED)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("gangguan sistem")
        verbose_name_plural = _("gangguan sistem")
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="outage_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.region_code or '-'} {self.starts_at:%Y-%m-%d %H:%M} → {self.ends_at:%H:%M}"

    @property
    def length(self):
        return self.ends_at - self.starts_at


class HealthProbe(models.Model):
    """One run of the periodic health check: database, broker, storage. ``failures`` names what failed."""

    at = models.DateTimeField(db_index=True)
    ok = models.BooleanField()
    failures = models.JSONField(default=list)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("pemeriksaan kesehatan")
        verbose_name_plural = _("pemeriksaan kesehatan")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {'ok' if self.ok else ','.join(self.failures)}"
