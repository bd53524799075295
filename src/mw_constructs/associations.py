"""State Manager associations: ``Association`` for any SSM document and ``PatchAssociation`` for
``AWS-RunPatchBaseline`` (``AWS::SSM::Association``), with ``AssociationTarget`` and
``AssociationSchedule``.

An association applies a document to its targets on a schedule, and also as soon as it is
created and whenever a node starts matching its targets (an Auto Scaling group's new
instances), unless it is created with ``ApplyOnlyAtCronInterval``. Schedules follow State
Manager's grammar (``mw_constructs.schedule.association``). Every property of
``AWS::SSM::Association`` is an argument (``tests/test_associations.py`` compares them with the
CloudFormation schema).

AWS reference: https://docs.aws.amazon.com/systems-manager/latest/userguide/state-manager-associations-creating.html
and https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreateAssociation.html
"""

from __future__ import annotations

import enum
import re
from datetime import timedelta
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, TypedDict, Union

import jsii
from aws_cdk import Annotations, CfnTag, Duration, Resource
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_ssm as ssm
from aws_cdk.interfaces import aws_ssm as ssm_refs
from constructs import Construct
from typing_extensions import Unpack

from ._internal.environment import deployments_of
from ._internal.event_rules import state_change_rule
from ._internal.patching import app_patching
from ._internal.registry import stack_of
from ._internal.scopes import create_in
from ._internal.task_arguments import parse_document_version, parse_parameters
from ._internal.tokens import is_token
from ._internal.validate import (
    RESOURCE_TYPE,
    ROLE_MEMBERS,
    as_argument,
    check_instance_ids,
    check_interface,
    check_options,
    check_patch_group_name,
    check_pattern,
    check_resource_tags,
    check_text,
    check_type,
    check_warning_id,
    fail,
    has_only_tag_characters,
    quote,
)
from .coexistence import ALL_NODES, NodeSelector, PatchingFacts, node_selector
from .documents import PATCHING_DOCUMENTS, Document, DocumentLike, DocumentType
from .events import ASSOCIATION_DETAIL_TYPE, INSTANCE_ASSOCIATION_DETAIL_TYPE, AssociationStatus, RuleTargetLike
from .iam.grants import grant, target_permissions
from .schedule.association import AssociationSchedule
from .schedule.durations import whole_seconds
from .tasks.automation import step_permissions
from .tasks.rate_control import MaxConcurrency, MaxErrors, RateControlValue
from .tasks.run_command import (
    S3_OUTPUT_BUCKET_ACTIONS,
    S3_OUTPUT_OBJECT_ACTIONS,
    PatchOperation,
    RebootOption,
    check_output_bucket,
    enum_member,
    patch_parameters,
)
from ._internal.signatures import truthful_signature

__all__ = ["Association", "AssociationComplianceSeverity", "AssociationOptions", "AssociationSyncCompliance",
           "AssociationTarget", "PatchAssociation"]

#: [API] CreateAssociation.Targets: at most 5 entries, each with at most 50 values.
MAX_TARGETS, MAX_TARGET_VALUES = 5, 50
#: [CFN] WaitForSuccessTimeoutSeconds: 15 seconds to 48 hours.
WAIT_FOR_SUCCESS_SECONDS = (15, 172_800)
_ASSOCIATION_NAME = re.compile(r"[a-zA-Z0-9_\-.]{3,128}")
_DOCUMENT_NAME = re.compile(r"[a-zA-Z0-9_\-.:/]{3,128}")  # [API] CreateAssociation.Name, ARNs included
_CALENDAR = re.compile(r"[a-zA-Z0-9_\-.]{3,128}|arn:aws[a-z-]*:ssm:[a-z0-9-]+:[0-9]{12}:document/[a-zA-Z0-9_\-.]{3,128}")
_ASSUME_ROLE = "AutomationAssumeRole"


class AssociationComplianceSeverity(enum.Enum):
    """``ComplianceSeverity``: how a failed association is reported in compliance."""

    CRITICAL = "CRITICAL"
    HIGH = "HIGH"
    MEDIUM = "MEDIUM"
    LOW = "LOW"
    UNSPECIFIED = "UNSPECIFIED"  #: SSM's default


