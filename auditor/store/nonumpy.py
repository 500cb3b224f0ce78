"""sqlite-utils without numpy: imported by the store before anything else imports
sqlite-utils.

sqlite-utils imports numpy when it is installed, only to give numpy's number types a column
type when it creates a table from values; the store never hands it numpy values. Importing
numpy costs about a tenth of a second at every start, a third of what `auditor crawl --poll`
spends importing, and scikit-learn (which brings numpy) is loaded only by the commands that
classify. So sqlite-utils is imported here with numpy hidden; numpy itself stays importable
for everything after.
"""

import importlib
import sys

if "sqlite_utils" not in sys.modules and "numpy" not in sys.modules:
    sys.modules["numpy"] = None  # type: ignore[assignment]  # "not installed", for this import
    try:
        importlib.import_module("sqlite_utils")
    finally:
        del sys.modules["numpy"]
