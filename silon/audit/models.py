from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One append-only entry of the audit trail.

    Each event carries the hash of the one before it (``prev_hash``) and its own ``hash`` over its content
    and ``prev_hash``, so editing or deleting an event breaks the chain (``manage.py audit_verify``). On
    PostgreSQL a trigger also refuses UPDATE and DELETE on this table.
    """

    created_at = models.DateTimeField(_("waktu"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_username = models.CharField(_("pelaku"), max_length=150, blank=True)
    actor_role = models.CharField(_("peran"), max_length=20, blank=True)
    action = models.CharField(_("tindakan"), max_length=80, db_index=True)
    object_type = models.CharField(_("jenis objek"), max_length=80, blank=True, db_index=True)
    object_id = models.CharField(_("id objek"), max_length=64, blank=True)
    object_repr = models.CharField(_("objek"), max_length=255, blank=True)
    region_code = models.CharField(_("kode wilayah"), max_length=13, blank=True, db_index=True)
    before = models.JSONField(_("sebelum"), null=True, blank=True)
    after = models.JSONField(_("sesudah"), null=True, blank=True)
    ip_address = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("catatan audit")
        verbose_name_plural = _("catatan audit")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.actor_username} {self.action} {self.object_repr}"
