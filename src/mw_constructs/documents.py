"""SSM documents a task runs: ``Document.of("My-Doc")``, an SSM ``CfnDocument`` of the app, or an
AWS-owned one such as ``Document.RUN_PATCH_BASELINE``.

A catalogue (:data:`CATALOGUE`) records, for the AWS-owned documents maintenance windows use
most, their type (Command or Automation), their parameters, which are required and the values
each accepts, as AWS documents them; every task checks a catalogued document's type and the
parameters it is given. Documents outside the catalogue pass through unchecked.

AWS reference: https://docs.aws.amazon.com/systems-manager/latest/userguide/documents.html
"""

from __future__ import annotations

import difflib
import enum
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, ClassVar, List, Mapping, Optional, Tuple, Union

from ._internal.arns import arn_in_this_environment
from ._internal.tokens import is_token
from ._internal.validate import check_pattern, fail, plural, quote
from .errors import Advice

if TYPE_CHECKING:
    from aws_cdk import aws_ssm

__all__ = ["CATALOGUE", "Document", "DocumentHashType", "DocumentLike", "DocumentParameter", "DocumentSpec", "DocumentType",
           "PATCHING_DOCUMENTS", "StepPermission", "check_document_hash", "only_scans"]

_DOCUMENT = re.compile(r"[a-zA-Z0-9_\-.:/]{3,128}|arn:.{1,1596}")  # a name, or an ARN (TaskArn: 1-1600)
#: An SSM document ARN: Region and account may be empty (AWS-owned and shared documents).
_DOCUMENT_ARN = re.compile(r"arn:aws[a-z-]*:ssm:[a-z0-9-]*:(?:[0-9]{12})?:document/[a-zA-Z0-9_\-.]{3,128}")
_AWS_OWNED_PREFIXES = ("aws", "amazon", "amzn")  # reserved: customers cannot create such documents


class DocumentType(enum.Enum):
    """The document types a maintenance-window task can run, with the task class for each."""

    COMMAND = "Command"  #: Run Command: ``RunCommandTask`` / ``RunPatchBaselineTask``
    AUTOMATION = "Automation"  #: Automation runbooks: ``AutomationTask``


class DocumentHashType(enum.Enum):
    """How a Run Command task's ``document_hash`` was computed (``DocumentHashType``)."""

    SHA256 = "Sha256"
    SHA1 = "Sha1"  #: deprecated by AWS ("SHA-1 hashes have been deprecated")


#: The hex length of each hash type (the hash SSM computed when the document was created).
_HASH_LENGTH = {DocumentHashType.SHA256: 64, DocumentHashType.SHA1: 40}


def check_document_hash(document_hash: Any, hash_type: Any) -> List[Advice]:
    """``document_hash`` (at most 256 characters, [API]) is the hex SHA-256 (or deprecated SHA-1)
    SSM computed for the document: a value of another shape can match no document, so the command
    certainly fails (``InvalidDocumentHash``). SHA-1 is legal but deprecated (a warning)."""
    if hash_type is not None and not isinstance(hash_type, DocumentHashType):
        fail("InvalidType", f"document_hash_type must be a DocumentHashType, e.g. DocumentHashType.SHA256: got "
                            f"{quote(hash_type)}.")
    if document_hash is not None and not is_token(document_hash):
        lengths = [_HASH_LENGTH[hash_type]] if hash_type is not None else sorted(_HASH_LENGTH.values())
        if not isinstance(document_hash, str) or len(document_hash) not in lengths or \
                not re.fullmatch(r"[0-9a-fA-F]+", document_hash):
            fail("InvalidDocumentHash", f"document_hash must be the {' or '.join(str(n) for n in lengths)} hex digits of "
                                        f"the document's {(hash_type or DocumentHashType.SHA256).value} hash (as "
                                        f"'aws ssm describe-document' shows it): got {quote(document_hash)}.")
    if hash_type is DocumentHashType.SHA1:
        return [Advice("mw-constructs:DeprecatedDocumentHash", (
            "document_hash_type=DocumentHashType.SHA1: AWS has deprecated SHA-1 document hashes. Use the document's "
            "SHA-256 hash (DocumentHashType.SHA256).")) ]
    return []


@dataclass(frozen=True)
class DocumentParameter:
    """One parameter of a catalogued document.

    ``allowed``: the only values accepted (empty: any); ``list``: a ``StringList`` parameter,
    which takes several values (other parameters take exactly one)."""

    name: str
    required: bool = False
    allowed: Tuple[str, ...] = ()
    list: bool = False


