"""The JSON API at /api/v1/ (django-ninja). Each app contributes a router mounted below.

Authentication: the browser session (with CSRF on writes) or ``Authorization: Bearer <token>``
with a Wagtail API token (``manage.py create_api_token <username>``). Every endpoint requires
one of them unless it says ``auth=PUBLIC`` — and then it must still filter by ``qms.access``
(anonymous callers see public documents only). A bad or revoked token never falls back to the
session cookie: ``BearerTokenAuth`` resets ``request.user`` to anonymous, and on ``PUBLIC``
endpoints a caller who presented a token that did not authenticate is refused (401) rather than
silently served as anonymous, so an integration notices its token was revoked.
"""

from __future__ import annotations

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import SessionAuth
from wagtail.api.v3.auth import AllowAnonymous, BearerTokenAuth

UNAUTHENTICATED_MESSAGE = "Cần đăng nhập hoặc mã truy cập API hợp lệ."
NOT_FOUND_MESSAGE = "Không tìm thấy hoặc bạn không có quyền xem."
INVALID_INPUT_MESSAGE = "Tham số không hợp lệ."


class AnonymousWithoutToken(AllowAnonymous):
    """Anonymous access for callers that presented no credentials in the Authorization header."""

    def __call__(self, request):
        if request.headers.get("Authorization"):
            return None
        return super().__call__(request)


AUTHENTICATED = [BearerTokenAuth(), SessionAuth()]
PUBLIC = [BearerTokenAuth(), SessionAuth(), AnonymousWithoutToken()]

api = NinjaAPI(
    title="qms — Hệ thống quản lý chất lượng ISO 9001:2008",
    version="1",
    urls_namespace="api",
    auth=AUTHENTICATED,
)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    response = api.create_response(request, {"detail": UNAUTHENTICATED_MESSAGE}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="qms"'
    return response


@api.exception_handler(Http404)
def _not_found(request, exc):
    # One answer for "does not exist" and "may not see": existence is not leaked.
    return api.create_response(request, {"detail": NOT_FOUND_MESSAGE}, status=404)


@api.exception_handler(ValidationError)
def _invalid_input(request, exc):
    # ninja's field-by-field errors stay under "errors" for programs; people read "detail".
    return api.create_response(
        request, {"detail": INVALID_INPUT_MESSAGE, "errors": exc.errors}, status=422
    )


# Routers are mounted here, one line per app module (keep this list sorted by prefix).
from documents import api_actions  # noqa: E402, F401  (write endpoints, on documents_router)
from documents.api import router as documents_router  # noqa: E402
from qms.api_org import router as org_router  # noqa: E402

api.add_router("/actions", "audits.api.actions_router")
api.add_router("/audits", "audits.api.audits_router")
api.add_router("/documents", documents_router)
api.add_router("/documents", "documents.api_files.router")  # same prefix, other url names
api.add_router("/findings", "audits.api.findings_router")
api.add_router("/search", "search.api.router")
api.add_router("/units", org_router)
