from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .services import new_password_problem, user_change_password


class SilonPasswordChangeForm(PasswordChangeForm):
    """Django's form, plus the service's rule: not the current (issued) password, not the username."""

    def clean(self):
        data = super().clean()
        new = data.get("new_password2")
        problem = new and not self.has_error("new_password2") and new_password_problem(user=self.user, new_password=new)
        if problem:
            self.add_error("new_password2", ValidationError(problem, code="password_unchanged"))
        return data


@login_required
def password_change(request):
    form = SilonPasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = user_change_password(user=request.user, new_password=form.cleaned_data["new_password1"])
        update_session_auth_hash(request, user)
        messages.success(request, _("Kata sandi berhasil diganti."))
        return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/password_change.html", {"form": form, "forced": request.user.must_change_password})
