"""`mlu-doctor capture`: gather every fact section on a recording System and keep what was read."""

from __future__ import annotations

import time

from mlu_doctor import __version__
from mlu_doctor.capture.model import Capture
from mlu_doctor.capture.record import recording
from mlu_doctor.config import Config
from mlu_doctor.diagnose import Target, collect_facts
from mlu_doctor.facts.model import SECTIONS, Facts


def take_capture(target: Target, config: Config) -> tuple[Capture, Facts]:
    """Run the probes on `target` (host, root, container) while recording; the capture and the facts found."""
    capture = Capture(tool=f"mlu-doctor {__version__}",
                      created=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
    with recording(capture):
        facts = collect_facts(target, config, SECTIONS)
    capture.target = facts.target
    if facts.container is not None:
        from mlu_doctor.capture.model import SystemCapture
        from mlu_doctor.serde import to_data

        inner = capture.systems.setdefault("container", SystemCapture(label="container "
                                                                            f"{facts.container.name}",
                                                                     is_host=False, can_run=False))
        data = to_data(facts.container)
        # probed again on replay from the recorded files
        for name in ("env_facts", "toolkit", "framework", "datasets"):
            data[name] = None
        inner.facts = data
    return capture, facts
