"""Guidance is data: one TOML file per technique, checked strictly, overridable per file."""

import re
from pathlib import Path

import pytest

from sharing.advisories import default_templates_dir, load_guidance, render_advisory
from sharing.errors import InputError
from sharing.indicators import CATALOGUE
from tests.advisories.samples import facts

TECHNIQUES = {
    "account-farming",
    "proxy-hydra",
    "rate-limit-evasion",
    "cot-elicitation",
    "rubric-harvesting",
    "payment-fraud",
}
GOOD_TOML = 'title = "T"\nsummary = "S"\ndetection = ["d"]\nmitigations = ["m"]\n'


def test_guidance_covers_every_technique() -> None:
    guidance = load_guidance(default_templates_dir())
    assert set(guidance) == TECHNIQUES
    for technique, g in guidance.items():
        assert g.technique == technique and g.title and g.summary
        assert len(g.detection) >= 3 and len(g.mitigations) >= 3
        assert g.indicator_types and set(g.indicator_types) <= set(CATALOGUE)


def test_account_farming_guidance_covers_programme_sign_ups() -> None:
    text = str(load_guidance(default_templates_dir())["account-farming"]).lower()
    for path in ("education", "research", "start-up"):
        assert path in text


@pytest.mark.parametrize(
    ("name", "body", "problem"),
    [
        ("proxy-hydra.toml", 'title = "T"\nsummary = \n', "line 2"),
        ("proxy-hydra.toml", 'title = "T"\ndetection = ["d"]\nmitigations = ["m"]\n', "summary"),
        ("proxy-hydra.toml", GOOD_TOML.replace('["d"]', '"d"'), "detection"),
        ("proxy-hydra.toml", GOOD_TOML.replace('["m"]', "[]"), "mitigations"),
        ("proxy-hydra.toml", GOOD_TOML.replace('["d"]', '["d", 3]'), "detection"),
        ("proxy-hydra.toml", GOOD_TOML + 'mitigation = ["typo"]\n', "mitigation"),
        ("proxy-hydra.toml", GOOD_TOML + 'indicator_types = ["ipv5"]\n', "ipv5"),
        ("proxy-hydra.toml", GOOD_TOML + "indicator_types = []\n", "indicator_types"),
        ("Proxy Hydra.toml", GOOD_TOML, "file name"),
    ],
)
def test_malformed_guidance_names_file_and_problem(
    tmp_path: Path, name: str, body: str, problem: str
) -> None:
    folder = tmp_path / "guidance"
    folder.mkdir()
    (folder / name).write_text(body)
    with pytest.raises(InputError, match=re.escape(name)) as caught:
        load_guidance(tmp_path)
    assert problem in str(caught.value)


def test_no_guidance_folder_anywhere_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no guidance folder"):
        load_guidance([tmp_path / "a", tmp_path / "b"])


def test_the_first_folder_wins_per_technique(tmp_path: Path) -> None:
    (tmp_path / "guidance").mkdir()
    (tmp_path / "guidance" / "proxy-hydra.toml").write_text(GOOD_TOML)
    (tmp_path / "guidance" / "seat-sharing.toml").write_text(GOOD_TOML.replace('"T"', '"Seats"'))
    merged = load_guidance([tmp_path, default_templates_dir()])
    assert set(merged) == TECHNIQUES | {"seat-sharing"}
    assert merged["proxy-hydra"].title == "T" and merged["seat-sharing"].title == "Seats"
    assert merged["payment-fraud"].title == "Payment fraud"


def test_malformed_guidance_stops_rendering(tmp_path: Path) -> None:
    (tmp_path / "guidance").mkdir()
    (tmp_path / "guidance" / "payment-fraud.toml").write_text("title = [\n")
    with pytest.raises(InputError, match=r"payment-fraud\.toml"):
        render_advisory(facts(), "md", templates_dir=[tmp_path, default_templates_dir()])