class AssociationSyncCompliance(enum.Enum):
    """``SyncCompliance``: who reports the association's compliance."""

    AUTO = "AUTO"  #: SSM's default: the execution's status decides
    MANUAL = "MANUAL"  #: you report it with PutComplianceItems


class AssociationOptions(TypedDict, total=False):
    """What every association takes besides its document, targets and parameters (see
    :class:`Association`): ``schedule``, ``apply_only_at_cron_interval``, ``association_name``,
    ``document_version``, ``max_concurrency``, ``max_errors``, ``compliance_severity``,
    ``sync_compliance``, ``calendar_names``, ``output_s3_bucket``, ``output_s3_key_prefix``,
    ``output_s3_region``, ``wait_for_success_timeout``, ``dispatch_role``, ``tags``."""

    schedule: Union[AssociationSchedule, str, None]
    apply_only_at_cron_interval: Optional[bool]
    association_name: Optional[str]
    document_version: Union[str, int, None]
    max_concurrency: Optional[RateControlValue]
    max_errors: Optional[RateControlValue]
    compliance_severity: Optional[AssociationComplianceSeverity]
    sync_compliance: Optional[AssociationSyncCompliance]
    calendar_names: Optional[Sequence[Union[str, Document]]]
    output_s3_bucket: Union[s3.IBucket, str, None]
    output_s3_key_prefix: Optional[str]
    output_s3_region: Optional[str]
    wait_for_success_timeout: Union[Duration, timedelta, None]
    dispatch_role: Optional[iam.IRole]
    tags: Optional[Mapping[str, str]]


