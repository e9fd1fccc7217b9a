"""HTML forms: shape and parse input only; every rule is checked again by the service they feed."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from regions.models import RegionListVersion

from .files import read_csv_upload, validate_pdf, validate_photo
from .models import (
    COUNT_MAX,
    SEATS_MAX,
    CandidateRole,
    DocumentCheck,
    ElectionType,
    PairStatus,
    Party,
    Path,
    RegulationVersion,
    Sex,
    Stage,
)

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_FORMAT, **kwargs)


def datetime_field(label):
    return forms.DateTimeField(label=label, widget=DateTimeInput(), input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"])


class ElectionFilterForm(forms.Form):
    type = forms.ChoiceField(label=_("Jenis"), required=False, choices=[("", _("Semua jenis")), *ElectionType.choices])
    region = forms.CharField(label=_("Kode wilayah"), required=False, max_length=13)
    year = forms.IntegerField(label=_("Tahun"), required=False, min_value=2000, max_value=2100)
    q = forms.CharField(label=_("Cari nama"), required=False, max_length=100)


class PairFilterForm(forms.Form):
    """The operator's pair list filters (the same as the API's ``election``, ``path`` and ``status``)."""

    election = forms.ModelChoiceField(
        label=_("Pemilihan"), required=False, queryset=None, empty_label=_("Semua pemilihan")
    )
    path = forms.ChoiceField(label=_("Jalur"), required=False, choices=[("", _("Semua jalur")), *Path.choices])
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Semua status")), *PairStatus.choices]
    )
    q = forms.CharField(label=_("Cari nama"), required=False, max_length=100)

    def __init__(self, *args, elections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["election"].queryset = elections


class PartyAdminRevokeForm(forms.Form):
    reason = forms.CharField(label=_("Alasan pencabutan"), max_length=255)


class ElectionForm(forms.Form):
    name = forms.CharField(label=_("Nama pemilihan"), max_length=200)
    type = forms.ChoiceField(label=_("Jenis pemilihan"), choices=ElectionType.choices)
    region_version = forms.ModelChoiceField(label=_("Versi daftar wilayah"), queryset=RegionListVersion.objects.all())
    regulation = forms.ModelChoiceField(label=_("Versi regulasi"), queryset=RegulationVersion.objects.all())
    region_code = forms.RegexField(
        label=_("Kode wilayah"),
        regex=r"^\d{2}(\.\d{2})?$",
        help_text=_("Provinsi (mis. 52) untuk gubernur; kabupaten/kota (mis. 52.01) untuk bupati/wali kota."),
        error_messages={"invalid": _("Kode wilayah harus berbentuk 52 atau 52.01.")},
    )
    polling_day = forms.DateField(label=_("Hari pemungutan suara"), widget=DateInput())
    dpt = forms.IntegerField(
        label=_("DPT"),
        min_value=1,
        max_value=COUNT_MAX,
        help_text=_("Jumlah pemilih pada DPT terakhir wilayah ini."),
    )
    total_valid_votes = forms.IntegerField(
        label=_("Jumlah suara sah DPRD"), min_value=0, max_value=COUNT_MAX, required=False
    )
    total_seats = forms.IntegerField(label=_("Jumlah kursi DPRD"), min_value=1, max_value=SEATS_MAX, required=False)


class StageWindowForm(forms.Form):
    stage = forms.ChoiceField(label=_("Tahapan"), choices=Stage.choices)
    starts_at = datetime_field(_("Mulai"))
    ends_at = datetime_field(_("Selesai"))


class StageExtensionForm(forms.Form):
    stage = forms.ChoiceField(label=_("Tahapan"), choices=Stage.choices)
    pair = forms.ModelChoiceField(
        label=_("Pasangan calon"), queryset=None, required=False, empty_label=_("Semua pasangan calon")
    )
    extended_until = datetime_field(_("Diperpanjang sampai"))
    reason = forms.CharField(label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, pairs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pair"].queryset = pairs


class CsvForm(forms.Form):
    file = forms.FileField(label=_("Berkas CSV"), required=False)
    text = forms.CharField(label=_("atau tempel isi CSV"), required=False, widget=forms.Textarea(attrs={"rows": 6}))

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload:
            data["content"] = read_csv_upload(upload)
        else:
            data["content"] = data.get("text") or ""
        if not data["content"].strip():
            raise ValidationError(_("Unggah berkas CSV atau tempel isinya."))
        return data


class PartyResultForm(forms.Form):
    party = forms.ModelChoiceField(label=_("Partai"), queryset=Party.objects.filter(is_active=True))
    votes = forms.IntegerField(label=_("Suara sah"), min_value=0, max_value=COUNT_MAX)
    seats = forms.IntegerField(label=_("Kursi"), min_value=0, max_value=SEATS_MAX)


class PairForm(forms.Form):
    path = forms.ChoiceField(label=_("Jalur"), choices=Path.choices)
    name = forms.CharField(label=_("Nama pasangan calon"), max_length=255)

    def __init__(self, *args, kind=None, **kwargs):
        """``kind``: the election's (``candidacy.kinds``): its paths and what its candidacy is called."""
        super().__init__(*args, **kwargs)
        if kind is not None:
            self.fields["path"].choices = [(p.value, p.label) for p in kind.paths]
            self.fields["name"].label = kind.name_label


