from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "Tài liệu kiểm soát"
    default_auto_field = "django.db.models.BigAutoField"