class AssociationTarget:
    """One entry of an association's ``Targets``. Build it with a factory:

    * :meth:`tags` (``tag:<key>``, values ORed), :meth:`tag_keys` (``tag-key``), :meth:`patch_group`;
    * :meth:`instance_ids` (up to 50), :meth:`all_managed_nodes` (``InstanceIds`` ``*``);
    * :meth:`resource_group` (``resource-groups:Name``) and :meth:`resource_types`
      (``resource-groups:ResourceTypeFilters``, with a resource group);
    * :meth:`of` for any other key SSM takes (``ParameterValues`` of an Automation runbook).

    Several entries of tags and tag keys are ANDed; all managed nodes, instance IDs and a
    resource group stand alone.

    Attributes:
        key, values: the entry as SSM takes it.
    """

    __slots__ = ("key", "values")

    def __init__(self, key: str, values: Sequence[str]) -> None:
        if not is_token(key) and (not isinstance(key, str) or not 1 <= len(key) <= 163 or not (
                key in ("resource-groups:Name", "resource-groups:ResourceTypeFilters")
                or has_only_tag_characters(key, "_.:/=-@"))):
            fail("InvalidAssociationTarget", f"target key {quote(key)} is not one SSM takes: 1-163 letters, digits, "
                                             f"spaces or '_.:/=-@' (e.g. 'tag:Environment', 'InstanceIds').")
        if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, Sequence) or \
                not all(isinstance(value, str) for value in values):
            fail("InvalidAssociationTarget", f"target {key!r} values must be a list of strings: got {quote(values)}.")
        if len(values) > MAX_TARGET_VALUES:
            fail("InvalidAssociationTarget", f"target {key!r} has {len(values)} values: at most {MAX_TARGET_VALUES}.")
        self.key = key
        self.values: Tuple[str, ...] = tuple(values)

    @staticmethod
    def tags(key: str, values: Union[str, Sequence[str]]) -> "AssociationTarget":
        """Nodes whose tag ``key`` has one of ``values``."""
        if not is_token(key) and (not isinstance(key, str) or not 1 <= len(key) <= 128 or key.lower().startswith("aws:")
                                  or not has_only_tag_characters(key, "_.:/=-@")):
            fail("InvalidAssociationTarget", f"tags key {quote(key)} must be 1-128 letters, digits, spaces or "
                                             f"'_.:/=-@', not starting with aws:.")
        return AssociationTarget(f"tag:{key}", _values(f"values of tag {key!r}", values))

    @staticmethod
    def tag_keys(keys: Sequence[str]) -> "AssociationTarget":
        """Nodes that have every tag key of ``keys``, whatever the values."""
        return AssociationTarget("tag-key", _values("tag_keys", keys))

    @staticmethod
    def patch_group(names: Union[str, Sequence[str]], *, tag_key: str = "Patch Group") -> "AssociationTarget":
        """The nodes of a Patch Manager patch group: ``tag:Patch Group`` (or ``tag:PatchGroup``)."""
        if tag_key not in ("Patch Group", "PatchGroup"):
            fail("InvalidPatchGroupTagKey", f"tag_key must be exactly 'Patch Group' or 'PatchGroup': got {quote(tag_key)}.")
        groups = _values("patch_group", names)
        for group in groups:
            check_patch_group_name(group, "patch_group")
        return AssociationTarget(f"tag:{tag_key}", groups)

    @staticmethod
    def instance_ids(ids: Sequence[str]) -> "AssociationTarget":
        """Up to 50 nodes by ID (``i-`` or ``mi-``)."""
        return AssociationTarget("InstanceIds", check_instance_ids("instance_ids", ids))

    @staticmethod
    def all_managed_nodes() -> "AssociationTarget":
        """Every managed node of the account and Region (``InstanceIds`` ``*``), now and later."""
        return AssociationTarget("InstanceIds", ["*"])

    @staticmethod
    def resource_group(name: str) -> "AssociationTarget":
        """The nodes of a resource group (its name or ARN)."""
        check_text("resource_group", name, 1, 1011, "InvalidAssociationTarget")
        return AssociationTarget("resource-groups:Name", [name])

    @staticmethod
    def resource_types(types: Sequence[str]) -> "AssociationTarget":
        """Narrow a resource group to these resource types (``AWS::EC2::Instance``)."""
        values = _values("resource_types", types)
        for value in values:
            check_pattern(value, RESOURCE_TYPE, "InvalidAssociationTarget",
                          f"resource_types entry {quote(value)} must be a type such as 'AWS::EC2::Instance'.")
        return AssociationTarget("resource-groups:ResourceTypeFilters", values)

    @staticmethod
    def of(key: str, values: Sequence[str]) -> "AssociationTarget":
        """Any target SSM takes, as written (e.g. ``of("ParameterValues", ["i-0123..."])``)."""
        return AssociationTarget(key, list(values) if isinstance(values, Sequence) and not isinstance(values, str) else values)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, AssociationTarget) and (self.key, self.values) == (other.key, other.values)

    def __hash__(self) -> int:
        return hash((self.key, self.values))

    def __repr__(self) -> str:
        return f"AssociationTarget.of({self.key!r}, {list(self.values)!r})"


