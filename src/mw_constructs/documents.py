"""SSM documents a task runs: ``Document.of("My-Doc")`` or an AWS-owned one such as
``Document.RUN_PATCH_BASELINE``.

AWS reference: https://docs.aws.amazon.com/systems-manager/latest/userguide/documents.html
"""

from __future__ import annotations

import re
from typing import ClassVar

from ._pseudo import arn_in_this_environment
from ._tokens import is_token
from ._validate import check_pattern, quote

__all__ = ["Document"]

_DOCUMENT = re.compile(r"[a-zA-Z0-9_\-.:/]{3,128}|arn:.{1,1596}")  # a name, or an ARN (TaskArn: 1-1600)
_AWS_OWNED_PREFIXES = ("aws", "amazon", "amzn")  # reserved: customers cannot create such documents


class Document:
    """An SSM document, by name or ARN. ``Document.of("Custom-Doc")`` for your own."""

    RUN_PATCH_BASELINE: ClassVar["Document"]
    RUN_PATCH_BASELINE_WITH_HOOKS: ClassVar["Document"]
    RUN_SHELL_SCRIPT: ClassVar["Document"]
    RUN_POWERSHELL_SCRIPT: ClassVar["Document"]

    def __init__(self, name: str) -> None:
        check_pattern(
            "" if name is None else name, _DOCUMENT, "InvalidDocument",
            f"document must be an SSM document name (3-128 of letters, digits, '_-.:/') or ARN: got {quote(name)}.",
        )
        self.name = name

    @staticmethod
    def of(name: str) -> "Document":
        """A document by name (``"AWS-RunShellScript"``, ``"My-Doc"``) or ARN."""
        return Document(name)

    @property
    def is_aws_owned(self) -> bool:
        """True for AWS's documents (names starting with AWS, Amazon or amzn)."""
        return not is_token(self.name) and self.name.lower().startswith(_AWS_OWNED_PREFIXES)

    def arn(self) -> str:
        """The ARN IAM policies use: AWS-owned documents have no account in their ARN."""
        if is_token(self.name) or self.name.startswith("arn:"):
            return self.name
        return arn_in_this_environment("ssm", f"document/{self.name}", with_account=not self.is_aws_owned)

    def __repr__(self) -> str:
        return f"Document.of({self.name!r})"


Document.RUN_PATCH_BASELINE = Document("AWS-RunPatchBaseline")
Document.RUN_PATCH_BASELINE_WITH_HOOKS = Document("AWS-RunPatchBaselineWithHooks")
Document.RUN_SHELL_SCRIPT = Document("AWS-RunShellScript")
Document.RUN_POWERSHELL_SCRIPT = Document("AWS-RunPowerShellScript")
