from django.urls import path

from audits import views

app_name = "audits"

urlpatterns = [
    path("hanh-dong/", views.my_actions, name="my_actions"),
    path("hanh-dong/<int:pk>/da-thuc-hien/", views.report_implemented, name="report_implemented"),
]
