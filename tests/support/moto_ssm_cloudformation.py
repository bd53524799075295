"""Test support: teach moto 5.2.5's CloudFormation the SSM resources of this library.

moto's CloudFormation skips ``AWS::SSM::MaintenanceWindow``, ``MaintenanceWindowTarget``,
``MaintenanceWindowTask`` and ``PatchBaseline`` (with a log line, the stack still succeeds),
although its SSM API has windows, targets, tasks and baselines. :func:`install` registers a
CloudFormation model for each that calls moto's SSM backend as the real resource providers call
the SSM API, so a deployed template can be read back over the SSM API. It also answers the
library's custom resources, which moto would hand to a Lambda function in Docker, as their inline
handlers do (tests/test_handlers.py runs the handlers themselves):
``Custom::AwsPatchBaselineLookup`` and ``Custom::AwsPatchBaselinePatchGroup`` (``AwsManagedBaseline``) and
``Custom::MaintenanceWindowDisabled`` (``PatchingWindow(enabled=False)``). moto has no State
Manager associations at all: ``AWS::SSM::Association`` is kept here, and DescribeAssociation and
ListAssociations are answered from what was kept.

Limits, on purpose: moto validates nothing (tests/support/api_model.py checks every request against
the SSM model instead); these models create and delete, and replace on update; a window's
``AllowUnassociatedTargets`` and ``Enabled`` are kept here (moto's window has neither); a patch
group is associated with AWS's predefined baselines directly (moto's table of their ARNs; its
RegisterPatchBaselineForPatchGroup only takes baselines it created); any other custom resource
type is refused, so a test notices when the library starts to make one. Two gaps of moto's IAM in
CloudFormation are filled as well: ``AWS::IAM::Group`` (skipped by moto) and deleting an
``AWS::IAM::ManagedPolicy`` (moto leaves it attached, so the stack's role cannot be deleted).
"""

from __future__ import annotations

import uuid
from typing import Any, Callable, Dict, Optional

from moto.cloudformation import custom_model, parsing
from moto.core.exceptions import JsonRESTError
from moto.core.responses import ActionResult
from moto.core.common_models import CloudFormationModel
from moto.iam.models import ManagedPolicy, iam_backends
from moto.ssm.models import FakeMaintenanceWindow, FakePatchGroup, ssm_backends
from moto.utilities.utils import get_partition

__all__ = ["install", "window_extras", "default_baselines"]

# moto's model metaclass files each model under the service its module is in ("moto.<service>...").
_MOTO_MODULE = "moto.ssm.mw_constructs_test_adapter"

#: window id -> AllowUnassociatedTargets and Enabled, which moto's window does not keep (its
#: DescribeMaintenanceWindows/GetMaintenanceWindow answers include them through install()).
window_extras: Dict[str, Dict[str, Any]] = {}
#: (account, Region, operating system) -> the default baseline (moto has no RegisterDefaultPatchBaseline).
default_baselines: Dict[tuple, str] = {}
#: (account, Region) -> association ID -> the association as DescribeAssociation answers it.
associations: Dict[tuple, Dict[str, Dict[str, Any]]] = {}


def _ssm(account_id: str, region_name: str) -> Any:
    return ssm_backends[account_id][region_name]


class _Model:
    """What the models share: a created resource's physical id, and how to delete it (moto finds
    the models as direct subclasses of CloudFormationModel, so each names it itself)."""

    __module__ = _MOTO_MODULE

    def __init__(self, physical_id: str, account_id: str, region_name: str, properties: Dict[str, Any]) -> None:
        self._id = physical_id
        self.account_id = account_id
        self.region_name = region_name
        self.properties = properties

    @property
    def physical_resource_id(self) -> str:
        return self._id

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return False

    @staticmethod
    def cloudformation_name_type() -> str:
        return ""

    @classmethod
    def update_from_cloudformation_json(cls, original_resource: Any, new_resource_name: str,  # type: ignore[override]
                                        cloudformation_json: Dict[str, Any], account_id: str, region_name: str) -> Any:
        cls.delete_from_cloudformation_json(original_resource.physical_resource_id, cloudformation_json, account_id,
                                            region_name)
        return cls.create_from_cloudformation_json(new_resource_name, cloudformation_json, account_id, region_name)

    def delete(self, account_id: str, region_name: str) -> None:
        type(self).delete_from_cloudformation_json(self._id, {"Properties": self.properties}, account_id, region_name)


