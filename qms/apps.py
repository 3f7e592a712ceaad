from django.apps import AppConfig


class QmsConfig(AppConfig):
    name = "qms"
    verbose_name = "Tổ chức và phân quyền"
    default_auto_field = "django.db.models.BigAutoField"
