from django import forms
from django.utils.translation import gettext_lazy as _


class CheckForm(forms.Form):
    nik = forms.CharField(
        label=_("NIK"),
        min_length=16,
        max_length=16,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "pattern": r"\d{16}", "autocomplete": "off"}),
    )
    name = forms.CharField(
        label=_("Nama sesuai KTP"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )


class ObjectionForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=2000)
    statement = forms.CharField(
        label=_("Pernyataan"),
        max_length=4000,
        initial=_("Saya tidak memberikan dukungan ini."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    phone = forms.CharField(label=_("Nomor telepon"), max_length=32, required=False)
    email = forms.EmailField(label=_("Alamat surel"), required=False)
    ktp_photo = forms.FileField(
        label=_("Foto KTP (tidak wajib, JPEG atau PNG)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )


class ReceiptForm(forms.Form):
    kode = forms.CharField(label=_("Kode tanda terima"), max_length=32)


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Keputusan"),
        choices=[("confirm", _("Dikonfirmasi: dukungan TMS")), ("reject", _("Tidak dikonfirmasi"))],
        widget=forms.RadioSelect,
    )
    clarified_on = forms.DateField(
        label=_("Tanggal klarifikasi (BA.5-KWK)"), widget=forms.DateInput(attrs={"type": "date"})
    )
    notes = forms.CharField(
        label=_("Catatan klarifikasi"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    reason = forms.CharField(
        label=_("Alasan (wajib bila tidak dikonfirmasi)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    scan = forms.FileField(label=_("Pindaian BA.5-KWK (PDF, tidak wajib)"), required=False)
