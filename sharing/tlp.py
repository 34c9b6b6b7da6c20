"""FIRST Traffic Light Protocol 2.0 levels, ordered from least to most restrictive."""

from enum import StrEnum


class TLP(StrEnum):
    CLEAR = "clear"
    GREEN = "green"
    AMBER = "amber"
    AMBER_STRICT = "amber+strict"
    RED = "red"

    @property
    def rank(self) -> int:
        return _ORDER.index(self)

    @property
    def label(self) -> str:
        """The marking as printed on a document, e.g. `TLP:AMBER+STRICT`."""
        return "TLP:" + self.value.upper()

    @classmethod
    def parse(cls, text: str) -> "TLP":
        """Accept `amber`, `AMBER`, `TLP:AMBER`, `tlp:amber+strict`; ValueError otherwise."""
        value = text.strip().lower().removeprefix("tlp:")
        try:
            return cls(value)
        except ValueError:
            raise ValueError(
                f"unknown TLP {text!r} (expected one of {', '.join(_NAMES)})"
            ) from None

    def allows(self, clearance: "TLP") -> bool:
        """True when a recipient cleared up to `clearance` may receive a record marked `self`."""
        return self.rank <= clearance.rank


_ORDER = [TLP.CLEAR, TLP.GREEN, TLP.AMBER, TLP.AMBER_STRICT, TLP.RED]
_NAMES = [t.value for t in _ORDER]


def most_restrictive(levels: "list[TLP] | tuple[TLP, ...]") -> TLP:
    """The marking a document carrying all of `levels` must bear (CLEAR when empty)."""
    return max(levels, key=lambda t: t.rank, default=TLP.CLEAR)
