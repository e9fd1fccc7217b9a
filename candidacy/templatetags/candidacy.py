from django import template

from silon.privacy import Kind, Viewer

register = template.Library()


@register.filter
def candidate_nik(value: str, viewer: Viewer) -> str:
    """A candidate's NIK as ``viewer`` may see it (``silon.privacy.POLICY``, UU 27/2022)."""
    return viewer.show(Kind.CANDIDATE_NIK, value)
