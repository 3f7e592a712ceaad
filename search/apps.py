from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    label = "qms_search"
    verbose_name = "Tìm kiếm"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from search import signals

        signals.connect()
