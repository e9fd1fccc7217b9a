"""Forms of public responses on a pair (docs/domain.md §9.2): the public's form and the operator's two steps."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ResponseOutcome


class PublicResponseForm(forms.Form):
    """Field names are the service's arguments; ``candidate`` is '' for the pair as a whole."""

    candidate = forms.ChoiceField(label=_("Tentang"), required=False)
    body = forms.CharField(label=_("Tanggapan"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6}))
    name = forms.CharField(label=_("Nama lengkap"), max_length=100)
    nik = forms.CharField(label=_("NIK"), max_length=16, min_length=16)
    contact = forms.CharField(label=_("Nomor telepon atau e-mail"), max_length=120)
    evidence = forms.FileField(label=_("Bukti (PDF, JPG atau PNG; tidak wajib)"), required=False)

    def __init__(self, *args, pair, **kwargs):
        super().__init__(*args, **kwargs)
        self.pair = pair
        self.fields["candidate"].choices = [("", _("Pasangan calon"))] + [
            (str(c.pk), f"{c.get_role_display()}: {c.name}") for c in pair.candidates.order_by("role")
        ]

    def clean_candidate(self):
        value = self.cleaned_data.get("candidate") or ""
        return self.pair.candidates.filter(pk=value).first() if value else None


class ClarifyForm(forms.Form):
    clarification = forms.CharField(label=_("Hasil klarifikasi dengan pasangan calon"), widget=forms.Textarea)


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Hasil"), choices=ResponseOutcome.choices)
    reason = forms.CharField(label=_("Alasan"), widget=forms.Textarea)