@truthful_signature
@jsii.implements(ssm_refs.IAssociationRef)
class Association(Resource):
    """A State Manager association: applies ``document`` to ``targets`` on ``schedule``.

    Args:
        document: a :class:`Document`, a document name (3-128 characters, an ARN for a shared
            one) or an ``ssm.CfnDocument``: a Command document, an Automation runbook, or any
            document State Manager runs (``AWS-GatherSoftwareInventory``). Catalogued AWS
            documents get their parameters checked.
        targets: up to 5 :class:`AssociationTarget` entries (required for a Command document).
        parameters: ``{name: value or [values]}`` for the document.
        automation_target_parameter_name: the runbook parameter the targets fill (Automation
            with targets and rate control needs it, e.g. ``"InstanceId"``).
        automation_assume_role: the role an Automation runbook runs as (sets its
            ``AutomationAssumeRole`` parameter; a catalogued runbook's steps are granted to it).
        instance_id: the deprecated single node ID (none of targets, schedule, name, version,
            rate control or output with it).

    Keyword Args:
        schedule: an :class:`AssociationSchedule` (or its string); without one the association
            runs once, when it is created (and when targets change).
        apply_only_at_cron_interval: True: do not run at creation, only on the cron (not with a
            rate; required for ``schedule_offset``).
        association_name: 3-128 of letters, digits, ``_-.``.
        document_version: ``"$LATEST"``, ``"$DEFAULT"`` or a version number.
        max_concurrency: rate control (``MaxConcurrency`` or a string).
        max_errors: rate control (``MaxErrors`` or a string).
        compliance_severity: :class:`AssociationComplianceSeverity`.
        sync_compliance: :class:`AssociationSyncCompliance`.
        calendar_names: Change Calendar documents (names or ARNs) that gate the runs.
        output_s3_bucket: where command output goes (the *nodes* write it:
            :meth:`grant_output_write`).
        output_s3_key_prefix: its key prefix.
        output_s3_region: its Region.
        wait_for_success_timeout: how long CloudFormation waits for the first run to succeed
            (15 seconds to 48 hours); without it CloudFormation does not wait.
        dispatch_role: ``AssociationDispatchAssumeRole``, the role State Manager assumes to
            dispatch the association (default: SSM's service-linked role); nothing is granted.
        tags: ``{key: value}`` for the association.

    Attributes:
        association_id: the association's ID (a token).
        association_name: its name, or None.
        document: the :class:`Document` it applies.
        schedule: its :class:`AssociationSchedule`, or None.
        targets: its targets.
        apply_only_at_cron_interval: the value given.

    ``node.default_child`` is the L1.
    """

    def __init__(self, scope: Construct, id: str, *, document: DocumentLike,
                 targets: Optional[Sequence[AssociationTarget]] = None,
                 parameters: Optional[Mapping[str, Union[str, Sequence[str]]]] = None,
                 automation_target_parameter_name: Optional[str] = None,
                 automation_assume_role: Optional[iam.IRole] = None, instance_id: Optional[str] = None,
                 **options: Unpack[AssociationOptions]) -> None:
        check_options(type(self).__name__, options, AssociationOptions.__annotations__)
        schedule_given, apply_only_at_cron_interval = options.get("schedule"), options.get("apply_only_at_cron_interval")
        association_name, document_version = options.get("association_name"), options.get("document_version")
        max_concurrency, max_errors = options.get("max_concurrency"), options.get("max_errors")
        compliance_severity, sync_compliance = options.get("compliance_severity"), options.get("sync_compliance")
        output_s3_bucket, output_s3_key_prefix = options.get("output_s3_bucket"), options.get("output_s3_key_prefix")
        output_s3_region, dispatch_role = options.get("output_s3_region"), options.get("dispatch_role")
        document = Document.of(document)
        check_pattern(document.name, _DOCUMENT_NAME, "InvalidDocument",
                      f"document must be a name or ARN of 3-128 letters, digits or '_-.:/' (CreateAssociation.Name): "
                      f"got {quote(document.name)}.")
        entries = _targets(targets)
        schedule = _schedule(schedule_given)
        cron_only = _cron_interval(apply_only_at_cron_interval, schedule)
        check_pattern(association_name, _ASSOCIATION_NAME, "InvalidAssociationName",
                      f"association_name must be 3-128 letters, digits or '_-.': got {quote(association_name)}.")
        version = parse_document_version(document_version)
        concurrency = None if max_concurrency is None else MaxConcurrency.of(max_concurrency).value
        errors = None if max_errors is None else MaxErrors.of(max_errors).value
        for argument, value, enum_type in (("compliance_severity", compliance_severity, AssociationComplianceSeverity),
                                           ("sync_compliance", sync_compliance, AssociationSyncCompliance)):
            if value is not None:
                check_type(argument, value, enum_type, f"an {enum_type.__name__}")
        calendars = _calendars(options.get("calendar_names"))
        check_output_bucket(output_s3_bucket, output_s3_key_prefix)
        check_text("output_s3_region", output_s3_region, 3, 20, "InvalidRegion")
        if output_s3_region is not None and output_s3_bucket is None:
            fail("InvalidRegion", "output_s3_region needs output_s3_bucket: give the bucket too.")
        wait = whole_seconds("wait_for_success_timeout", options.get("wait_for_success_timeout"), *WAIT_FOR_SUCCESS_SECONDS,
                             code="InvalidWaitForSuccessTimeout")
        document_parameters = parse_parameters(parameters, lambda where, values: None, key_max=255) or {}
        is_automation = document.type is DocumentType.AUTOMATION
        if automation_assume_role is not None:
            check_interface("automation_assume_role", automation_assume_role, ROLE_MEMBERS,
                            "an iam.IRole trusted by ssm.amazonaws.com")
            if not is_automation and document.type is not None:
                fail("WrongDocumentType", f"automation_assume_role is for Automation runbooks: {document.name} is a "
                                          f"{document.type.value} document. Drop it.")
            if _ASSUME_ROLE in document_parameters:
                fail("AssumeRoleConflict", f"give automation_assume_role= or parameters[{_ASSUME_ROLE!r}], not both.")
            document_parameters[_ASSUME_ROLE] = [automation_assume_role.role_arn]
        _check_automation_target(is_automation, entries, concurrency, errors, automation_target_parameter_name)
        filled: Dict[str, List[str]] = ({automation_target_parameter_name: []}
                                        if automation_target_parameter_name and entries else {})
        document.check_parameters({**filled, **document_parameters})  # the targets fill that runbook parameter
        if dispatch_role is not None:
            check_interface("dispatch_role", dispatch_role, ROLE_MEMBERS, "an iam.IRole trusted by ssm.amazonaws.com")
        if instance_id is not None:
            _check_instance_id(instance_id, entries, schedule, association_name, version, concurrency, errors,
                               output_s3_bucket)
        elif not entries and document.type is DocumentType.COMMAND:
            fail("AssociationTargetsRequired", f"{document.name} is a Command document: give targets (e.g. "
                                               f"[AssociationTarget.tags('Environment', 'prod')] or "
                                               f"[AssociationTarget.all_managed_nodes()]), or it runs on no node.")
        tags = options.get("tags")
        cfn_tags = check_resource_tags("tags", tags) if tags is not None else []
        create_in(scope, id, type(self).__name__, lambda: super(Association, self).__init__(scope, id))

        self.document = document
        self.schedule = schedule
        self.targets: Tuple[AssociationTarget, ...] = tuple(entries)
        self.apply_only_at_cron_interval = cron_only
        self.association_name = association_name
        self.parameters: Dict[str, List[str]] = document_parameters
        self._bucket: Optional[s3.IBucket] = None
        if output_s3_bucket is not None:
            self._bucket = (s3.Bucket.from_bucket_name(self, "OutputBucket", output_s3_bucket)
                            if isinstance(output_s3_bucket, str) else output_s3_bucket)
        self._output_prefix = output_s3_key_prefix
        if automation_assume_role is not None:
            permissions = [*target_permissions()] if entries else []
            if document.spec is not None and document.spec.steps is not None:
                permissions += step_permissions(document.spec)
            if permissions:
                grant(automation_assume_role, permissions, self, f"running {document.name} for {self.node.path}")
        self._resource = ssm.CfnAssociation(
            self, "Resource",
            name=document.name,
            targets=[ssm.CfnAssociation.TargetProperty(key=entry.key, values=list(entry.values)) for entry in entries] or None,
            parameters=document_parameters or None,
            schedule_expression=schedule.expression_string if schedule is not None else None,
            schedule_offset=schedule.schedule_offset if schedule is not None else None,
            apply_only_at_cron_interval=apply_only_at_cron_interval,
            association_name=association_name,
            document_version=version,
            max_concurrency=concurrency,
            max_errors=errors,
            compliance_severity=compliance_severity.value if compliance_severity is not None else None,
            sync_compliance=sync_compliance.value if sync_compliance is not None else None,
            calendar_names=calendars,
            output_location=ssm.CfnAssociation.InstanceAssociationOutputLocationProperty(
                s3_location=ssm.CfnAssociation.S3OutputLocationProperty(
                    output_s3_bucket_name=self._bucket.bucket_name, output_s3_key_prefix=output_s3_key_prefix,
                    output_s3_region=output_s3_region)) if self._bucket is not None else None,
            wait_for_success_timeout_seconds=wait,
            automation_target_parameter_name=automation_target_parameter_name,
            association_dispatch_assume_role=dispatch_role.role_arn if dispatch_role is not None else None,
            instance_id=instance_id,
            tags=[CfnTag(key=key, value=value) for key, value in cfn_tags] or None,
        )
        app_patching(self).add_association(self)

    @property
    def association_id(self) -> str:
        """The association ID (a token)."""
        return str(self._resource.attr_association_id)

    @property
    def association_ref(self) -> ssm_refs.AssociationReference:
        """This association as aws-cdk-lib's ``IAssociationRef`` reference (its L1's)."""
        return self._resource.association_ref

    @property
    def patch_operation(self) -> Optional[str]:
        """``Scan`` or ``Install`` for a patching document, else None."""
        operation = self.parameters.get("Operation") if self.document.name in PATCHING_DOCUMENTS else None
        return operation[0] if operation and not is_token(operation[0]) else None

    def patching_facts(self) -> List[PatchingFacts]:
        """What the association patches (the checks across patching models); nothing unless it
        runs a patching document on targets the library can read."""
        operation = self.patch_operation
        selectors = _node_selectors(self.targets)
        if operation is None or not selectors:
            return []
        return [PatchingFacts(name=self.node.path, model="association", environment=placement, selectors=selectors,
                              operations=frozenset({operation})) for placement in deployments_of(stack_of(self))]

    def on_state_change(self, id: str, *, target: Optional[RuleTargetLike] = None,
                        statuses: Optional[Sequence[AssociationStatus]] = None, description: Optional[str] = None,
                        rule_name: Optional[str] = None,
            event_pattern: Optional[events.EventPattern] = None,
            cross_stack_scope: Optional[Construct] = None) -> events.Rule:
        """An EventBridge rule (a child ``id`` of this association) for its overall state changes
        ("EC2 State Manager Association State Change" of this ``association-id``; ``statuses``
        if given, e.g. ``[AssociationStatus.FAILED]``), sent to ``target``. ``event_pattern`` adds
        conditions on the fields the rule leaves open; ``cross_stack_scope`` as for ``events.Rule``."""
        return state_change_rule(self, id, detail_type=ASSOCIATION_DETAIL_TYPE,
                                 detail={"association-id": [self.association_id]}, statuses=statuses,
                                 status_type=AssociationStatus, target=target, description=description, rule_name=rule_name,
                                 event_pattern=event_pattern, cross_stack_scope=cross_stack_scope)

    def on_node_state_change(self, id: str, *, target: Optional[RuleTargetLike] = None,
                             statuses: Optional[Sequence[AssociationStatus]] = None, description: Optional[str] = None,
                             rule_name: Optional[str] = None,
            event_pattern: Optional[events.EventPattern] = None,
            cross_stack_scope: Optional[Construct] = None) -> events.Rule:
        """As :meth:`on_state_change`, for its state on each managed node ("EC2 State Manager
        Instance Association State Change"): the event names the node (``instance-id``)."""
        return state_change_rule(self, id, detail_type=INSTANCE_ASSOCIATION_DETAIL_TYPE,
                                 detail={"association-id": [self.association_id]}, statuses=statuses,
                                 status_type=AssociationStatus, target=target, description=description, rule_name=rule_name,
                                 event_pattern=event_pattern, cross_stack_scope=cross_stack_scope)

    def output_write_statements(self) -> List[iam.PolicyStatement]:
        """What the nodes need to write this association's output: ``s3:PutObject`` and
        ``PutObjectAcl`` under the key prefix, ``s3:GetEncryptionConfiguration`` on the bucket."""
        if self._bucket is None:
            return []
        return [iam.PolicyStatement(actions=list(S3_OUTPUT_OBJECT_ACTIONS),
                                    resources=[self._bucket.arn_for_objects(f"{self._output_prefix or ''}*")]),
                iam.PolicyStatement(actions=list(S3_OUTPUT_BUCKET_ACTIONS), resources=[self._bucket.bucket_arn])]

    def grant_output_write(self, grantee: iam.IGrantable) -> Optional[iam.Grant]:
        """Let ``grantee`` (the nodes' role) write this association's output; None without output."""
        result: Optional[iam.Grant] = None
        for statement in self.output_write_statements():
            step = iam.Grant.add_to_principal(grantee=grantee, actions=statement.actions, resource_arns=statement.resources)
            result = step if result is None else result.combine(step)
        return result


