"""TAXII 2.1 responses: every answer, errors included, as `application/taxii+json`."""

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from sharing.taxii.error_message import TaxiiError, error_body
from sharing.taxii.media import TAXII_MEDIA


def taxii(
    body: dict[str, Any], headers: dict[str, str] | None = None, *, status: int = 200
) -> JSONResponse:
    """A TAXII 2.1 response."""
    return JSONResponse(body, status_code=status, headers=headers, media_type=TAXII_MEDIA)


def answer_errors_as_taxii(app: FastAPI) -> None:
    """Every error, ours or the framework's (404, 405, bad parameters), as a TAXII error."""

    @app.exception_handler(TaxiiError)
    def _taxii_error(request: Request, exc: TaxiiError) -> JSONResponse:
        return taxii(exc.body(), exc.headers, status=exc.status)

    @app.exception_handler(StarletteHTTPException)
    def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        description = exc.detail if isinstance(exc.detail, str) else "refused"
        return taxii(error_body(exc.status_code, description), exc.headers, status=exc.status_code)

    @app.exception_handler(Exception)
    def _failed(request: Request, exc: Exception) -> JSONResponse:
        return taxii(error_body(500, "the server failed to answer; see its log"), status=500)

    @app.exception_handler(RequestValidationError)
    def _bad_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        return taxii(error_body(400, "the request's parameters are malformed"), status=400)
