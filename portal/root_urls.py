"""The portal's pages at the site's root, outside the ``portal`` namespace: the home page and the language
switch (``silon.urls`` includes this module by name, as it does every app's URLs)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("bahasa/<str:code>/", views.language_switch, name="language"),
]