@truthful_signature
class PatchAssociation(Association):
    """Patch or scan nodes with ``AWS-RunPatchBaseline`` through State Manager.

    ``operation`` is :class:`PatchOperation` ``SCAN`` or ``INSTALL``; ``reboot_option``,
    ``snapshot_id``, ``install_override_list`` and ``baseline_override`` are the document's
    parameters, checked as for :class:`RunPatchBaselineTask`. Every other argument is as for
    :class:`Association` (targets required).

    An ``INSTALL`` association without ``apply_only_at_cron_interval=True`` installs, and may
    reboot, as soon as it is deployed and whenever a node joins its targets: that earns a warning
    (``mw-constructs:AssociationRunsAtCreation``), acknowledge it when that is the point (patch
    new Auto Scaling instances on launch).

    Attributes:
        operation, reboot_option: the values given.
    """

    def __init__(self, scope: Construct, id: str, *, operation: PatchOperation, targets: Sequence[AssociationTarget],
                 reboot_option: Optional[RebootOption] = None, snapshot_id: Optional[str] = None,
                 install_override_list: Optional[str] = None, baseline_override: Optional[str] = None,
                 **options: Unpack[AssociationOptions]) -> None:
        check_options(type(self).__name__, options, AssociationOptions.__annotations__)
        operation = enum_member("operation", operation, PatchOperation)
        reboot_option = None if reboot_option is None else enum_member("reboot_option", reboot_option, RebootOption)
        parameters = patch_parameters(operation, reboot_option, snapshot_id, install_override_list, baseline_override)
        if targets is None:
            fail("AssociationTargetsRequired", "PatchAssociation needs targets: e.g. [AssociationTarget.patch_group('web')].")
        super().__init__(scope, id, document=Document.RUN_PATCH_BASELINE, targets=targets, parameters=parameters,
                         **options)
        self.operation = operation
        self.reboot_option = reboot_option
        for found in Document.RUN_PATCH_BASELINE.advice(parameters):
            Annotations.of(self).add_warning_v2(found.id, found.message)
        if operation is PatchOperation.INSTALL and not options.get("apply_only_at_cron_interval"):
            Annotations.of(self).add_warning_v2(check_warning_id("mw-constructs:AssociationRunsAtCreation"), (
                "this association installs patches (and may reboot) as soon as it is deployed and whenever a node starts "
                "matching its targets, then on its schedule. Give apply_only_at_cron_interval=True to install only on "
                "the schedule, or acknowledge this if installing at once is the point (new instances patched on launch)."))


