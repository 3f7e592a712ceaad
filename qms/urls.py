from django.conf import settings
from django.contrib.staticfiles.urls import staticfiles_urlpatterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

from qms.api import api

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("api/v1/", api.urls),
    path("documents/", include("documents.urls")),
    path("", include(wagtail_urls)),
]

if settings.DEBUG:
    urlpatterns = staticfiles_urlpatterns() + urlpatterns
