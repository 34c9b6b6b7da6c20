"""TaxiiError: a refusal the server answers with a TAXII 2.1 error message resource.

The body is `{"title", "description", "http_status"}` (`http_status` is a string, as the
specification has it), sent as `application/taxii+json;version=2.1`.
"""

from http import HTTPStatus
from typing import Any


class TaxiiError(Exception):
    """A request the server refuses; `status` is the HTTP status code."""

    def __init__(
        self, status: int, description: str, *, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.headers = headers or {}

    @property
    def title(self) -> str:
        return HTTPStatus(self.status).phrase

    def body(self) -> dict[str, Any]:
        return error_body(self.status, self.description)


def error_body(status: int, description: str) -> dict[str, Any]:
    """The TAXII error message resource for `status`."""
    return {
        "title": HTTPStatus(status).phrase,
        "description": description,
        "http_status": str(status),
    }