# ---------------------------------------------------------------------- helpers


def _values(argument: str, raw: Any) -> List[str]:
    values = [raw] if isinstance(raw, str) else raw
    if isinstance(values, (bytes, Mapping)) or not isinstance(values, Sequence) or not values \
            or not all(isinstance(v, str) for v in values):
        fail("InvalidAssociationTarget", f"{argument} must be a string or a non-empty list of strings: got {quote(raw)}.")
    for value in values:
        if not is_token(value) and not 1 <= len(value) <= 256:
            fail("InvalidAssociationTarget", f"{argument} value {quote(value)} must be 1-256 characters.")
    return list(values)


def _targets(targets: Optional[Sequence[AssociationTarget]]) -> List[AssociationTarget]:
    if targets is None:
        return []
    if isinstance(targets, (str, AssociationTarget)) or not isinstance(targets, Sequence) or \
            not all(isinstance(target, AssociationTarget) for target in targets):
        fail("InvalidType", f"targets must be a list of AssociationTarget (e.g. [AssociationTarget.tags('Env', 'prod')]): "
                            f"got {quote(targets)}.")
    entries = list(targets)
    if len(entries) > MAX_TARGETS:
        fail("InvalidAssociationTarget", f"targets has {len(entries)} entries: an association takes at most {MAX_TARGETS}.")
    keys = [entry.key for entry in entries]
    alone = [key for key in keys if key == "InstanceIds"]
    if alone and len(entries) > 1:
        fail("InvalidAssociationTarget", "targets: InstanceIds (instance_ids or all_managed_nodes) stands alone: give it as "
                                         "the only target, or select the nodes by tags.")
    if "resource-groups:ResourceTypeFilters" in keys and "resource-groups:Name" not in keys:
        fail("InvalidAssociationTarget", "targets: AssociationTarget.resource_types narrows a resource group: add "
                                         "AssociationTarget.resource_group(...).")
    if len(set(keys)) != len(keys):
        fail("InvalidAssociationTarget", f"targets names the key {next(k for k in keys if keys.count(k) > 1)!r} twice: "
                                         f"give one entry per key (its values are ORed).")
    return entries


