"""The sign-in form: Django's, with its refusal said once in the site's words."""

from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    # Django's Indonesian "invalid_login" puts the field's name after "nama pengguna" ("Masukkan nama pengguna
    # nama pengguna dan sandi…"); the site says it once, without naming the field twice.
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Nama pengguna atau kata sandi salah. Huruf besar dan kecil dibedakan."),
    }