@dataclass(frozen=True)
class StepPermission:
    """What the steps of an AWS runbook call, and on what: run as the window's role when no
    ``AutomationAssumeRole`` is given, so the library grants them (``sid`` names the statement).

    ``resources``: ``"*"`` or ``"<service>:<resource>"`` in this account and Region, e.g.
    ``"ec2:instance/*"``; ``"<service>::<resource>"`` for ARNs without an account (AMIs)."""

    sid: str
    actions: Tuple[str, ...]
    resources: Tuple[str, ...]


#: Looks at a document's parameters and says what is legal but probably not meant.
AdviceRule = Callable[[Mapping[str, List[str]]], List[Advice]]


@dataclass(frozen=True)
class DocumentSpec:
    """What AWS documents about one of its documents (``source``: the page it came from).

    ``steps``: for runbooks, what their steps call (None: not catalogued, so the library cannot
    grant it and asks for an ``AutomationAssumeRole``). ``advice``: legal combinations of its
    parameters that are probably not meant (each a warning)."""

    name: str
    type: DocumentType
    parameters: Tuple[DocumentParameter, ...]
    source: str
    steps: Optional[Tuple[StepPermission, ...]] = None
    advice: Optional[AdviceRule] = None

    def parameter(self, name: str) -> Optional[DocumentParameter]:
        return next((p for p in self.parameters if p.name == name), None)


def _patching_advice(parameters: Mapping[str, List[str]]) -> List[Advice]:
    """AWS-RunPatchBaseline(WithHooks) with ``Operation=Scan``: a scan reports compliance and never
    installs or reboots (AWS: "Scan ... without installing them"), so an install-only parameter
    has no effect there. SSM accepts the combination; explicit defaults (``NoReboot``, ``AWS-Noop``
    hooks, an empty override list) say nothing."""
    if parameters.get("Operation") != ["Scan"]:
        return []
    found = []
    if parameters.get("RebootOption") == ["RebootIfNeeded"]:
        found.append(Advice("mw-constructs:RebootOptionWithScan", (
            "RebootOption 'RebootIfNeeded' is given with Operation 'Scan', but a scan installs nothing and never "
            "reboots: no node is rebooted. Drop the reboot option (or say NoReboot), or use Operation 'Install'.")))
    for key in ("InstallOverrideList", "PreInstallHookDocName", "PostInstallHookDocName", "OnExitHookDocName"):
        values = [value for value in parameters.get(key, ()) if value not in ("", "AWS-Noop") and not is_token(value)]
        if values:
            found.append(Advice("mw-constructs:InstallOptionWithScan", (
                f"{key} {values[0]!r} is given with Operation 'Scan', but a scan installs nothing, so it is not used. "
                f"Drop it, or use Operation 'Install'.")))
    return found


P = DocumentParameter
_USER_GUIDE = "https://docs.aws.amazon.com/systems-manager/latest/userguide/"
_RUNBOOKS = "https://docs.aws.amazon.com/systems-manager-automation-runbooks/latest/userguide/"
_ASSUME_ROLE = P("AutomationAssumeRole")
_SCRIPT = (P("commands", required=True, list=True), P("workingDirectory"), P("executionTimeout"))
_PATCH_OPERATION = P("Operation", required=True, allowed=("Scan", "Install"))
_REBOOT_OPTION = P("RebootOption", allowed=("RebootIfNeeded", "NoReboot"))
# Runbook steps, read from the runbooks' content (aws:changeInstanceState waits on
# DescribeInstanceStatus; aws:createImage waits on DescribeImages). Describe* take no resource.
_DESCRIBE_INSTANCES = StepPermission("RunbookDescribe", ("ec2:DescribeInstanceStatus",), ("*",))
_STOP = StepPermission("RunbookChangeInstanceState", ("ec2:StopInstances",), ("ec2:instance/*",))
_START = StepPermission("RunbookChangeInstanceState", ("ec2:StartInstances",), ("ec2:instance/*",))

#: The AWS documents that patch with Patch Manager and take an ``Operation`` (``Scan`` or ``Install``).
PATCHING_DOCUMENTS = frozenset({"AWS-RunPatchBaseline", "AWS-RunPatchBaselineWithHooks", "AWS-RunPatchBaselineAssociation"})


def only_scans(document_name: Any, parameters: Mapping[str, Any]) -> bool:
    """Whether running ``document_name`` with ``parameters`` only scans for missing patches: a
    patching document with ``Operation`` ``Scan`` (it installs nothing and never reboots)."""
    return isinstance(document_name, str) and document_name in PATCHING_DOCUMENTS and \
        parameters.get("Operation") in (["Scan"], "Scan")


