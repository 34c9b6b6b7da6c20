"""Labs that publish on a TAXII 2.1 server of their own, for the hub to pull from.

A federation names them in federation.toml, one table per lab:

    [taxii_sources.openai]
    url = "https://taxii.openai.example/api/"    # the API root
    collection = "91a7b528-80eb-42ed-a74d-c6fbd5a26116"
    token_env = "DTIX_TAXII_OPENAI_TOKEN"         # the variable holding the bearer token

The token itself is never written in the file.
"""

import os
import re
import tomllib
from dataclasses import dataclass

from sharing.errors import FederationError
from sharing.federation import Federation
from sharing.home import Home

_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_COLLECTION = re.compile(r"[A-Za-z0-9._~-]+")


@dataclass(frozen=True)
class TaxiiSource:
    lab: str
    url: str  # the API root, ending in '/'
    collection: str
    token_env: str

    @property
    def objects_url(self) -> str:
        return f"{self.url}collections/{self.collection}/objects/"

    def token(self) -> str:
        """The bearer token from the environment; FederationError when it is not set."""
        token = os.environ.get(self.token_env, "").strip()
        if not token:
            raise FederationError(
                f"TAXII source of '{self.lab}': the environment variable {self.token_env} "
                "holding its token is not set"
            )
        return token


def taxii_sources(home: Home, federation: Federation) -> dict[str, TaxiiSource]:
    """The [taxii_sources.<lab>] tables of federation.toml, checked, by lab."""
    try:
        with home.federation_file.open("rb") as handle:
            table = tomllib.load(handle).get("taxii_sources", {})
    except (OSError, tomllib.TOMLDecodeError):
        return {}  # loading the federation itself reports these
    where = f"{home.federation_file}: [taxii_sources]"
    if not isinstance(table, dict):
        raise FederationError(f"{where} must be a table of tables")
    return {lab: _source(federation, lab, raw, where) for lab, raw in table.items()}


def _source(federation: Federation, lab: str, raw: object, where: str) -> TaxiiSource:
    where = f"{where} {lab}"
    try:
        federation.lab(lab)
    except FederationError as exc:
        raise FederationError(f"{where}: {exc}") from None
    if not isinstance(raw, dict):
        raise FederationError(f"{where}: must be a table with url, collection and token_env")
    url, collection, token_env = (raw.get(k) for k in ("url", "collection", "token_env"))
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        raise FederationError(f"{where}: url must be the http(s) URL of a TAXII API root")
    if not isinstance(collection, str) or not _COLLECTION.fullmatch(collection):
        raise FederationError(f"{where}: collection must be a collection id")
    if not isinstance(token_env, str) or not _ENV_NAME.fullmatch(token_env):
        raise FederationError(f"{where}: token_env must name an environment variable")
    if unknown := sorted(set(raw) - {"url", "collection", "token_env"}):
        raise FederationError(f"{where}: unknown key {unknown[0]!r}")
    return TaxiiSource(lab, url if url.endswith("/") else url + "/", collection, token_env)