def _schedule(schedule: Union[AssociationSchedule, str, None]) -> Optional[AssociationSchedule]:
    if schedule is None or isinstance(schedule, AssociationSchedule):
        return schedule
    if isinstance(schedule, str):
        return as_argument("schedule", lambda: AssociationSchedule.expression(schedule))
    fail("InvalidType", f"schedule must be an AssociationSchedule or a schedule string: got {quote(schedule)}.")


def _cron_interval(apply_only: Optional[bool], schedule: Optional[AssociationSchedule]) -> bool:
    if apply_only is not None:
        check_type("apply_only_at_cron_interval", apply_only, bool, "True or False")
    if apply_only and schedule is not None and schedule.kind == "rate":
        fail("ApplyOnlyAtCronIntervalWithRate", f"apply_only_at_cron_interval=True cannot be used with "
                                                f"{schedule.expression_string}: SSM does not support it for rate "
                                                f"expressions. Use a cron schedule, or drop it.")
    if apply_only and schedule is None:
        fail("ApplyOnlyAtCronIntervalWithRate", "apply_only_at_cron_interval=True needs a cron schedule: give schedule=.")
    if schedule is not None and schedule.schedule_offset is not None and not apply_only:
        fail("ScheduleOffsetNeedsCronInterval", f"schedule_offset={schedule.schedule_offset} needs "
                                                f"apply_only_at_cron_interval=True (SSM: to use offsets, the association "
                                                f"must not run when it is created). Add it.")
    return bool(apply_only)


