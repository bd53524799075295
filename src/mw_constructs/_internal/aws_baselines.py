"""``AwsManagedBaseline``: register an AWS predefined patch baseline for patch groups, which
CloudFormation cannot do (``AWS::SSM::PatchBaseline`` lists patch groups only on baselines it
creates).

One inline function per stack (see ``handlers``) answers two custom resources:

* ``Custom::AwsPatchBaselineLookup``, one per stack and baseline name: the baseline's ARN, found
  with ``DescribePatchBaselines`` (owner AWS, name prefix, then the exact name: a prefix alone
  matches ``AWS-WindowsPredefinedPatchBaseline-OS-Applications`` for ``...-OS``, and every page is
  read). ``DescribePatchBaselines`` takes no resource-level permission.
* ``Custom::AwsPatchBaselinePatchGroup``, one per patch group: ``RegisterPatchBaselineForPatchGroup``
  on create, the old registration swapped for the new one on update, and
  ``DeregisterPatchBaselineForPatchGroup`` on delete, where a registration already gone (removed
  by hand) is done rather than a failure that would block deleting the stack. It depends on a
  policy allowing those two actions on that baseline's ARN only, deleted after it.

No file asset is needed, so ``AwsManagedBaseline`` works in StackSet templates too.
"""

from __future__ import annotations

from typing import Dict, Tuple

from aws_cdk import CustomResource, Stack
from aws_cdk import aws_iam as iam
from constructs import Construct

from .handlers import COMMON_CODE, DeployTimeFunction
from .nag import acknowledge
from .registry import PerStack

__all__ = ["DESCRIBE_BASELINES_ACTION", "HANDLER_CODE", "LOOKUP_TYPE", "PATCH_GROUP_REGISTRATION_ACTIONS",
           "PATCH_GROUP_TYPE", "baseline_lookup", "register_patch_group"]

LOOKUP_TYPE = "Custom::AwsPatchBaselineLookup"
PATCH_GROUP_TYPE = "Custom::AwsPatchBaselinePatchGroup"
#: DescribePatchBaselines takes no resource-level permission.
DESCRIBE_BASELINES_ACTION = "ssm:DescribePatchBaselines"
PATCH_GROUP_REGISTRATION_ACTIONS: Tuple[str, ...] = ("ssm:RegisterPatchBaselineForPatchGroup",
                                                     "ssm:DeregisterPatchBaselineForPatchGroup")

#: The function's code (inline, so the template needs no asset). Tested in tests/test_handlers.py.
HANDLER_CODE = COMMON_CODE + '''

def act(event, context):
    kind = request_type(event)
    properties = event.get("ResourceProperties") or {}
    if event.get("ResourceType") == "''' + LOOKUP_TYPE + '''":
        if kind == "Delete":
            return str(event.get("PhysicalResourceId") or "none"), "nothing to undo", None
        name = text(properties, "BaselineName")
        arn = find(name)
        return arn, "AWS baseline " + name + " is " + arn, {"BaselineId": arn}
    if kind == "Delete":
        physical = str(event.get("PhysicalResourceId") or "none")
        if not isinstance(properties.get("BaselineId"), str) or not isinstance(properties.get("PatchGroup"), str):
            return physical, "no registration to undo", None
        return physical, deregister(properties, context), None
    baseline, group = text(properties, "BaselineId"), text(properties, "PatchGroup")
    if kind == "Update":
        old = event.get("OldResourceProperties") or {}
        if (old.get("BaselineId"), old.get("PatchGroup")) == (baseline, group):
            return str(event.get("PhysicalResourceId")), "patch group " + group + " already registered", None
        if isinstance(old.get("BaselineId"), str) and isinstance(old.get("PatchGroup"), str):
            deregister(old, context)
    try:
        allowed(lambda: ssm().register_patch_baseline_for_patch_group(BaselineId=baseline, PatchGroup=group), context)
    except Exception as error:
        if code_of(error) != "AlreadyExistsException":
            raise
        raise RuntimeError("patch group " + group + " already has a baseline for this operating system (another "
                           "stack's, one registered by hand, or one registered by mw-constructs 0.2 before an upgrade: "
                           "see its CHANGELOG): " + str(error)) from None
    physical = event.get("PhysicalResourceId") if kind == "Update" else baseline + ":" + group
    return str(physical), "patch group " + group + " registered with " + baseline, None


def text(properties, key):
    value = properties.get(key)
    if not isinstance(value, str) or not value:
        raise ValueError("the event's ResourceProperties have no " + key)
    return value


def find(name):
    pages = ssm().get_paginator("describe_patch_baselines").paginate(
        Filters=[{"Key": "NAME_PREFIX", "Values": [name]}, {"Key": "OWNER", "Values": ["AWS"]}],
        PaginationConfig={"PageSize": 100, "MaxItems": 2000})
    for page in pages:
        for identity in page.get("BaselineIdentities") or ():
            if identity.get("BaselineName") == name:
                return identity["BaselineId"]
    raise LookupError("no AWS predefined patch baseline is named " + name + " in this Region")


def deregister(properties, context):
    baseline, group = properties["BaselineId"], properties["PatchGroup"]
    try:
        allowed(lambda: ssm().deregister_patch_baseline_for_patch_group(BaselineId=baseline, PatchGroup=group), context)
    except Exception as error:
        if code_of(error) not in ("DoesNotExistException", "InvalidResourceId"):
            raise
        return "patch group " + group + " was no longer registered with " + baseline
    return "patch group " + group + " deregistered from " + baseline
'''


