"""How the OpenAPI schema describes our token and our filters."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):  # type: ignore[no-untyped-def]
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Token pribadi dari halaman Token API (atau `manage.py create_api_token`), "
                           "dengan awalan: `Token <token>`.",
        }


class AutoSchema(SpectacularAutoSchema):
    """A list's query parameters are its view's `FilterSerializer` (the one the view validates with)."""

    def get_override_parameters(self):  # type: ignore[no-untyped-def]
        parameters = list(super().get_override_parameters())
        filters = getattr(self.view, "FilterSerializer", None)
        if filters is not None and self.method == "GET" and filters().fields:
            parameters.append(filters)
        return parameters
