"""The hub's rules that hold records for an analyst's approval, from federation.toml:

    [review]
    rules = ["red", "single-lab-block", "new-campaign"]
    block_confidence = 90

`red`: any TLP:RED record. `single-lab-block`: a block recommendation (confidence at or
above `block_confidence`) that only one lab reported. `new-campaign`: the first
indicators of a campaign no bulletin has carried yet. Without a [review] table only
`red` applies.
"""

import tomllib
from dataclasses import dataclass

from sharing.errors import FederationError
from sharing.home import Home

RULES = ("red", "single-lab-block", "new-campaign")
DEFAULT_RULES = ("red",)
DEFAULT_BLOCK_CONFIDENCE = 90


@dataclass(frozen=True)
class ReviewRules:
    rules: tuple[str, ...] = DEFAULT_RULES
    block_confidence: int = DEFAULT_BLOCK_CONFIDENCE

    @classmethod
    def load(cls, home: Home) -> "ReviewRules":
        """The [review] table of federation.toml, checked; the defaults when it is absent."""
        where = f"{home.federation_file} [review]"
        try:
            data = tomllib.loads(home.federation_file.read_text("utf-8")).get("review", {})
        except (OSError, tomllib.TOMLDecodeError):
            return cls()
        if not isinstance(data, dict):
            raise FederationError(f"{where}: must be a table")
        rules = data.get("rules", list(DEFAULT_RULES))
        if not isinstance(rules, list) or any(r not in RULES for r in rules):
            raise FederationError(f"{where}: rules must be a list drawn from {', '.join(RULES)}")
        level = data.get("block_confidence", DEFAULT_BLOCK_CONFIDENCE)
        if type(level) is not int or not 0 <= level <= 100:
            raise FederationError(f"{where}: block_confidence must be an integer 0..100")
        return cls(tuple(rules), level)