#: The catalogued AWS-owned documents, by name.
CATALOGUE: Mapping[str, DocumentSpec] = {spec.name: spec for spec in (
    DocumentSpec("AWS-RunPatchBaseline", DocumentType.COMMAND, (
        _PATCH_OPERATION, P("SnapshotId"), P("InstallOverrideList"), _REBOOT_OPTION, P("BaselineOverride"),
        P("AssociationId"),
    ), _USER_GUIDE + "patch-manager-aws-runpatchbaseline.html", advice=_patching_advice),
    DocumentSpec("AWS-RunPatchBaselineWithHooks", DocumentType.COMMAND, (
        _PATCH_OPERATION, P("SnapshotId"), _REBOOT_OPTION, P("PreInstallHookDocName"), P("PostInstallHookDocName"),
        P("OnExitHookDocName"),
    ), _USER_GUIDE + "patch-manager-aws-runpatchbaselinewithhooks.html", advice=_patching_advice),
    DocumentSpec("AWS-RunShellScript", DocumentType.COMMAND, _SCRIPT, _USER_GUIDE + "run-command.html"),
    DocumentSpec("AWS-RunPowerShellScript", DocumentType.COMMAND, _SCRIPT, _USER_GUIDE + "run-command.html"),
    DocumentSpec("AWS-RunAnsiblePlaybook", DocumentType.COMMAND, (
        P("playbook"), P("playbookurl"), P("extravars"), P("check"), P("timeoutSeconds"),
    ), _USER_GUIDE + "integration-remote-scripts.html"),
    DocumentSpec("AWS-UpdateSSMAgent", DocumentType.COMMAND, (
        P("version"), P("allowDowngrade", allowed=("true", "false")),
    ), _USER_GUIDE + "ssm-agent-automatic-updates.html"),
    DocumentSpec("AWS-ConfigureAWSPackage", DocumentType.COMMAND, (
        P("action", required=True, allowed=("Install", "Uninstall")),
        P("installationType", allowed=("Uninstall and reinstall", "In-place update")),
        P("name", required=True), P("version"), P("additionalArguments"),
    ), _USER_GUIDE + "distributor-working-with-packages-deploy.html"),
    DocumentSpec("AWS-StopEC2Instance", DocumentType.AUTOMATION, (
        _ASSUME_ROLE, P("InstanceId", required=True, list=True),
    ), _RUNBOOKS + "automation-aws-stopec2instance.html", (_STOP, _DESCRIBE_INSTANCES)),
    DocumentSpec("AWS-StartEC2Instance", DocumentType.AUTOMATION, (
        _ASSUME_ROLE, P("InstanceId", required=True, list=True),
    ), _RUNBOOKS + "automation-aws-startec2instance.html", (_START, _DESCRIBE_INSTANCES)),
    DocumentSpec("AWS-RestartEC2Instance", DocumentType.AUTOMATION, (
        _ASSUME_ROLE, P("InstanceId", required=True, list=True),
    ), _RUNBOOKS + "automation-aws-restartec2instance.html", (_STOP, _START, _DESCRIBE_INSTANCES)),
    DocumentSpec("AWS-CreateImage", DocumentType.AUTOMATION, (
        _ASSUME_ROLE, P("InstanceId", required=True), P("NoReboot", allowed=("true", "false")),
    ), _RUNBOOKS + "automation-aws-createimage.html", (
        StepPermission("RunbookCreateImages", ("ec2:CreateImage",), ("ec2:instance/*", "ec2::image/*", "ec2::snapshot/*")),
        StepPermission("RunbookDescribe", ("ec2:DescribeImages",), ("*",)),
    )),
    DocumentSpec("AWS-PatchInstanceWithRollback", DocumentType.AUTOMATION, (
        _ASSUME_ROLE, P("InstanceId", required=True), P("LambdaAssumeRole"), P("ReportS3Bucket"),
    ), _RUNBOOKS + "automation-aws-patchinstancewithrollback.html"),
)}
del P


