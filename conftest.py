"""Test-session set-up shared by tests/ and nbval over notebooks/.

Nothing a test or a notebook run does may touch a real learner's progress: every run writes its attempts to a
temporary file (MSLBP_PROGRESS_FILE), set before any kernel starts so that nbval's kernels inherit it.
"""

import os
import tempfile

_session_dir = tempfile.mkdtemp(prefix="mslbp-tests-")
os.environ["MSLBP_PROGRESS_FILE"] = os.path.join(_session_dir, "attempts.json")