class MaintenanceWindow(_Model, CloudFormationModel):
    __module__ = _MOTO_MODULE

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::SSM::MaintenanceWindow"

    @classmethod
    def create_from_cloudformation_json(cls, resource_name: str, cloudformation_json: Dict[str, Any],  # type: ignore[override]
                                        account_id: str, region_name: str, **kwargs: Any) -> "MaintenanceWindow":
        p = cloudformation_json["Properties"]
        window_id = _ssm(account_id, region_name).create_maintenance_window(
            name=p["Name"], description=p.get("Description"), duration=p["Duration"], cutoff=p["Cutoff"],
            schedule=p["Schedule"], schedule_timezone=p.get("ScheduleTimezone"), schedule_offset=p.get("ScheduleOffset"),
            start_date=p.get("StartDate"), end_date=p.get("EndDate"), tags=p.get("Tags"))
        window_extras[window_id] = {
            "AllowUnassociatedTargets": p["AllowUnassociatedTargets"], "Enabled": True}
        return cls(window_id, account_id, region_name, p)

    @classmethod
    def delete_from_cloudformation_json(cls, resource_name: str, cloudformation_json: Dict[str, Any],  # type: ignore[override]
                                        account_id: str, region_name: str) -> None:
        _ssm(account_id, region_name).delete_maintenance_window(resource_name)
        window_extras.pop(resource_name, None)


class MaintenanceWindowTarget(_Model, CloudFormationModel):
    __module__ = _MOTO_MODULE

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::SSM::MaintenanceWindowTarget"

    @classmethod
    def create_from_cloudformation_json(cls, resource_name: str, cloudformation_json: Dict[str, Any],  # type: ignore[override]
                                        account_id: str, region_name: str, **kwargs: Any) -> "MaintenanceWindowTarget":
        p = cloudformation_json["Properties"]
        target_id = _ssm(account_id, region_name).register_target_with_maintenance_window(
            window_id=p["WindowId"], resource_type=p["ResourceType"], targets=p["Targets"],
            owner_information=p.get("OwnerInformation"), name=p.get("Name"), description=p.get("Description"))
        return cls(f"{p['WindowId']}|{target_id}", account_id, region_name, p)

    @property
    def physical_resource_id(self) -> str:
        return self._id.split("|")[1]  # Ref gives the window target ID

    @classmethod
    def delete_from_cloudformation_json(cls, resource_name: str, cloudformation_json: Dict[str, Any],  # type: ignore[override]
                                        account_id: str, region_name: str) -> None:
        window_id = cloudformation_json["Properties"]["WindowId"]
        backend = _ssm(account_id, region_name)
        if window_id in backend.windows:  # the window may be gone already
            backend.windows[window_id].targets.pop(resource_name.split("|")[-1], None)


class MaintenanceWindowTask(_Model, CloudFormationModel):
    __module__ = _MOTO_MODULE

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::SSM::MaintenanceWindowTask"

    @classmethod
    def create_from_cloudformation_json(cls, resource_name: str, cloudformation_json: Dict[str, Any],  # type: ignore[override]
                                        account_id: str, region_name: str, **kwargs: Any) -> "MaintenanceWindowTask":
        p = cloudformation_json["Properties"]
        task_id = _ssm(account_id, region_name).register_task_with_maintenance_window(
            window_id=p["WindowId"], targets=p.get("Targets"), task_arn=p["TaskArn"],
            service_role_arn=p.get("ServiceRoleArn"), task_type=p["TaskType"], task_parameters=p.get("TaskParameters"),
            task_invocation_parameters=p.get("TaskInvocationParameters"), priority=p.get("Priority"),
            max_concurrency=p.get("MaxConcurrency"), max_errors=p.get("MaxErrors"), logging_info=p.get("LoggingInfo"),
            name=p.get("Name"), description=p.get("Description"), cutoff_behavior=p.get("CutoffBehavior"),
            alarm_configurations=p.get("AlarmConfiguration"))
        return cls(task_id, account_id, region_name, p)

    @classmethod
    def delete_from_cloudformation_json(cls, resource_name: str, cloudformation_json: Dict[str, Any],  # type: ignore[override]
                                        account_id: str, region_name: str) -> None:
        window_id = cloudformation_json["Properties"]["WindowId"]
        backend = _ssm(account_id, region_name)
        if window_id in backend.windows:
            backend.windows[window_id].tasks.pop(resource_name, None)


