"""Dataset versions uploaded on /data: validated, compared, kept content-addressed, activated, and
followed by every worker (see `service`)."""

from crosspilot.versions.intake import UploadRefused
from crosspilot.versions.service import Follower, Staged, Version, Versions

__all__ = ["Follower", "Staged", "UploadRefused", "Version", "Versions"]