class Document:
    """An SSM document, by name or ARN, and its type when known.

    ``Document.of("Custom-Doc")`` for your own (say ``type=DocumentType.AUTOMATION`` for a
    runbook, so tasks can check it), ``Document.of(cfn_document)`` for an ``ssm.CfnDocument``
    of the app (its name, type and ARN come from it), ``Document.from_document_arn(arn)`` for an
    ARN (also one only known at deploy time). Catalogued AWS documents know their type and
    parameters (``spec``)."""

    RUN_PATCH_BASELINE: ClassVar["Document"]
    RUN_PATCH_BASELINE_WITH_HOOKS: ClassVar["Document"]
    RUN_SHELL_SCRIPT: ClassVar["Document"]
    RUN_POWERSHELL_SCRIPT: ClassVar["Document"]

    def __init__(self, name: str, *, type: Optional[DocumentType] = None, arn: Optional[str] = None) -> None:
        check_pattern(
            "" if name is None else name, _DOCUMENT, "InvalidDocument",
            f"document must be an SSM document name (3-128 of letters, digits, '_-.:/') or ARN: got {quote(name)}.",
        )
        if type is not None and not isinstance(type, DocumentType):
            fail("InvalidType", f"type must be a DocumentType, e.g. DocumentType.AUTOMATION: got {quote(type)}.")
        self.name = name
        self.spec: Optional[DocumentSpec] = None if is_token(name) else CATALOGUE.get(name)
        if self.spec is not None and type is not None and type is not self.spec.type:
            fail("WrongDocumentType", f"{name} is a{_article(self.spec.type)} {self.spec.type.value} document, not "
                                      f"{type.value}: drop type=, AWS has set it.")
        self.type: Optional[DocumentType] = self.spec.type if self.spec is not None else type
        self._arn = arn
        #: The document's content when the app defines it (``Document.of(cfn_document)``), else None.
        self.content: Any = None

    @staticmethod
    def of(document: DocumentLike, *, type: Optional[DocumentType] = None) -> "Document":
        """A document by name (``"AWS-RunShellScript"``, ``"My-Doc"``), by ARN, or an
        ``ssm.CfnDocument`` of this app (name, type and ARN are taken from it)."""
        if isinstance(document, Document):
            return document
        if hasattr(document, "document_type") and hasattr(document, "ref") and hasattr(document, "cfn_resource_type"):
            return Document._of_cfn_document(document, type)
        if not isinstance(document, str):
            fail("InvalidType", f"document must be a document name, an ARN, a Document or an ssm.CfnDocument: "
                                f"got {quote(document)}.")
        return Document(document, type=type)

    @staticmethod
    def from_document_arn(arn: str, *, type: Optional[DocumentType] = None) -> "Document":
        """A document by ARN (``arn:aws:ssm:eu-west-1:123456789012:document/My-Doc``), also a
        deploy-time value such as a parameter: IAM statements use it as it is."""
        if not isinstance(arn, str) or not (_DOCUMENT_ARN.fullmatch(arn) or is_token(arn)):
            fail("InvalidDocument", f"arn must be an SSM document ARN such as 'arn:aws:ssm:eu-west-1:123456789012:"
                                    f"document/My-Doc': got {quote(arn)}.")
        return Document(arn, type=type, arn=arn)

    @staticmethod
    def _of_cfn_document(cfn: Any, type: Optional[DocumentType]) -> "Document":
        declared = cfn.document_type
        if type is None and isinstance(declared, str) and not is_token(declared):
            type = next((t for t in DocumentType if t.value == declared), None)
            if type is None:
                fail("WrongDocumentType", f"the CfnDocument's document_type is {declared!r}: maintenance window tasks "
                                          f"run Command or Automation documents.")
        # Ref of an AWS::SSM::Document is its name; the ARN IAM needs is built from it (own account).
        document = Document(cfn.ref, type=type, arn=arn_in_this_environment("ssm", f"document/{cfn.ref}"))
        content = cfn.content
        document.content = None if isinstance(content, str) and is_token(content) else content
        return document

    @property
    def is_aws_owned(self) -> bool:
        """True for AWS's documents (names starting with AWS, Amazon or amzn)."""
        return not is_token(self.name) and self.name.lower().startswith(_AWS_OWNED_PREFIXES)

    def arn(self) -> str:
        """The ARN IAM policies use: AWS-owned documents have no account in their ARN; a name
        only known at deploy time is a document of this account."""
        if self._arn is not None:
            return self._arn
        if not is_token(self.name) and self.name.startswith("arn:"):
            return self.name
        return arn_in_this_environment("ssm", f"document/{self.name}", with_account=not self.is_aws_owned)

    def automation_arns(self) -> Tuple[str, ...]:
        """What ``ssm:StartAutomationExecution`` is allowed on to run this runbook: its
        automation definition, any version (``automation-definition/<name>:*``). AWS does not
        document which account an AWS-owned runbook's definition is matched in, so that account
        is ``*`` (the runbook name still pins it)."""
        if self._arn is not None or (not is_token(self.name) and self.name.startswith("arn:")):
            arn = self.arn()
            if is_token(arn):
                from aws_cdk import Fn

                parts = Fn.split(":document/", arn, 2)
                return (Fn.join("", [Fn.select(0, parts), ":automation-definition/", Fn.select(1, parts), ":*"]),)
            return (arn.replace(":document/", ":automation-definition/", 1) + ":*",)
        if self.is_aws_owned:
            return (arn_in_this_environment("ssm", f"automation-definition/{self.name}:*", any_account=True),)
        return (arn_in_this_environment("ssm", f"automation-definition/{self.name}:*"),)

    def check_type(self, expected: DocumentType, task_class: str) -> None:
        """Fail with WrongDocumentType when this document is known to be of another type than
        ``task_class`` runs; the message names the class that runs it."""
        if self.type is None or self.type is expected:
            return
        fail("WrongDocumentType", f"{task_class} runs {expected.value} documents, but {self.name} is a"
                                  f"{_article(self.type)} {self.type.value} document: use "
                                  f"{_TASK_CLASS[self.type]} for it.")

    def type_advice(self, expected: DocumentType, task_class: str) -> List[Advice]:
        """What is legal but probably not meant about this document for a task of ``expected``
        type: an Automation definition ARN (``...:automation-definition/<name>:<version>``) is
        a valid TaskArn, but Run Command cannot send a runbook, so the task would fail."""
        if expected is not DocumentType.COMMAND or is_token(self.name) or ":automation-definition/" not in self.name:
            return []
        runbook = self.name.split(":automation-definition/", 1)[1].rsplit(":", 1)[0]
        return [Advice("mw-constructs:AutomationDefinitionAsCommand", (
            f"{task_class} document {self.name!r} is an Automation definition: Run Command sends Command documents, so "
            f"every invocation would fail. Run the runbook with AutomationTask(document={runbook!r}) instead."))]

    def check_parameters(self, parameters: Mapping[str, List[str]]) -> None:
        """Check ``parameters`` against the catalogue (nothing to check for other documents)."""
        spec = self.spec
        if spec is None:
            return
        names = [p.name for p in spec.parameters]
        for key, values in parameters.items():
            parameter = spec.parameter(key)
            if parameter is None:
                close = difflib.get_close_matches(key, names, n=1, cutoff=0.6) or \
                    [n for n in names if n.lower() == key.lower()]
                hint = f" Did you mean {close[0]!r}?" if close else f" It takes: {', '.join(names)}."
                fail("UnknownDocumentParameter", f"parameters names {key!r}, which {spec.name} does not have.{hint}")
            _check_values(spec.name, parameter, values)
        missing = [p.name for p in spec.parameters if p.required and p.name not in parameters]
        if missing:
            fail("MissingDocumentParameter", f"{spec.name} needs the parameter{'s' if len(missing) > 1 else ''} "
                                             f"{', '.join(missing)}: add {', '.join(repr(m) for m in missing)} to parameters.")

    def advice(self, parameters: Mapping[str, List[str]]) -> List[Advice]:
        """What is legal but probably not meant in ``parameters`` (catalogued documents only)."""
        if self.spec is None or self.spec.advice is None:
            return []
        return self.spec.advice(parameters)

    def __repr__(self) -> str:
        return f"Document.of({self.name!r})"


