"""dtix: the Distillation Threat Intelligence eXchange library.

Everything the exchange knows lives here; `flows/` only orchestrates it. This package
never imports Prefect, so a lab can verify and open bulletins with no orchestration.
"""

__version__ = "0.1.0"
