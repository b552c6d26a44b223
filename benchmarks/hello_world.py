"""The yardstick for benchmarks/http_load.py: the smallest Django app there is, one view answering
"Hello, world", served by the same gunicorn as the portal. What the portal costs on top of
this is the portal's own work.

Run as `gunicorn benchmarks.hello_world:application` from the project's root.
"""

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY="hello-world-benchmark-only",
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
)


def hello(request):
    return HttpResponse("Hello, world", content_type="text/plain")


urlpatterns = [path("", hello)]

application = get_wsgi_application()
