"""Dashboard panels of ``regions`` (registered with ``dashboard.panels``)."""

from dashboard import panels

from .models import Region


@panels.register(when=panels.everyone, order=0)
def region_label(user) -> dict:
    """The name of the user's region for the header (any list version: a name outlives decrees), or the code."""
    if not user.region_code:
        return {"region_label": ""}
    name = Region.objects.filter(code=user.region_code).order_by("-version_id").values_list("name", flat=True).first()
    return {"region_label": f"{name} ({user.region_code})" if name else user.region_code}
