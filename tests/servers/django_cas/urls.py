"""django-cas-server mounted under ``/cas/``, as Apereo CAS is: /cas/login, /cas/p3/serviceValidate ..."""

from __future__ import annotations

from django.urls import include, path

urlpatterns = [path("cas/", include("cas_server.urls", namespace="cas_server"))]
