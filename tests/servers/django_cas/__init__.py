"""A tiny Django project serving django-cas-server (PyPI) under ``/cas/``: a real CAS protocol server
without MFA, for proving the HTTP target against a server this project did not write.

``python -m tests.servers.django_cas.launcher`` migrates a SQLite database, provisions the user and the
service (see ``launcher.py``), and serves the project with waitress on 127.0.0.1.
"""
