from django import forms
from django.utils.translation import gettext_lazy as _


class TeamForm(forms.Form):
    contact_name = forms.CharField(label=_("Nama penghubung (LO)"), max_length=200)
    mandate_letter = forms.FileField(label=_("Surat mandat (PDF)"))


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas dukungan (templat B.1-KWK .xlsx atau CSV UTF-8)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Alasan pencabutan"), max_length=255, required=False)


class ScanForm(forms.Form):
    village_code = forms.CharField(
        label=_("Kode desa/kelurahan"),
        max_length=13,
        widget=forms.TextInput(attrs={"placeholder": "52.01.01.2001", "pattern": r"\d\d\.\d\d\.\d\d\.\d{4}"}),
    )
    file = forms.FileField(
        label=_("Pindaian KTP pendukung desa/kelurahan ini (PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
    )


class DptImportForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas DPT (CSV UTF-8 dengan kolom NIK dan KODE_DESA)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
