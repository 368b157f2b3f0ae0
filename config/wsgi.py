import os

from django.core.wsgi import get_wsgi_application

from config.serving import require_serving_settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
# Refuse to start, rather than fail on the first request, without a secret key or hosts.
require_serving_settings()
