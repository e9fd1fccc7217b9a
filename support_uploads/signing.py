"""The signature in a generated template's hidden metadata sheet: HMAC-SHA256 keyed from SECRET_KEY over the
template version, election and pair, so an altered template, or one taken from another pair, is recognised."""

from django.utils.crypto import constant_time_compare, salted_hmac

_SALT = "silon.support_uploads.template"


def template_signature(*, version: str, election_id: int, pair_id: int) -> str:
    return salted_hmac(_SALT, f"{version}|{election_id}|{pair_id}", algorithm="sha256").hexdigest()


def template_signature_valid(*, version: str, election_id: int, pair_id: int, signature: str) -> bool:
    expected = template_signature(version=version, election_id=election_id, pair_id=pair_id)
    return constant_time_compare(expected, signature or "")