def _calendars(names: Optional[Sequence[Union[str, Document]]]) -> Optional[List[str]]:
    if names is None:
        return None
    if isinstance(names, (str, Document)) or not isinstance(names, Sequence):
        fail("InvalidType", f"calendar_names must be a list of Change Calendar names or ARNs: got {quote(names)}.")
    result = []
    for name in names:
        text = name.name if isinstance(name, Document) else name
        check_pattern("" if text is None else text, _CALENDAR, "InvalidCalendarName",
                      f"calendar_names entry {quote(text)} must be a Change Calendar document name (3-128 letters, "
                      f"digits, '_-.') or ARN.")
        result.append(text)
    return result


def _check_automation_target(is_automation: bool, entries: Sequence[AssociationTarget], concurrency: Optional[str],
                             errors: Optional[str], parameter_name: Optional[str]) -> None:
    if parameter_name is not None and (not isinstance(parameter_name, str) or not 1 <= len(parameter_name) <= 50):
        if not is_token(parameter_name):
            fail("AutomationTargetParameterRequired", f"automation_target_parameter_name must be 1-50 characters: "
                                                      f"got {quote(parameter_name)}.")
    if is_automation and entries and (concurrency is not None or errors is not None) and parameter_name is None:
        fail("AutomationTargetParameterRequired", "an Automation association that targets resources with rate control "
                                                  "needs automation_target_parameter_name: the runbook parameter the "
                                                  "targets fill (e.g. 'InstanceId').")


def _check_instance_id(instance_id: str, entries: Sequence[AssociationTarget], *others: Any) -> None:
    check_instance_ids("instance_id", [instance_id])
    if entries or any(other is not None for other in others):
        fail("InstanceIdConflict", "instance_id (deprecated) cannot be used with targets, schedule, association_name, "
                                   "document_version, max_concurrency, max_errors or output: use "
                                   "targets=[AssociationTarget.instance_ids([...])] instead.")


def _node_selectors(targets: Sequence[AssociationTarget]) -> Tuple[NodeSelector, ...]:
    """An association's targets are one selector (its entries ANDed)."""
    if any(target.key == "InstanceIds" and target.values == ("*",) for target in targets):
        return (ALL_NODES,)
    selector = node_selector([(target.key, target.values) for target in targets])
    return (selector,) if selector else ()
