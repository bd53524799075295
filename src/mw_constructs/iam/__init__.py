"""IAM for maintenance windows: the role constructs (``roles``) and how tasks get their
permissions (``grants``). Each task kind lists its own actions beside its code."""

from .roles import MaintenanceWindowRole, ManagedInstanceRole

__all__ = ["MaintenanceWindowRole", "ManagedInstanceRole"]
