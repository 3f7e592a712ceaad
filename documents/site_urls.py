"""URLs of the staff site (Vietnamese slugs). Mounted at the root before Wagtail's catch-all."""

from django.contrib.auth import views as auth_views
from django.urls import path

from documents import site_distribution_views as dist
from documents import site_views

app_name = "site"
urlpatterns = [
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(
            template_name="qms/login.html", redirect_authenticated_user=True, next_page="/"
        ),
        name="login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(next_page="/"), name="logout"),
    path("tai-lieu/", site_views.library, name="library"),
    path("tai-lieu/cua-don-vi-toi/", site_views.my_unit, name="my_unit"),
    path("tai-lieu/moi-ban-hanh/", site_views.recent, name="recent"),
    path("tai-lieu/<int:pk>/", site_views.document_detail, name="document"),
    path("tai-lieu/<int:pk>/lan/<int:number>/", site_views.revision_detail, name="revision"),
    path("tai-lieu/<int:pk>/so-sanh/", site_views.compare, name="compare"),
    path("don-vi/", site_views.units, name="units"),
    path("don-vi/<str:short_code>/", site_views.library, name="unit"),
    path("loai/<str:kind>/", site_views.library, name="kind"),
    path("dieu-khoan/<str:clause>/", site_views.library, name="clause"),
    path("theo-ngay/", site_views.as_of, name="as_of"),
    # Distribution and upkeep (documents.site_distribution_views).
    path("tai-lieu/<int:pk>/lan/<int:number>/da-doc/", dist.acknowledge, name="acknowledge"),
    path("xac-nhan-da-doc/", dist.my_acknowledgements, name="my_acknowledgements"),
    path("tai-lieu/<int:pk>/tinh-hinh-doc/", dist.coverage, name="coverage"),
    path("tai-lieu/<int:pk>/de-nghi-sua-doi/", dist.request_change, name="request_change"),
    path("thu-ky/de-nghi-sua-doi/", dist.change_request_inbox, name="change_requests"),
    path(
        "thu-ky/de-nghi-sua-doi/<int:pk>/tra-loi/",
        dist.answer_change_request,
        name="answer_change_request",
    ),
    path("thu-ky/xem-xet-dinh-ky/", dist.review_due, name="review_due"),
    path("tai-lieu/<int:pk>/xem-xet-dinh-ky/", dist.periodic_review, name="periodic_review"),
    path("tai-lieu/<int:pk>/ban-kiem-soat/", dist.copies, name="copies"),
    path("thu-ky/thu-hoi-ban-kiem-soat/", dist.recall_list, name="recall_list"),
    path("ban-kiem-soat/<int:pk>/thu-hoi/", dist.recall_copy, name="recall_copy"),
]
