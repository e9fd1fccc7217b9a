"""The required-document checklist and the uploaded revisions of each document."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .pairs import Candidate, CandidatePair, Path
from .regulation import RegulationVersion


class DocumentScope(models.TextChoices):
    PAIR = "pair", _("Pasangan calon")
    EACH_CANDIDATE = "candidate", _("Setiap calon")


class DocumentRequirement(models.Model):
    """One entry of the required-document checklist of a path under a regulation version (admin-editable)."""

    regulation = models.ForeignKey(RegulationVersion, on_delete=models.CASCADE, related_name="document_requirements")
    path = models.CharField(_("jalur"), max_length=12, choices=Path.choices)
    code = models.SlugField(_("kode"), max_length=40)
    label = models.CharField(_("nama dokumen"), max_length=255)
    label_en = models.CharField(
        _("nama dokumen (bahasa Inggris)"),
        max_length=255,
        blank=True,
        help_text=_("Ditampilkan di halaman berbahasa Inggris; bila kosong, nama dokumen yang dipakai."),
    )
    scope = models.CharField(_("untuk"), max_length=10, choices=DocumentScope.choices)
    note = models.CharField(_("keterangan"), max_length=255, blank=True)
    is_required = models.BooleanField(_("wajib"), default=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["regulation", "path", "order", "code"]
        verbose_name = _("syarat dokumen")
        verbose_name_plural = _("syarat dokumen")
        constraints = [models.UniqueConstraint(fields=["regulation", "path", "code"], name="doc_requirement_unique")]

    def __str__(self) -> str:
        return self.label

    def label_for(self, language: str | None) -> str:
        """The label in ``language`` (a language code such as ``en`` or ``en-us``): the English one where it
        is filled in, the Indonesian one otherwise."""
        if language and language.split("-")[0] == "en" and self.label_en:
            return self.label_en
        return self.label


class DocumentCheck(models.TextChoices):
    PENDING = "pending", _("Belum diperiksa")
    COMPLETE = "complete", _("Lengkap")
    INCOMPLETE = "incomplete", _("Tidak lengkap")


class Document(models.Model):
    """One uploaded revision of a required document. A new upload is a new revision; none is overwritten."""

    pair = models.ForeignKey(CandidatePair, on_delete=models.CASCADE, related_name="documents")
    requirement = models.ForeignKey(DocumentRequirement, on_delete=models.PROTECT, related_name="documents")
    candidate = models.ForeignKey(Candidate, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    revision = models.PositiveSmallIntegerField(_("revisi"))
    file = models.FileField(_("berkas"), upload_to="candidacy/documents/%Y/%m/")
    original_name = models.CharField(_("nama berkas"), max_length=255)
    size = models.PositiveBigIntegerField(_("ukuran"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    check_status = models.CharField(
        _("hasil pemeriksaan"), max_length=10, choices=DocumentCheck.choices, default=DocumentCheck.PENDING
    )
    check_note = models.TextField(_("catatan pemeriksaan"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pair", "requirement__order", "candidate_id", "-revision"]
        verbose_name = _("dokumen")
        verbose_name_plural = _("dokumen")
        constraints = [
            models.UniqueConstraint(
                fields=["pair", "requirement", "candidate", "revision"],
                condition=models.Q(candidate__isnull=False),
                name="document_revision_unique",
            ),
            models.UniqueConstraint(
                fields=["pair", "requirement", "revision"],
                condition=models.Q(candidate__isnull=True),
                name="document_pair_revision_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requirement} r{self.revision}"
