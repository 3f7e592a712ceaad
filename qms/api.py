"""The JSON API at /api/v1/ (django-ninja). Each app contributes a router mounted below.

Authentication: the browser session (with CSRF on writes) or ``Authorization: Bearer <token>``
with a Wagtail API token (``manage.py create_api_token <username>``). Every endpoint requires
one of them unless it says ``auth=PUBLIC`` — and then it must still filter by ``qms.access``
(anonymous callers see public documents only). A bad or revoked token never falls back to the
session cookie: ``BearerTokenAuth`` resets ``request.user`` to anonymous.
"""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.security import SessionAuth
from wagtail.api.v3.auth import AllowAnonymous, BearerTokenAuth

AUTHENTICATED = [BearerTokenAuth(), SessionAuth()]
PUBLIC = [BearerTokenAuth(), SessionAuth(), AllowAnonymous()]

api = NinjaAPI(
    title="qms — Hệ thống quản lý chất lượng ISO 9001:2008",
    version="1",
    urls_namespace="api",
    auth=AUTHENTICATED,
)

# Routers are mounted here, one line per app module (keep this list sorted by prefix).
