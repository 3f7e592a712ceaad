"""Vietnamese first: the language is the user's explicit choice, never the browser's guess."""

from __future__ import annotations

from django.conf import settings
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

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
