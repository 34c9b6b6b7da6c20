"""Where advisory templates and guidance come from: ours, and an operator's in the home.

A source checkout reads the top-level templates/ folder; an installed wheel reads the copy
it installed under <prefix>/share/dtix/templates. An operator may put files of the same
names in <home>/templates/ to replace ours without a release.
"""

import sysconfig
from pathlib import Path

from sharing.errors import InputError
from sharing.home import Home

_CHECKOUT = Path(__file__).resolve().parents[2] / "templates"
_INSTALLED = Path("share") / "dtix" / "templates"


def default_templates_dir() -> Path:
    """The templates dtix ships: the checkout's templates/, else the installed copy."""
    candidates = [_CHECKOUT]
    for scheme in (sysconfig.get_default_scheme(), sysconfig.get_preferred_scheme("user")):
        candidates.append(Path(sysconfig.get_path("data", scheme)) / _INSTALLED)
    for folder in candidates:
        if (folder / "advisory.md.j2").is_file():
            return folder
    raise InputError(
        "no advisory templates found (looked in " + ", ".join(map(str, candidates)) + ")"
    )


def operator_templates_dir(home: Home) -> Path:
    """The folder in the federation home whose files override the shipped templates."""
    return home.root / "templates"


def advisory_template_dirs(home: Home) -> list[Path]:
    """The operator's folder first when it exists, then the shipped templates."""
    override = operator_templates_dir(home)
    return [override, default_templates_dir()] if override.is_dir() else [default_templates_dir()]
