from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .panels import dashboard_context


@login_required
def dashboard(request):
    user = request.user
    context = {"role_label": user.get_role_display(), "read_only": user.is_read_only, **dashboard_context(user)}
    return render(request, "dashboard/dashboard.html", context)