def _function(stack: Stack) -> DeployTimeFunction:
    function = DeployTimeFunction(
        stack, "AwsBaselineRegistrar", code=HANDLER_CODE,
        description="Registers AWS predefined patch baselines for patch groups (mw-constructs AwsManagedBaseline)",
        base_statements=[iam.PolicyStatement(sid="FindAwsBaselines", actions=[DESCRIBE_BASELINES_ACTION], resources=["*"])])
    acknowledge(function.policy, "AwsSolutions-IAM5[Resource::*]",
                f"{DESCRIBE_BASELINES_ACTION} takes no resource-level permission")
    return function


class _Lookup:
    """One baseline name's lookup in a stack, and the policy allowing its registrations."""

    def __init__(self, function: DeployTimeFunction, name: str) -> None:
        scope = Construct(function.scope, name)
        self.resource = function.custom_resource(scope, "Lookup", resource_type=LOOKUP_TYPE,
                                                 properties={"BaselineName": name})
        self.baseline_arn = self.resource.get_att_string("BaselineId")
        self.grant = function.grant(scope, "Grant", [iam.PolicyStatement(
            sid="RegisterThisBaseline", actions=list(PATCH_GROUP_REGISTRATION_ACTIONS), resources=[self.baseline_arn])])


#: Per stack: the registrar function, and each baseline name's lookup.
_FUNCTIONS: PerStack[DeployTimeFunction] = PerStack(_function)
_LOOKUPS: PerStack[Dict[str, _Lookup]] = PerStack(lambda stack: {})


def baseline_lookup(scope: Construct, name: str) -> str:
    """The ARN (a token) of the AWS baseline ``name``, looked up once per stack."""
    return _lookup(scope, name).baseline_arn


def _lookup(scope: Construct, name: str) -> _Lookup:
    lookups = _LOOKUPS.of(scope)
    if name not in lookups:
        lookups[name] = _Lookup(_FUNCTIONS.of(scope), name)
    return lookups[name]


def register_patch_group(scope: Construct, id: str, name: str, patch_group: str) -> CustomResource:
    """A ``Custom::AwsPatchBaselinePatchGroup`` child of ``scope`` registering the AWS baseline
    ``name`` for ``patch_group``."""
    lookup = _lookup(scope, name)
    return _FUNCTIONS.of(scope).custom_resource(
        scope, id, resource_type=PATCH_GROUP_TYPE,
        properties={"BaselineId": lookup.baseline_arn, "PatchGroup": patch_group}, depends_on=[lookup.grant])
