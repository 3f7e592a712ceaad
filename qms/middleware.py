"""Vietnamese first: the language is the user's explicit choice, never the browser's guess."""

from __future__ import annotations

from django.conf import settings
from django.urls import get_resolver
from django.utils import translation


class PreferredLanguageMiddleware:
    """Activate the language chosen with the language switch (cookie), else ``LANGUAGE_CODE``.

    Django's LocaleMiddleware follows Accept-Language, which would show English to every office
    whose computers run an English browser; staff expect Vietnamese unless they ask otherwise.
    The Wagtail admin applies each user's own profile preference on top of this.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}
        # Wagtail builds each snippet's add/edit form class once, while the URLconf is imported,
        # and its chooser widgets ("Chọn tài liệu") format their labels right then. Left to the
        # first request, a visitor with the English cookie would freeze those labels in English
        # for everyone until the next restart: import the URLconf now, in the default language.
        with translation.override(settings.LANGUAGE_CODE):
            get_resolver().url_patterns  # noqa: B018 (evaluated for its side effect)

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
