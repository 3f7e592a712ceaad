"""The JSON API at /api/v1/ (django-ninja); each app contributes a router."""

from ninja import NinjaAPI

api = NinjaAPI(title="qms API", version="1", urls_namespace="api")
