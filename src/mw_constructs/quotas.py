"""Service quotas the library checks when an app is built, so that a deployment does not fail
half-way on one (pure Python: no aws_cdk import).

Defaults from the AWS General Reference, "AWS Systems Manager endpoints and quotas"
(https://docs.aws.amazon.com/general/latest/gr/ssm.html) and "AWS CloudFormation quotas"
(https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html).

A quota you have had raised through Service Quotas is told to the library with the context key
``mw-constructs:quotas`` (in ``cdk.json`` or ``App(context=...)``), e.g.
``{"mw-constructs:quotas": {"MaintenanceWindowsPerRegion": 100}}``. CloudFormation's resources
per stack cannot be overridden: split the stack.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from ._internal.validate import fail, quote

__all__ = ["Quota", "QUOTAS", "CONTEXT_KEY", "check_quota", "limit_of"]

CONTEXT_KEY = "mw-constructs:quotas"
_SSM = "AWS General Reference, Systems Manager quotas"


@dataclass(frozen=True)
class Quota:
    """One quota: its default, what it counts, where it comes from, what to do about it."""

    name: str
    default: int
    counts: str  # "maintenance windows in one account and Region"
    source: str
    fix: str
    adjustable: bool = True


QUOTAS: Mapping[str, Quota] = {quota.name: quota for quota in (
    Quota("MaintenanceWindowsPerRegion", 50, "maintenance windows in one account and Region", _SSM,
          "split the windows over accounts or Regions, or raise the quota in Service Quotas"),
    Quota("TasksPerWindow", 20, "tasks registered with one maintenance window", _SSM,
          "spread the tasks over more windows, or raise the quota in Service Quotas"),
    Quota("TargetsPerWindow", 100, "targets registered with one maintenance window", _SSM,
          "target by tag or resource group (one target selects many instances), or raise the quota"),
    Quota("TargetsPerTask", 10, "targets of one maintenance window task", _SSM,
          "select the instances with fewer, broader targets (tags), or raise the quota"),
    Quota("PatchBaselinesPerRegion", 50, "patch baselines in one account and Region", _SSM,
          "share baselines between patch groups, or raise the quota in Service Quotas"),
    Quota("ResourcesPerStack", 500, "resources in one CloudFormation stack", "AWS CloudFormation quotas",
          "split the windows over several stacks (e.g. one per tier or fleet)", adjustable=False),
)}


def limit_of(quota: Quota, context: Any) -> int:
    """The limit in force: the override in ``context`` (the value of ``mw-constructs:quotas``) or the default."""
    if context is None:
        return quota.default
    if not isinstance(context, Mapping) or not all(isinstance(key, str) for key in context):
        fail("InvalidQuota", f"the context key {CONTEXT_KEY!r} must map quota names to numbers, e.g. "
                             f"{{'MaintenanceWindowsPerRegion': 100}}: got {quote(context)}.")
    unknown = sorted(set(context) - set(QUOTAS))
    if unknown:
        fail("InvalidQuota", f"{CONTEXT_KEY} names unknown quotas {unknown}: use {sorted(QUOTAS)}.")
    value = context.get(quota.name)
    if value is None:
        return quota.default
    if not quota.adjustable:
        fail("InvalidQuota", f"{CONTEXT_KEY} sets {quota.name} to {quote(value)}, but {quota.counts} is a fixed limit "
                             f"({quota.default}, {quota.source}): {quota.fix}.")
    if isinstance(value, bool) or not isinstance(value, int) or value < quota.default:
        fail("InvalidQuota", f"{CONTEXT_KEY} sets {quota.name} to {quote(value)}: give the raised quota, a whole "
                             f"number of at least the default {quota.default}.")
    return value


def check_quota(name: str, count: int, where: str, context: Any) -> None:
    """Fail with QuotaExceeded when ``count`` (what there would be) is above the limit."""
    quota = QUOTAS[name]
    limit = limit_of(quota, context)
    if count > limit:
        raised = f" (raised from {quota.default} with {CONTEXT_KEY})" if limit != quota.default else ""
        how = f"; if raised, tell the library with the context key {CONTEXT_KEY} = {{{quota.name!r}: N}}" \
            if quota.adjustable and not raised else ""
        fail("QuotaExceeded", f"{where} would have {count} {quota.counts}: the limit is {limit}{raised} "
                              f"({quota.name}, {quota.source}). Fix: {quota.fix}{how}.")
