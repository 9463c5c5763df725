"""WSGI entry point: ``gunicorn upward.web.wsgi:application``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "upward.web.settings")
application = get_wsgi_application()
