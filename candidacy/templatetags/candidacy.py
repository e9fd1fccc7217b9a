from django import template

from silon.privacy import mask_nik as _mask_nik

register = template.Library()


@register.filter
def mask_nik(value: str) -> str:
    """A NIK as lists show it (UU 27/2022): region of issue and serial only."""
    return _mask_nik(value)