class PatchBaseline(_Model, CloudFormationModel):
    __module__ = _MOTO_MODULE

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::SSM::PatchBaseline"

    @classmethod
    def create_from_cloudformation_json(cls, resource_name: str, cloudformation_json: Dict[str, Any],  # type: ignore[override]
                                        account_id: str, region_name: str, **kwargs: Any) -> "PatchBaseline":
        p = cloudformation_json["Properties"]
        backend = _ssm(account_id, region_name)
        baseline_id = backend.create_patch_baseline(
            name=p["Name"], operating_system=p.get("OperatingSystem", "WINDOWS"), global_filters=p.get("GlobalFilters"),
            approval_rules=p.get("ApprovalRules"), approved_patches=p.get("ApprovedPatches"),
            approved_patches_compliance_level=p.get("ApprovedPatchesComplianceLevel"),
            approved_patches_enable_non_security=p.get("ApprovedPatchesEnableNonSecurity"),
            rejected_patches=p.get("RejectedPatches"), rejected_patches_action=p.get("RejectedPatchesAction"),
            description=p.get("Description"), sources=p.get("Sources"), tags=p.get("Tags"))
        for group in p.get("PatchGroups") or ():
            associate(backend, group, p.get("OperatingSystem", "WINDOWS"), baseline_id, region_name)
        if p.get("DefaultBaseline"):
            default_baselines[(account_id, region_name, p.get("OperatingSystem", "WINDOWS"))] = baseline_id
        return cls(baseline_id, account_id, region_name, p)

    @classmethod
    def delete_from_cloudformation_json(cls, resource_name: str, cloudformation_json: Dict[str, Any],  # type: ignore[override]
                                        account_id: str, region_name: str) -> None:
        backend = _ssm(account_id, region_name)
        defaults = FakePatchGroup("lookup", region_name).default_associations
        for group in list(backend.patch_groups.values()):
            for os_name, baseline_id in list(group.associations.items()):
                if baseline_id == resource_name:
                    group.associations[os_name] = defaults[os_name]
        backend.baselines.pop(resource_name, None)
        for key, baseline_id in list(default_baselines.items()):
            if baseline_id == resource_name:
                del default_baselines[key]


class Association(_Model, CloudFormationModel):
    """``AWS::SSM::Association``: moto 5.2.5's SSM has no associations at all (no CreateAssociation,
    and its CloudFormation skips the type), so this keeps them in :data:`associations` as the API
    describes them, and :func:`install` answers DescribeAssociation and ListAssociations from there."""

    __module__ = _MOTO_MODULE

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::SSM::Association"

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return attr == "AssociationId"

    def get_cfn_attribute(self, attribute_name: str) -> Any:
        return self._id

    @classmethod
    def create_from_cloudformation_json(cls, resource_name: str, cloudformation_json: Dict[str, Any],  # type: ignore[override]
                                        account_id: str, region_name: str, **kwargs: Any) -> "Association":
        p = cloudformation_json["Properties"]
        association_id = str(uuid.uuid4())
        described = {key: value for key, value in p.items() if key not in ("WaitForSuccessTimeoutSeconds", "Tags")}
        described.update(AssociationId=association_id, AssociationVersion="1", DocumentVersion=p.get("DocumentVersion",
                                                                                                        "$DEFAULT"),
                         Overview={"Status": "Pending", "DetailedStatus": "Creating"})
        associations.setdefault((account_id, region_name), {})[association_id] = described
        return cls(association_id, account_id, region_name, p)

    @classmethod
    def delete_from_cloudformation_json(cls, resource_name: str, cloudformation_json: Dict[str, Any],  # type: ignore[override]
                                        account_id: str, region_name: str) -> None:
        associations.get((account_id, region_name), {}).pop(resource_name, None)


