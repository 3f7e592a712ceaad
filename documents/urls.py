from django.urls import path

from documents import views

app_name = "documents"
urlpatterns = [
    path("<int:pk>/file/", views.document_file, name="file"),
]
