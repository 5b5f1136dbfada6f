"""The base of every API view, and the response shapes views share in their schemas."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.serializers import ErrorEnvelopeSerializer, success_envelope
from core.models import ApiKey

ERRORS_401 = {401: ErrorEnvelopeSerializer}
ERRORS_400_401 = {400: ErrorEnvelopeSerializer, 401: ErrorEnvelopeSerializer}
ERRORS_401_404 = {401: ErrorEnvelopeSerializer, 404: ErrorEnvelopeSerializer}
ERRORS_WITH_BODY = dict.fromkeys((400, 401, 404, 413, 415), ErrorEnvelopeSerializer)
EMPTY_SUCCESS = success_envelope(
    "EmptySuccessResponse", serializers.DictField(help_text="Always empty: `{}`.")
)


class KomboApiView(APIView):
    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # DRF authenticates before it looks at the method, so a wrong method without a key was
        # a 401; the endpoints are public (the schema lists them), their methods are no secret.
        method = request.method.lower() if request.method else ""
        if method not in self.http_method_names or not hasattr(self, method):
            self.http_method_not_allowed(request)
        super().initial(request, *args, **kwargs)

    def api_key(self, request: Request) -> ApiKey:
        api_key = request.auth
        # `HasApiKey` (the default permission) refused the request otherwise.
        assert isinstance(api_key, ApiKey)
        return api_key


def success(data: Any) -> Response:
    return Response({"status": "success", "data": data})
