import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "silon.settings")

application = get_wsgi_application()

if os.environ.get("SILON_WARMUP", "1") != "0":
    from silon.warmup import warm_up

    warm_up()
