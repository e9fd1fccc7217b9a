from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .hashing import CHAIN_VERSION


class AuditEvent(models.Model):
    """One append-only entry of the audit trail.

    Each event carries the hash of the one before it (``prev_hash``) and its own ``hash`` over its content
    and ``prev_hash``, keyed with a secret the database does not hold (``hashing``), so editing or deleting an
    event breaks the chain (``manage.py audit_verify``). On PostgreSQL triggers also refuse UPDATE, DELETE and
    TRUNCATE on this table, and the application's role may only INSERT and SELECT (``db_roles``).
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
    # 1: unkeyed SHA-256 (events written before the chain was keyed); 2: HMAC-SHA256 (silon.audit.hashing)
    chain_version = models.PositiveSmallIntegerField(default=CHAIN_VERSION)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("catatan audit")
        verbose_name_plural = _("catatan audit")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.actor_username} {self.action} {self.object_repr}"


class CheckpointReason(models.TextChoices):
    HOURLY = "hourly", _("Berkala (per jam)")
    STAGE_CLOSED = "stage_closed", _("Tahapan ditutup")
    MANUAL = "manual", _("Manual")


class AuditCheckpoint(models.Model):
    """The chain head (event id, hash, time) signed with the Ed25519 key ``AUDIT_SIGNING_KEY``.

    Published on the open-data page and API: whoever keeps a copy can later prove, with ``manage.py
    audit_verify --checkpoints``, that the log still extends it (nothing at or before the event was removed
    or changed). Append-only like the events (triggers on PostgreSQL; the application role may only add).
    """

    signed_at = models.DateTimeField(_("ditandatangani"), db_index=True)
    event_id = models.BigIntegerField(_("id catatan"))
    event_hash = models.CharField(_("hash catatan"), max_length=64)
    event_time = models.DateTimeField(_("waktu catatan"))
    reason = models.CharField(_("alasan"), max_length=20, choices=CheckpointReason.choices)
    note = models.CharField(_("keterangan"), max_length=500, blank=True)
    public_key = models.CharField(_("kunci publik"), max_length=64)
    signature = models.CharField(_("tanda tangan"), max_length=128)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("titik periksa audit")
        verbose_name_plural = _("titik periksa audit")

    def __str__(self) -> str:
        return f"#{self.pk} event {self.event_id} {self.event_hash[:12]}… {self.signed_at:%Y-%m-%d %H:%M}"
