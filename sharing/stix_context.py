"""What a STIX bundle says about its indicators beyond the indicator objects themselves:
the TLP of their marking definitions and the campaigns they indicate.
"""

from dataclasses import dataclass, field

from sharing.tlp import TLP, most_restrictive

# The TLP 1.0 marking definitions of the STIX 2.1 specification and the TLP 2.0 ones
# published with the OASIS TLP 2.0 extension; WHITE is read as CLEAR.
KNOWN_TLP = {
    "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9": TLP.CLEAR,
    "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da": TLP.GREEN,
    "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82": TLP.AMBER,
    "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed": TLP.RED,
    "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487": TLP.CLEAR,
    "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb": TLP.GREEN,
    "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421": TLP.AMBER,
    "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003": TLP.AMBER_STRICT,
    "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1": TLP.RED,
}


@dataclass
class BundleContext:
    """TLP per marking-definition id and campaign name per indicator id, from one bundle."""

    tlp: dict[str, TLP] = field(default_factory=lambda: dict(KNOWN_TLP))
    campaigns: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, objects: list[object]) -> "BundleContext":
        context = cls()
        names: dict[str, str] = {}
        links: list[tuple[str, str]] = []
        for obj in objects:
            if type(obj) is not dict:
                continue
            kind, ident = obj.get("type"), obj.get("id")
            if type(ident) is not str:
                continue
            if kind == "marking-definition":
                level = _marking_tlp(obj)
                if level is not None:
                    context.tlp[ident] = level
            elif kind == "campaign" and type(obj.get("name")) is str:
                names[ident] = obj["name"]
            elif kind == "relationship" and obj.get("relationship_type") == "indicates":
                source, target = obj.get("source_ref"), obj.get("target_ref")
                if type(source) is str and type(target) is str:
                    links.append((source, target))
        for source, target in links:
            if target in names:
                context.campaigns.setdefault(source, names[target])
        return context

    def tlp_of(self, refs: object) -> TLP | None:
        """The most restrictive TLP among an object's marking refs; None when it has none."""
        if type(refs) is not list:
            return None
        levels = [self.tlp[ref] for ref in refs if type(ref) is str and ref in self.tlp]
        return most_restrictive(levels) if levels else None


def _marking_tlp(obj: dict) -> TLP | None:
    """TLP of a marking definition: STIX 2.1 `definition` {"tlp": ...} or a name "TLP:..."."""
    definition = obj.get("definition")
    text = definition.get("tlp") if type(definition) is dict else None
    if type(text) is not str:
        name = obj.get("name")
        text = name if type(name) is str and name.upper().startswith("TLP:") else None
    if text is None:
        return None
    text = text.strip().lower().removeprefix("tlp:")
    try:
        return TLP.CLEAR if text == "white" else TLP.parse(text)
    except ValueError:
        return None