class Group(_Model, CloudFormationModel):
    """``AWS::IAM::Group``, which moto's CloudFormation skips (a policy attached to the group by
    ``Ref`` then fails with 'Group None not found')."""

    __module__ = "moto.iam.mw_constructs_test_adapter"

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::IAM::Group"

    @classmethod
    def create_from_cloudformation_json(cls, resource_name: str, cloudformation_json: Dict[str, Any],  # type: ignore[override]
                                        account_id: str, region_name: str, **kwargs: Any) -> "Group":
        p = cloudformation_json["Properties"]
        name = p.get("GroupName") or resource_name[:128]
        iam_backends[account_id][get_partition(region_name)].create_group(name, p.get("Path", "/"))
        return cls(name, account_id, region_name, p)

    @classmethod
    def delete_from_cloudformation_json(cls, resource_name: str, cloudformation_json: Dict[str, Any],  # type: ignore[override]
                                        account_id: str, region_name: str) -> None:
        iam_backends[account_id][get_partition(region_name)].delete_group(resource_name)


class _CustomResource(CloudFormationModel):
    """The answer of one of the library's custom resources, given at once; ``on_delete`` is
    what its Delete request does."""

    __module__ = _MOTO_MODULE

    def __init__(self, physical_id: str, data: Dict[str, Any], on_delete: Optional[Callable[[], None]] = None) -> None:
        self._id = physical_id
        self.data = data
        self.on_delete = on_delete

    def delete(self, account_id: str, region_name: str) -> None:
        if self.on_delete is not None:
            self.on_delete()

    @property
    def physical_resource_id(self) -> str:
        return self._id

    @staticmethod
    def cloudformation_type() -> str:
        return "?"

    def is_created(self) -> bool:
        return True

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return True

    def get_cfn_attribute(self, attribute_name: str) -> Any:
        return self.data.get(attribute_name)


def _answer(resource_type: str, properties: Dict[str, Any], account_id: str, region_name: str,
            logical_id: str) -> Optional[_CustomResource]:
    backend = _ssm(account_id, region_name)
    if resource_type == "Custom::MaintenanceWindowDisabled":
        extras = window_extras[properties["WindowId"]]
        extras["Enabled"] = False
        return _CustomResource(f"{properties['WindowId']}-disabled", {}, lambda: extras.update(Enabled=True))
    if resource_type == "Custom::AwsPatchBaselineLookup":  # AWS's predefined baseline, from moto's table of them
        arn = _aws_baseline(properties["BaselineName"], region_name)
        return _CustomResource(arn, {"BaselineId": arn})
    if resource_type == "Custom::AwsPatchBaselinePatchGroup":
        baseline_id, group_name = properties["BaselineId"], properties["PatchGroup"]
        operating_system = _os_of(baseline_id, region_name)
        associations = associate(backend, group_name, operating_system, baseline_id, region_name)
        default = FakePatchGroup("lookup", region_name).default_associations[operating_system]

        def deregister() -> None:
            associations[operating_system] = default

        return _CustomResource(f"{baseline_id}:{group_name}", {}, deregister)
    if resource_type.startswith("Custom::") and resource_type != "Custom::MaintenanceWindowDisabled":
        raise NotImplementedError(f"{logical_id}: the test adapter does not answer {resource_type}")
    return None


def associate(backend: Any, group_name: str, operating_system: str, baseline_id: str, region_name: str) -> Dict[str, str]:
    """RegisterPatchBaselineForPatchGroup as SSM does it: a patch group has one baseline per
    operating system, AWS's default until one is registered. (moto's own refuses a second
    operating system on a group, and any baseline it did not create.)"""
    if group_name not in backend.patch_groups:
        backend.patch_groups[group_name] = FakePatchGroup(group_name, region_name)
    associations: Dict[str, str] = backend.patch_groups[group_name].associations
    registered = associations.get(operating_system)
    if registered is not None and not registered.startswith("arn:") and registered != baseline_id:
        from moto.ssm.exceptions import AlreadyExistsException

        raise AlreadyExistsException(f"Patch Group {group_name} already has a baseline registered for "
                                     f"OperatingSystem {operating_system}.")
    associations[operating_system] = baseline_id
    return associations