class PairRenameForm(forms.Form):
    name = forms.CharField(label=_("Nama pasangan calon"), max_length=255)


class NominationForm(forms.Form):
    parties = forms.ModelMultipleChoiceField(
        label=_("Partai politik pengusul"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parties"].queryset = parties


class CandidateForm(forms.Form):
    nik = forms.RegexField(
        label=_("NIK"), regex=r"^\d{16}$", error_messages={"invalid": _("NIK harus 16 digit angka.")}
    )
    name = forms.CharField(label=_("Nama lengkap"), max_length=200)
    birth_place = forms.CharField(label=_("Tempat lahir"), max_length=100)
    birth_date = forms.DateField(label=_("Tanggal lahir"), widget=DateInput())
    sex = forms.ChoiceField(label=_("Jenis kelamin"), choices=Sex.choices)
    address = forms.CharField(label=_("Alamat"), widget=forms.Textarea(attrs={"rows": 2}))
    education = forms.CharField(label=_("Pendidikan terakhir"), max_length=100)
    occupation = forms.CharField(label=_("Pekerjaan"), max_length=100)
    photo = forms.FileField(label=_("Pas foto (JPG/PNG, maks. 2 MB)"), required=False, validators=[validate_photo])
    cv_summary = forms.CharField(
        label=_("Riwayat hidup singkat"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    cv_publication_consent = forms.BooleanField(
        label=_("Calon bersedia riwayat hidupnya dipublikasikan"), required=False
    )


class DocumentUploadForm(forms.Form):
    requirement = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)
    candidate = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=2**63 - 1)
    file = forms.FileField(label=_("Berkas PDF"), validators=[validate_pdf])


class DocumentCheckForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Hasil"),
        choices=[
            (DocumentCheck.COMPLETE, DocumentCheck.COMPLETE.label),
            (DocumentCheck.INCOMPLETE, DocumentCheck.INCOMPLETE.label),
        ],
    )
    note = forms.CharField(label=_("Catatan"), required=False, max_length=2000)


class TransitionForm(forms.Form):
    to = forms.ChoiceField(label=_("Status baru"), choices=PairStatus.choices)
    reason = forms.CharField(label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 2}))
    ballot_number = forms.IntegerField(label=_("Nomor urut"), required=False, min_value=1, max_value=99)


class ConfirmationForm(forms.Form):
    note = forms.CharField(label=_("Catatan (opsional)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


ROLE_SLUGS = {"kepala": CandidateRole.HEAD, "wakil": CandidateRole.DEPUTY, "dpd": CandidateRole.DPD}


class OutageForm(forms.Form):
    """An outage as a KPU operator records it (issue #18): when, which stages, what was affected."""

    starts_at = datetime_field(_("Gangguan mulai"))
    ends_at = datetime_field(_("Gangguan selesai"))
    stages = forms.MultipleChoiceField(
        label=_("Tahapan terdampak"), choices=Stage.choices, widget=forms.CheckboxSelectMultiple
    )
    affected = forms.CharField(
        label=_("Fungsi terdampak"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    region_code = forms.CharField(label=_("Kode wilayah (kosong: seluruh wilayah Anda)"), required=False, max_length=13)


class OutageDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("confirm", _("Konfirmasi")), ("dismiss", _("Tolak"))])
