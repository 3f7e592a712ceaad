from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "audits"
    verbose_name = "Đánh giá nội bộ"
    default_auto_field = "django.db.models.BigAutoField"