def _check_values(document: str, parameter: DocumentParameter, values: List[str]) -> None:
    if not parameter.list and len(values) > 1:
        fail("InvalidDocumentParameter", f"{document} parameter {parameter.name} takes one value: got "
                                         f"{plural(len(values), 'value')} {values!r}. Give one.")
    if not parameter.allowed:
        return
    for value in values:
        if is_token(value) or value in parameter.allowed:
            continue
        near = next((a for a in parameter.allowed if a.lower() == value.lower()), None)
        hint = f" (values are case-sensitive: {near!r})" if near else ""
        fail("InvalidDocumentParameter", f"{document} parameter {parameter.name} must be one of "
                                         f"{', '.join(repr(a) for a in parameter.allowed)}: got {value!r}{hint}.")


#: The task class that runs each document type.
_TASK_CLASS = {DocumentType.COMMAND: "RunCommandTask", DocumentType.AUTOMATION: "AutomationTask"}


def _article(document_type: DocumentType) -> str:
    return "n" if document_type.value[0] in "AEIOU" else ""


#: What a ``document`` argument takes.
DocumentLike = Union[Document, str, "aws_ssm.CfnDocument"]

Document.RUN_PATCH_BASELINE = Document("AWS-RunPatchBaseline")
Document.RUN_PATCH_BASELINE_WITH_HOOKS = Document("AWS-RunPatchBaselineWithHooks")
Document.RUN_SHELL_SCRIPT = Document("AWS-RunShellScript")
Document.RUN_POWERSHELL_SCRIPT = Document("AWS-RunPowerShellScript")
