from django.conf import settings
from django.contrib.staticfiles.urls import staticfiles_urlpatterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

from documents import download_views, verification
from qms.api import api

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),  # language switch (set_language)
    path("documents/", include("documents.urls")),
    path("", include("documents.site_urls")),  # the staff site (before Wagtail's catch-all)
    path("tai-lieu/<int:pk>/tai-ve/", download_views.download, name="documents_download"),
    path("danh-gia/", include("audits.urls")),  # "my actions" page of action owners
    path("tim-kiem/", include("search.urls")),  # staff search page (public documents for all)
    path("v/", verification.verify_copy, name="verify_copy_form"),  # public, no login
    path("v/<str:code>/", verification.verify_copy, name="verify_copy"),
    path("", include(wagtail_urls)),
]

if settings.DEBUG:
    urlpatterns = staticfiles_urlpatterns() + urlpatterns
