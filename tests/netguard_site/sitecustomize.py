"""Carries the test suite's network guard (tests/netguard.py) into Python subprocesses.

The test process puts this folder first on ``PYTHONPATH`` and sets
``GOVMAIL_TEST_NETGUARD=1``; outside the tests neither is set and this does nothing.
Afterwards the next ``sitecustomize`` on the path (Debian's) runs as it would have.
"""

from __future__ import annotations

import importlib.util
import os
import runpy
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))


def _install_guard() -> None:
    path = os.path.join(os.path.dirname(_HERE), "netguard.py")
    spec = importlib.util.spec_from_file_location("_govmail_test_netguard", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"the network guard is missing: {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up while it runs
    spec.loader.exec_module(module)
    module.install(log_path=os.environ.get(module.ENV_LOG) or None, in_subprocess=True)


def _chain() -> None:
    """Run the sitecustomize this one shadows, if any."""
    for entry in sys.path:
        if not entry or os.path.abspath(entry) == _HERE:
            continue
        candidate = os.path.join(entry, "sitecustomize.py")
        if os.path.isfile(candidate):
            runpy.run_path(candidate, run_name="sitecustomize")
            return


if os.environ.get("GOVMAIL_TEST_NETGUARD") == "1":
    _install_guard()
_chain()
