"""Logins and failed logins go to the audit trail (the password never does)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from silon.audit import actions
from silon.audit.services import audit_record


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit_record(actor=user, action=actions.ACCOUNT_LOGIN, obj=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        # a logout the server made (a supervisor's idle session) says why
        after = getattr(request, "logout_reason", None)
        audit_record(actor=user, action=actions.ACCOUNT_LOGOUT, obj=user, after=after)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    audit_record(
        actor=None,
        action=actions.ACCOUNT_LOGIN_FAILED,
        object_type="accounts.user",
        object_repr=str(credentials.get("username", ""))[:150],
    )
