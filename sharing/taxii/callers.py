"""Who is calling: the lab whose live API token a request's Authorization header carries.

`Authorization: Bearer <token>`, or HTTP Basic with the token as the password and the
lab's id (or nothing) as the user name. Anything else is a 401 with a challenge.
"""

import base64

from sharing.exchange import Exchange
from sharing.taxii.error_message import TaxiiError
from sharing.taxii.tokens import token_holder

CHALLENGE = 'Bearer realm="dtix", Basic realm="dtix"'


def authenticated_lab(exchange: Exchange, header: str | None) -> str:
    """The lab whose live token the Authorization header carries; 401 otherwise."""
    scheme, _, credentials = (header or "").strip().partition(" ")
    user, token = None, credentials.strip()
    if scheme.lower() == "basic":
        try:
            user, _, token = base64.b64decode(token, validate=True).decode().partition(":")
        except ValueError:  # not base64, not ASCII, or not UTF-8 inside
            token = ""
    elif scheme.lower() != "bearer":
        token = ""
    holder = token_holder(exchange, token) if token else None
    participant = exchange.federation.participants.get(holder or "")
    if participant is None or participant.role != "lab" or user not in (None, "", holder):
        raise TaxiiError(
            401,
            "a valid API token is required (Authorization: Bearer <token>)",
            headers={"WWW-Authenticate": CHALLENGE},
        )
    return participant.id
