"""Templates are data an operator may edit: they run sandboxed and strict, an operator's
folder overrides ours file by file, and a broken template names itself."""

import shutil
from pathlib import Path

import pytest
from jinja2.exceptions import SecurityError, UndefinedError

from sharing.advisories import advisory_template_dirs, default_templates_dir, render_advisory
from sharing.errors import InputError
from sharing.home import Home
from tests.advisories.samples import facts


def _copy_templates(tmp_path: Path) -> Path:
    """A private copy of templates/ that a test may break."""
    target = tmp_path / "templates"
    shutil.copytree(default_templates_dir(), target)
    return target


def test_missing_variable_is_an_error(tmp_path: Path) -> None:
    templates = _copy_templates(tmp_path)
    page = templates / "advisory.md.j2"
    page.write_text(page.read_text() + "{{ facts.no_such_field }}\n")
    with pytest.raises(InputError, match="no_such_field") as caught:
        render_advisory(facts(), "md", templates_dir=templates)
    assert isinstance(caught.value.__cause__, UndefinedError)


def test_missing_variable_in_a_technique_section_is_an_error(tmp_path: Path) -> None:
    templates = _copy_templates(tmp_path)
    (templates / "technique.txt.j2").write_text("{{ g.no_such_field }}\n")
    with pytest.raises(InputError, match="no_such_field"):
        render_advisory(facts(), "txt", templates_dir=templates)


@pytest.mark.parametrize(
    "snippet",
    [
        "{{ facts.__class__.__mro__ }}",
        "{{ facts.bulletins.append('x') }}",
        "{{ ''.__class__.__subclasses__() }}",
        "{{ g.detection.__class__ }}",
    ],
)
def test_templates_run_sandboxed(tmp_path: Path, snippet: str) -> None:
    operator = tmp_path / "operator"
    operator.mkdir()
    (operator / "technique.txt.j2").write_text(snippet)
    sample = facts(bulletins=["hub-anthropic-000042"])
    with pytest.raises(InputError) as caught:
        render_advisory(sample, "txt", templates_dir=[operator, default_templates_dir()])
    assert isinstance(caught.value.__cause__, SecurityError)
    assert sample.bulletins == ["hub-anthropic-000042"]


def test_template_syntax_error_names_the_file_and_line(tmp_path: Path) -> None:
    templates = _copy_templates(tmp_path)
    (templates / "advisory.html.j2").write_text("<p>\n{% for %}\n")
    with pytest.raises(InputError, match=r"advisory\.html\.j2:2"):
        render_advisory(facts(), "html", templates_dir=templates)


def test_an_operator_folder_in_the_home_overrides_one_technique(tmp_path: Path) -> None:
    home = Home(tmp_path / "fed")
    assert advisory_template_dirs(home) == [default_templates_dir()]
    techniques = home.root / "templates" / "techniques"
    techniques.mkdir(parents=True)
    (techniques / "cot-elicitation.md.j2").write_text(
        "### Reasoning harvest ({{ rows[g.technique].count|num }} indicators)\n"
    )
    guidance = home.root / "templates" / "guidance"
    guidance.mkdir()
    (guidance / "account-farming.toml").write_text(
        'title = "Sign-up farms"\nsummary = "S."\ndetection = ["d"]\nmitigations = ["m"]\n'
    )
    folders = advisory_template_dirs(home)
    assert folders == [home.root / "templates", default_templates_dir()]
    output = render_advisory(facts(), "md", templates_dir=folders)
    assert "### Reasoning harvest (640 indicators)" in output
    assert "### Sign-up farms" in output and "### Account farming" not in output
    assert "What to look for" in output  # the shipped section still renders the others