def _aws_baseline(name: str, region_name: str) -> str:
    """The ARN of AWS's predefined baseline ``name`` (one of ``AWS_MANAGED_BASELINES``)."""
    from mw_constructs.baseline import AWS_MANAGED_BASELINES

    operating_system = next(os.value for os, known in AWS_MANAGED_BASELINES.items() if known == name)
    return str(FakePatchGroup("lookup", region_name).default_associations[operating_system])


def _os_of(baseline_arn: str, region_name: str) -> str:
    defaults = FakePatchGroup("lookup", region_name).default_associations
    return next(os_name for os_name, arn in defaults.items() if arn == baseline_arn)


_installed = False


def install() -> None:
    """Register the models with moto's CloudFormation (once per process)."""
    global _installed
    if _installed:
        return
    _installed = True
    for cache in (parsing.get_model_list, parsing.get_model_map, parsing.get_name_type_map):
        cache.cache_clear()
    original = custom_model.CustomModel.create_from_cloudformation_json.__func__  # type: ignore[attr-defined]

    def create(cls: Any, resource_name: str, cloudformation_json: Dict[str, Any], account_id: str, region_name: str,
               **kwargs: Any) -> Any:
        answered = _answer(kwargs["ResourceType"], cloudformation_json["Properties"], account_id, region_name,
                           kwargs["LogicalId"])
        if answered is not None:
            return answered
        return original(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)

    custom_model.CustomModel.create_from_cloudformation_json = classmethod(create)  # type: ignore[assignment]
    to_json = FakeMaintenanceWindow.to_json

    def with_extras(window: FakeMaintenanceWindow) -> Dict[str, Any]:
        return {**to_json(window), **window_extras.get(window.id, {})}

    FakeMaintenanceWindow.to_json = with_extras  # type: ignore[method-assign]
    ManagedPolicy.delete = _delete_managed_policy  # type: ignore[attr-defined]
    from moto.ssm.responses import SimpleSystemManagerResponse

    SimpleSystemManagerResponse.describe_association = _describe_association  # type: ignore[attr-defined]
    SimpleSystemManagerResponse.list_associations = _list_associations  # type: ignore[attr-defined]


def _associations_of(response: Any) -> Dict[str, Dict[str, Any]]:
    backend = response.ssm_backend
    return associations.get((backend.account_id, backend.region_name), {})


def _describe_association(response: Any) -> ActionResult:
    found = _associations_of(response).get(response._get_param("AssociationId"))
    if found is None:
        raise AssociationDoesNotExist()
    return ActionResult({"AssociationDescription": found})


def _list_associations(response: Any) -> ActionResult:
    listed = [{key: value for key, value in found.items() if key in (
        "AssociationId", "AssociationName", "Name", "DocumentVersion", "Targets", "ScheduleExpression", "Overview",
        "AssociationVersion", "ScheduleOffset")} for found in _associations_of(response).values()]
    return ActionResult({"Associations": listed})


class AssociationDoesNotExist(JsonRESTError):
    """What DescribeAssociation answers for an unknown ID."""

    def __init__(self) -> None:
        super().__init__("AssociationDoesNotExist", "The specified association does not exist.")


def _delete_managed_policy(policy: Any, account_id: str, region_name: str) -> None:
    """Deleting an ``AWS::IAM::ManagedPolicy`` detaches it first, as IAM requires (moto's
    CloudFormation leaves it attached, and the role it is attached to cannot be deleted)."""
    backend = iam_backends[account_id][get_partition(region_name)]
    for holder in [*backend.roles.values(), *backend.groups.values(), *backend.users.values()]:
        if policy.arn in holder.managed_policies:
            policy.detach_from(holder)
    backend.managed_policies.pop(policy.arn, None)
