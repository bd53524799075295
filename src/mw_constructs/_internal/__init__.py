"""Plumbing shared by the public modules: nothing here is public API.

Validation helpers, CDK token detection, the typed registry of state shared between
constructs, environments and quota use, cdk-nag acknowledgments, the protected bucket, ARNs
from pseudo parameters, typed views of aws-cdk-lib objects, and the window-disabler handler.
See ARCHITECTURE.md for what may import what.
"""
