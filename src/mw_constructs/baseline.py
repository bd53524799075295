"""``PatchBaseline``: which patches are approved, per operating system (``AWS::SSM::PatchBaseline``).

AWS reference: https://docs.aws.amazon.com/systems-manager/latest/userguide/patch-manager-predefined-and-custom-patch-baselines.html
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Dict, FrozenSet, List, Mapping, Optional, Sequence, Tuple, Union

import jsii
from aws_cdk import Annotations, CfnTag, Names, Resource
from aws_cdk import aws_ssm as ssm
from aws_cdk.interfaces import aws_ssm as ssm_refs
from constructs import Construct

from ._internal.deprecations import renamed, warn_renamed
from ._internal.environment import construction_placement
from ._internal.aws_baselines import baseline_lookup, register_patch_group
from ._internal.registry import PerApp
from ._internal.tokens import is_token
from ._internal.quota_use import reserve_in_environment
from ._internal.scopes import check_scope, create_in
from .errors import Advice
from .interfaces import IPatchBaseline
from ._internal.validate import (
    duplicate_advice,
    check_int_range,
    check_name,
    check_no_control_characters,
    check_patch_group_name,
    check_pattern,
    check_resource_tags,
    check_text,
    check_type,
    check_warning_id,
    fail,
    quote,
)
from .schedule.placement import Placement
from .schedule.presets import EnvironmentSchedule
from ._internal.signatures import truthful_signature

__all__ = [
    "AWS_MANAGED_BASELINES",
    "ApprovalRule",
    "AwsManagedBaseline",
    "ComplianceLevel",
    "ComplianceStatus",
    "DOCUMENTED_FILTER_KEYS",
    "OperatingSystem",
    "PatchBaseline",
    "PatchFilter",
    "PatchFilterKey",
    "PatchSource",
    "RejectedPatchesAction",
    "TIERED_APPROVAL_DAYS",
]


class OperatingSystem(enum.Enum):
    """``OperatingSystem`` of a patch baseline (replacing it replaces the baseline)."""

    WINDOWS = "WINDOWS"
    AMAZON_LINUX = "AMAZON_LINUX"
    AMAZON_LINUX_2 = "AMAZON_LINUX_2"
    AMAZON_LINUX_2022 = "AMAZON_LINUX_2022"
    AMAZON_LINUX_2023 = "AMAZON_LINUX_2023"
    UBUNTU = "UBUNTU"
    REDHAT_ENTERPRISE_LINUX = "REDHAT_ENTERPRISE_LINUX"
    SUSE = "SUSE"
    CENTOS = "CENTOS"
    ORACLE_LINUX = "ORACLE_LINUX"
    DEBIAN = "DEBIAN"
    MACOS = "MACOS"
    RASPBIAN = "RASPBIAN"
    ROCKY_LINUX = "ROCKY_LINUX"
    ALMA_LINUX = "ALMA_LINUX"


class PatchFilterKey(enum.Enum):
    """Patch filter keys: all 19 that ``PatchFilter.Key`` takes (API and CloudFormation schema).

    Which ones AWS documents for an operating system's baselines is checked: a key AWS says is
    valid only elsewhere is an error (``FilterKeyNotSupported``), one AWS does not list for the
    OS a warning (``mw-constructs:UndocumentedFilterKey``); see :data:`DOCUMENTED_FILTER_KEYS`."""

    ADVISORY_ID = "ADVISORY_ID"
    ARCH = "ARCH"
    BUGZILLA_ID = "BUGZILLA_ID"
    CLASSIFICATION = "CLASSIFICATION"
    CVE_ID = "CVE_ID"
    EPOCH = "EPOCH"
    MSRC_SEVERITY = "MSRC_SEVERITY"
    NAME = "NAME"
    PATCH_ID = "PATCH_ID"
    PATCH_SET = "PATCH_SET"
    PRIORITY = "PRIORITY"
    PRODUCT = "PRODUCT"
    PRODUCT_FAMILY = "PRODUCT_FAMILY"
    RELEASE = "RELEASE"
    REPOSITORY = "REPOSITORY"
    SECTION = "SECTION"
    SECURITY = "SECURITY"
    SEVERITY = "SEVERITY"
    VERSION = "VERSION"


class ComplianceLevel(enum.Enum):
    """Severity reported when an approved patch is missing."""

    CRITICAL = "CRITICAL"
    HIGH = "HIGH"
    MEDIUM = "MEDIUM"
    LOW = "LOW"
    INFORMATIONAL = "INFORMATIONAL"
    UNSPECIFIED = "UNSPECIFIED"


class ComplianceStatus(enum.Enum):
    """``AvailableSecurityUpdatesComplianceStatus`` (Windows Server): how a node with security
    patches that are available but not approved by the baseline is reported."""

    COMPLIANT = "COMPLIANT"
    NON_COMPLIANT = "NON_COMPLIANT"


class RejectedPatchesAction(enum.Enum):
    """What happens to rejected patches."""

    ALLOW_AS_DEPENDENCY = "ALLOW_AS_DEPENDENCY"  #: AWS's default: installed only as another package's dependency
    BLOCK = "BLOCK"  #: never installed, nor anything that depends on them


_O = OperatingSystem
_K = PatchFilterKey
_REDHAT_LIKE = frozenset({_K.PRODUCT, _K.CLASSIFICATION, _K.SEVERITY})
_DEBIAN_LIKE = frozenset({_K.PRODUCT, _K.PRIORITY, _K.SECTION})
#: The filter keys AWS documents for each operating system's baselines: the API reference of
#: DescribePatchProperties ("the properties that can be used in filters for each major operating
#: system type") and of PatchFilter (PATCH_SET for Windows; PATCH_ID; SECTION for Ubuntu).
#: RASPBIAN (Debian-based), ROCKY_LINUX and ALMA_LINUX (RHEL-based) and AMAZON_LINUX_2022 follow
#: their families: AWS does not list them separately (a documented library choice).
DOCUMENTED_FILTER_KEYS: Dict[OperatingSystem, FrozenSet[PatchFilterKey]] = {
    _O.WINDOWS: frozenset({_K.PATCH_SET, _K.PRODUCT, _K.PRODUCT_FAMILY, _K.CLASSIFICATION, _K.MSRC_SEVERITY, _K.PATCH_ID}),
    _O.MACOS: frozenset({_K.PRODUCT, _K.CLASSIFICATION}),
    _O.UBUNTU: _DEBIAN_LIKE,
    _O.DEBIAN: _DEBIAN_LIKE,
    _O.RASPBIAN: _DEBIAN_LIKE,
    **{os: _REDHAT_LIKE for os in (_O.AMAZON_LINUX, _O.AMAZON_LINUX_2, _O.AMAZON_LINUX_2022, _O.AMAZON_LINUX_2023,
                                   _O.REDHAT_ENTERPRISE_LINUX, _O.SUSE, _O.CENTOS, _O.ORACLE_LINUX, _O.ROCKY_LINUX,
                                   _O.ALMA_LINUX)},
}
_NO_APPROVAL_DELAY = (_O.UBUNTU, _O.DEBIAN)  # "Not supported for Debian Server or Ubuntu Server"
_NOT_LINUX = (_O.WINDOWS, _O.MACOS)

#: Days a patch waits before approval, per environment: a patch reaches production only after
#: it has been installed in development (day 0), test (day 3) and acceptance (day 5).
TIERED_APPROVAL_DAYS: Mapping[str, int] = {"sandbox": 0, "development": 0, "test": 3, "acceptance": 5, "production": 7}

MAX_RULES = 10
MAX_FILTERS = 4  # [API] PatchFilterGroup: 0-4 (cfn-lint allows 5)
MAX_FILTER_VALUES = 20
MAX_PATCHES = 50
MAX_SOURCES = 20
MAX_PATCH_GROUPS = 25  # quota: patch groups per patch baseline
_SOURCE_NAME = re.compile(r"[a-zA-Z0-9_\-.]{3,50}")
_BASELINE_ID = re.compile(r"[a-zA-Z0-9_\-:/]{20,128}")  # botocore: BaselineId


@dataclass(frozen=True)
class PatchFilter:
    """One filter: ``PatchFilter(PatchFilterKey.CLASSIFICATION, ["Security"])``."""

    key: PatchFilterKey
    values: Tuple[str, ...]

    def __init__(self, key: PatchFilterKey, values: Sequence[str]) -> None:
        if not isinstance(key, PatchFilterKey):
            fail("InvalidPatchFilter", f"filter key must be a PatchFilterKey, e.g. PatchFilterKey.CLASSIFICATION: got {quote(key)}.")
        if isinstance(values, str) or not isinstance(values, Sequence) or not 1 <= len(values) <= MAX_FILTER_VALUES:
            fail("InvalidPatchFilter", f"{key.name} filter values must be a list of 1 to {MAX_FILTER_VALUES} strings: got {quote(values)}.")
        for value in values:
            if not is_token(value) and (not isinstance(value, str) or not 1 <= len(value) <= 64):
                fail("InvalidPatchFilter", f"values: each {key.name} filter value must be a string of 1-64 characters: "
                                           f"got {quote(value)}.")
            check_no_control_characters(f"{key.name} filter value", value, "InvalidPatchFilter")
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "values", tuple(values))


@dataclass(frozen=True)
class ApprovalRule:
    """Approve the patches the ``filters`` select, ``approve_after_days`` (0-360) after release
    or up to ``approve_until_date`` (one of the two; neither for Ubuntu and Debian, whose
    baselines approve at once). ``compliance_level`` is reported when an approved patch is
    missing; ``enable_non_security`` (Linux only) also approves non-security updates."""

    filters: Tuple[PatchFilter, ...]
    approve_after_days: Optional[int] = None
    approve_until_date: Optional[date] = None
    compliance_level: Optional[ComplianceLevel] = None
    enable_non_security: Optional[bool] = None

    def __init__(
        self,
        *,
        filters: Sequence[PatchFilter],
        approve_after_days: Optional[int] = None,
        approve_until_date: Optional[date] = None,
        compliance_level: Optional[ComplianceLevel] = None,
        enable_non_security: Optional[bool] = None,
    ) -> None:
        _check_filters("filters", filters)
        if approve_after_days is not None and approve_until_date is not None:
            fail(
                "ApprovalConflict",
                f"give approve_after_days or approve_until_date, not both: got {approve_after_days} and "
                f"{approve_until_date}.",
            )
        if approve_after_days is not None:
            check_int_range("approve_after_days", approve_after_days, 0, 360, "InvalidApprovalDelay", "day")
        if approve_until_date is not None and (not isinstance(approve_until_date, date) or not 1970 <= approve_until_date.year <= 9999):
            fail("InvalidApprovalDelay", f"approve_until_date must be a datetime.date: got {quote(approve_until_date)}.")
        if compliance_level is not None:
            check_type("compliance_level", compliance_level, ComplianceLevel, "a ComplianceLevel")
        if enable_non_security is not None:
            check_type("enable_non_security", enable_non_security, bool, "True or False")
        for name, value in (("filters", tuple(filters)), ("approve_after_days", approve_after_days),
                            ("approve_until_date", approve_until_date), ("compliance_level", compliance_level),
                            ("enable_non_security", enable_non_security)):
            object.__setattr__(self, name, value)

    @staticmethod
    def for_environment(
        environment: Union[EnvironmentSchedule, str],
        *,
        filters: Sequence[PatchFilter],
        compliance_level: Optional[ComplianceLevel] = None,
        enable_non_security: Optional[bool] = None,
        delays: Optional[Mapping[str, int]] = None,
    ) -> "ApprovalRule":
        """The rule for one tier of a staged rollout: approve after the tier's delay in
        ``delays`` (default :data:`TIERED_APPROVAL_DAYS`: sandbox and development 0 days, test 3,
        acceptance 5, production 7). ``environment`` is an ``EnvironmentSchedule`` or its name."""
        name = environment.name if isinstance(environment, EnvironmentSchedule) else environment
        if not isinstance(name, str):
            fail("InvalidType", f"environment must be an EnvironmentSchedule or its name: got {quote(environment)}.")
        table = TIERED_APPROVAL_DAYS if delays is None else delays
        if not isinstance(table, Mapping) or not all(isinstance(k, str) for k in table):
            fail("InvalidType", f"delays must be a dict of environment name to days: got {quote(delays)}.")
        if name not in table:
            fail(
                "InvalidApprovalDelay",
                f"no approval delay for environment {quote(name)}: known are {', '.join(sorted(table))}; "
                f"pass delays={{...}} to add it.",
            )
        return ApprovalRule(filters=filters, approve_after_days=table[name], compliance_level=compliance_level,
                            enable_non_security=enable_non_security)


@dataclass(frozen=True)
class PatchSource:
    """An alternative package repository (Linux): a name, the products it applies to, and
    the yum/apt repository configuration text."""

    name: str
    products: Tuple[str, ...]
    configuration: str

    def __init__(self, name: str, products: Sequence[str], configuration: str) -> None:
        check_pattern("" if name is None else name, _SOURCE_NAME, "InvalidPatchSource",
                      f"patch source name must be 3-50 of letters, digits, '_-.': got {quote(name)}.")
        if isinstance(products, str) or not isinstance(products, Sequence) or not 1 <= len(products) <= 20:
            fail("InvalidPatchSource", f"patch source {name} products must be a list of 1-20 product names: got {quote(products)}.")
        for product in products:
            if not is_token(product) and (not isinstance(product, str) or not 1 <= len(product) <= 128):
                fail("InvalidPatchSource", f"patch source {name} products must be product names of 1-128 characters "
                                           f"such as 'AmazonLinux2023' or '*': got {quote(product)}.")
            check_no_control_characters("products", product, "InvalidPatchSource")
        check_text("configuration", configuration, 1, 1024, "InvalidPatchSource")
        if configuration is None:
            fail("InvalidPatchSource", f"patch source {name} needs its repository configuration text.")
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "products", tuple(products))
        object.__setattr__(self, "configuration", configuration)


@truthful_signature
@jsii.implements(ssm_refs.IPatchBaselineRef)
class PatchBaseline(Resource):
    """A custom patch baseline for one operating system.

    Args:
        operating_system: an :class:`OperatingSystem` (default of SSM is Windows; here required).
        approval_rules: up to 10 :class:`ApprovalRule` s.
        global_filters: up to 4 :class:`PatchFilter` s applied before the rules.
        approved_patches: up to 50 patch names/IDs; a patch also in ``rejected_patches`` is
            rejected by SSM (a warning here).
        rejected_patches: up to 50 patch names/IDs.
        approved_patches_compliance_level: the :class:`ComplianceLevel` of missing approved patches.
        approved_patches_enable_non_security: also install non-security updates from the
            approved list (Linux).
        rejected_patches_action: see :class:`RejectedPatchesAction`.
        sources: up to 20 :class:`PatchSource` s (Linux only).
        available_security_updates_compliance_status: :class:`ComplianceStatus` of nodes with
            available security patches the baseline does not approve (Windows Server only).
        patch_groups: patch groups that use this baseline (also ``add_patch_group``).
        default_for_os: make it the account's default baseline for its OS.
        baseline_name: 3-128 of ``a-zA-Z0-9_-.``; default generated.
        name: the old, deprecated keyword of ``baseline_name`` (until 1.0).
        description: 1-1024 characters.
        tags: ``{key: value}`` for the baseline resource (values 1-256 characters).

    Filter keys are checked per OS (:class:`PatchFilterKey`), and within an app a patch group
    gets one baseline per OS. Linux-only options switched on in a Windows or macOS baseline, and
    Windows-only ones in a Linux baseline, earn a warning: AWS documents them as applying to one
    family only (explicit defaults such as ``False`` or ``[]`` say nothing).

    Attributes:
        baseline_id: the baseline ID (a token). ``node.default_child`` is the L1.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        operating_system: OperatingSystem,
        approval_rules: Optional[Sequence[ApprovalRule]] = None,
        global_filters: Optional[Sequence[PatchFilter]] = None,
        approved_patches: Optional[Sequence[str]] = None,
        approved_patches_compliance_level: Optional[ComplianceLevel] = None,
        approved_patches_enable_non_security: Optional[bool] = None,
        rejected_patches: Optional[Sequence[str]] = None,
        rejected_patches_action: Optional[RejectedPatchesAction] = None,
        sources: Optional[Sequence[PatchSource]] = None,
        available_security_updates_compliance_status: Optional[ComplianceStatus] = None,
        patch_groups: Optional[Sequence[str]] = None,
        default_for_os: bool = False,
        baseline_name: Optional[str] = None,
        name: Optional[str] = None,
        description: Optional[str] = None,
        tags: Optional[Mapping[str, str]] = None,
    ) -> None:
        check_scope(scope, id, "PatchBaseline")
        name, name_keyword = renamed({"baseline_name": baseline_name, "name": name}, "baseline_name", "name")
        check_type("operating_system", operating_system, OperatingSystem, "an OperatingSystem, e.g. OperatingSystem.AMAZON_LINUX_2023")
        rules, undocumented_keys = _check_rules(operating_system, approval_rules)
        if global_filters is not None:
            undocumented_keys += _check_filters("global_filters", global_filters, operating_system)
        approved = _patch_list("approved_patches", approved_patches)
        rejected = _patch_list("rejected_patches", rejected_patches)
        if approved_patches_compliance_level is not None:
            check_type("approved_patches_compliance_level", approved_patches_compliance_level, ComplianceLevel, "a ComplianceLevel")
        if approved_patches_enable_non_security is not None:
            check_type("approved_patches_enable_non_security", approved_patches_enable_non_security, bool, "True or False")
        if rejected_patches_action is not None:
            check_type("rejected_patches_action", rejected_patches_action, RejectedPatchesAction, "a RejectedPatchesAction")
        if sources is not None:
            _check_sources(sources)
        linux_only = _linux_only_options(operating_system, rules, approved_patches_enable_non_security, sources)
        if available_security_updates_compliance_status is not None:
            check_type("available_security_updates_compliance_status", available_security_updates_compliance_status,
                       ComplianceStatus, "a ComplianceStatus, e.g. ComplianceStatus.NON_COMPLIANT")
        cfn_tags = None if tags is None else [CfnTag(key=key, value=value)
                                              for key, value in check_resource_tags("tags", tags, min_value_length=1)]
        check_type("default_for_os", default_for_os, bool, "True or False")
        check_name(name_keyword, name)
        check_text("description", description, 1, 1024, "InvalidDescription")
        groups, repeated = _patch_group_list(patch_groups)
        registry = _baseline_registry(scope)
        repeated += registry.check(operating_system, groups, default_for_os)
        reserve = reserve_in_environment(scope, "PatchBaselinesPerRegion")
        create_in(scope, id, "PatchBaseline", lambda: super(PatchBaseline, self).__init__(scope, id))
        reserve()

        self.operating_system = operating_system
        self._registry = registry
        self._patch_groups: List[str] = list(groups)
        registry.claim(operating_system, groups, f"baseline {self.node.path}", default_for_os)
        for found in repeated:
            Annotations.of(self).add_warning_v2(found.id, found.message)
        self._resource = ssm.CfnPatchBaseline(
            self,
            "Resource",
            name=name or Names.unique_resource_name(self, max_length=128, separator="-"),
            description=description,
            operating_system=operating_system.value,
            approval_rules=(None if approval_rules is None
                            else ssm.CfnPatchBaseline.RuleGroupProperty(patch_rules=[_rule(r) for r in rules])),
            global_filters=None if global_filters is None else _filter_group(global_filters),
            approved_patches=approved,
            approved_patches_compliance_level=approved_patches_compliance_level.value if approved_patches_compliance_level else None,
            approved_patches_enable_non_security=approved_patches_enable_non_security,
            rejected_patches=rejected,
            rejected_patches_action=rejected_patches_action.value if rejected_patches_action else None,
            sources=None if sources is None else [ssm.CfnPatchBaseline.PatchSourceProperty(
                name=s.name, products=list(s.products), configuration=s.configuration) for s in sources],
            available_security_updates_compliance_status=(available_security_updates_compliance_status.value
                                                          if available_security_updates_compliance_status else None),
            default_baseline=True if default_for_os else None,
            patch_groups=list(groups) or None,
            tags=cfn_tags,
        )
        self.baseline_id = self._resource.ref
        if name_keyword == "name":
            warn_renamed(self, "PatchBaseline", "name", "baseline_name")
        if undocumented_keys:
            Annotations.of(self).add_warning_v2(
                check_warning_id("mw-constructs:UndocumentedFilterKey"),
                f"{'; '.join(undocumented_keys)}: AWS does not document these filter keys for {operating_system.name} "
                f"baselines, so CreatePatchBaseline may refuse them or the filter may select nothing. Check them with "
                f"'aws ssm describe-patch-properties --operating-system {operating_system.name} --property ...'.",
            )
        if available_security_updates_compliance_status is not None and operating_system is not OperatingSystem.WINDOWS:
            Annotations.of(self).add_warning_v2(
                check_warning_id("mw-constructs:WindowsOnlyOption"),
                f"available_security_updates_compliance_status is \"supported for Windows Server managed nodes only\" "
                f"(AWS API reference), so on a {operating_system.name} baseline it does nothing. Drop it.",
            )
        if linux_only:
            Annotations.of(self).add_warning_v2(
                check_warning_id("mw-constructs:LinuxOnlyOption"),
                f"{' and '.join(linux_only)} apply to Linux nodes only (AWS: \"Applies to Linux managed nodes only\"), "
                f"so on a {operating_system.name} baseline they do nothing. Drop them, or use a Linux baseline.",
            )
        both = sorted(set(approved or ()) & set(rejected or ()))
        if both:
            Annotations.of(self).add_warning_v2(
                check_warning_id("mw-constructs:PatchApprovedAndRejected"),
                f"{', '.join(both)} is both approved and rejected: SSM rejects it. Remove it from one list.",
            )

    def add_patch_group(self, patch_group: str) -> None:
        """Use this baseline for the instances tagged ``Patch Group`` (or ``PatchGroup``) =
        ``patch_group``. A patch group can have one baseline per operating system."""
        if not _is_new_patch_group(patch_group, self._patch_groups):
            _warn_registered(self, patch_group)
            return
        self._registry.check(self.operating_system, [patch_group])
        self._registry.claim(self.operating_system, [patch_group], f"baseline {self.node.path}")
        self._patch_groups.append(patch_group)
        self._resource.patch_groups = list(self._patch_groups)  # jsii copied the list at creation

    @property
    def patch_groups(self) -> Tuple[str, ...]:
        """The patch groups registered with this baseline."""
        return tuple(self._patch_groups)

    @property
    def patch_baseline_ref(self) -> ssm_refs.PatchBaselineReference:
        """This baseline as aws-cdk-lib's ``IPatchBaselineRef`` reference."""
        return ssm_refs.PatchBaselineReference(patch_baseline_id=self.baseline_id)

    @staticmethod
    def from_baseline_id(scope: Construct, id: str, baseline_id: str) -> IPatchBaseline:
        """A patch baseline that exists already, by its ID (``pb-0123456789abcdef0``, or the ARN
        of an AWS predefined baseline), e.g. for code that takes aws-cdk-lib's ``IPatchBaselineRef``."""
        check_pattern("" if baseline_id is None else baseline_id, _BASELINE_ID, "InvalidBaselineId",
                      f"baseline_id must be a patch baseline ID such as 'pb-0123456789abcdef0' (20-128 characters "
                      f"of a-z A-Z 0-9 _ - : /): got {quote(baseline_id)}.")
        return _ImportedBaseline(scope, id, baseline_id)


@jsii.implements(ssm_refs.IPatchBaselineRef)
class _ImportedBaseline(Resource):
    """A baseline made outside this app (``PatchBaseline.from_baseline_id``)."""

    def __init__(self, scope: Construct, id: str, baseline_id: str) -> None:
        create_in(scope, id, "ImportedBaseline", lambda: super(_ImportedBaseline, self).__init__(scope, id))
        self.baseline_id = baseline_id

    @property
    def patch_baseline_ref(self) -> ssm_refs.PatchBaselineReference:
        return ssm_refs.PatchBaselineReference(patch_baseline_id=self.baseline_id)


class _BaselineRegistry:
    """Per account and Region (see ``_environment``): which baseline serves each (OS, patch
    group), and each OS's default. Constructs :meth:`check` before they create anything, then
    :meth:`claim`."""

    def __init__(self, where: str) -> None:
        self._where = where
        self._owners: Dict[Tuple[OperatingSystem, str], str] = {}
        self._defaults: Dict[OperatingSystem, str] = {}

    def check(self, operating_system: OperatingSystem, patch_groups: Sequence[str], default: bool = False) -> List[Advice]:
        for patch_group in patch_groups:
            key = (operating_system, patch_group)
            if key in self._owners and not is_token(patch_group):
                fail(
                    "PatchGroupBaselineConflict",
                    f"patch group {quote(patch_group)} already has a {operating_system.name} baseline "
                    f"({self._owners[key]}) in {self._where}: a patch group can have one baseline per operating "
                    f"system in an account and Region. Use another patch group, or one baseline.",
                )
        if default and operating_system in self._defaults:
            return [Advice("mw-constructs:DefaultBaselineConflict", (
                f"default_for_os=True is set on two {operating_system.name} baselines ({self._defaults[operating_system]} "
                f"and this one) in {self._where}: an account and Region has one default per operating system, so "
                f"whichever CloudFormation registers last wins. Make one of them the default."))]
        return []

    def claim(self, operating_system: OperatingSystem, patch_groups: Sequence[str], owner: str, default: bool = False) -> None:
        for patch_group in patch_groups:
            self._owners[(operating_system, patch_group)] = owner
        if default:
            self._defaults[operating_system] = owner


#: Per app: the baseline registry of each account and Region its stacks deploy to.
_BASELINE_REGISTRIES: PerApp[Dict[Placement, _BaselineRegistry]] = PerApp(lambda root: {})


def _baseline_registry(scope: Construct) -> _BaselineRegistry:
    """The registry of the account and Region ``scope`` is deployed to."""
    registries = _BASELINE_REGISTRIES.of(scope)
    key = construction_placement(scope)
    if key not in registries:
        registries[key] = _BaselineRegistry(key.describe())
    return registries[key]


def _patch_group_list(patch_groups: Any) -> Tuple[List[str], List[Advice]]:
    """``patch_groups`` (None or a list of names) checked: names, at most 25; a repeat is
    registered once, with a warning (``advice``)."""
    if patch_groups is None:
        return [], []
    if isinstance(patch_groups, (str, bytes, Mapping)) or not isinstance(patch_groups, Sequence):
        fail("InvalidType", f"patch_groups must be a list of patch group names: got {quote(patch_groups)}.")
    groups: List[str] = []
    for group in patch_groups:
        if _is_new_patch_group(group, groups, "patch_groups entry"):
            groups.append(group)
    return groups, duplicate_advice("patch_groups", patch_groups)


def _warn_registered(baseline: Construct, patch_group: str) -> None:
    Annotations.of(baseline).add_warning_v2(check_warning_id("mw-constructs:DuplicateValue"), (
        f"add_patch_group({quote(patch_group)}): the patch group is already registered with this baseline, and "
        f"registering it again adds nothing. Drop the second call."))


def _is_new_patch_group(patch_group: Any, registered: Sequence[str], argument: str = "patch_group") -> bool:
    """Check ``patch_group``; False when it is already registered with this baseline (a repeat
    AWS would register once: the caller warns and registers it once)."""
    check_patch_group_name(patch_group, argument)
    if patch_group in registered and not is_token(patch_group):
        return False
    if len(registered) >= MAX_PATCH_GROUPS:
        fail("TooManyPatchGroups", f"a baseline serves at most {MAX_PATCH_GROUPS} patch groups: {quote(patch_group)} is one too many.")
    return True


def _check_rules(operating_system: OperatingSystem,
                 rules: Optional[Sequence[ApprovalRule]]) -> Tuple[List[ApprovalRule], List[str]]:
    """The rules, checked for ``operating_system``, and the filter keys AWS does not document for it."""
    if rules is None:
        return [], []
    if isinstance(rules, ApprovalRule) or not isinstance(rules, Sequence):
        fail("InvalidType", f"approval_rules must be a list of ApprovalRule: got {quote(rules)}.")
    if len(rules) > MAX_RULES:
        fail("TooManyApprovalRules", f"approval_rules has {len(rules)} rules: a baseline has at most {MAX_RULES}.")
    undocumented = []
    for index, rule in enumerate(rules):
        check_type("approval_rules entry", rule, ApprovalRule, "an ApprovalRule")
        undocumented += _check_filters(f"approval_rules[{index}] filters", rule.filters, operating_system)
        delayed = rule.approve_after_days is not None or rule.approve_until_date is not None
        if operating_system in _NO_APPROVAL_DELAY and delayed:
            fail(
                "ApprovalDelayNotSupported",
                f"{operating_system.name} baselines approve patches when they are released: drop "
                f"approve_after_days / approve_until_date from the rule (AWS does not support them for Ubuntu and Debian).",
            )
        if operating_system not in _NO_APPROVAL_DELAY and not delayed:
            fail(
                "ApprovalDelayRequired",
                f"an approval rule of a {operating_system.name} baseline needs approve_after_days (0-360) or "
                f"approve_until_date, e.g. ApprovalRule(filters=[...], approve_after_days=7).",
            )
    return list(rules), undocumented


#: Keys AWS says are valid for some operating systems only (API reference, PatchFilter: "The key
#: MSRC_SEVERITY, however, is valid only for Windows operating systems, and the key SECTION is
#: valid only for Ubuntu operating systems"); the library counts Debian and Raspbian with Ubuntu.
_ONLY_FOR: Mapping[PatchFilterKey, FrozenSet[OperatingSystem]] = {
    _K.MSRC_SEVERITY: frozenset({_O.WINDOWS}),
    _K.SECTION: frozenset({_O.UBUNTU, _O.DEBIAN, _O.RASPBIAN}),
}


def _check_filters(argument: str, filters: Any, operating_system: Optional[OperatingSystem] = None) -> List[str]:
    """Check ``filters`` (for ``operating_system``, when given); return the keys AWS does not
    document for that operating system (each earns a warning once the baseline exists)."""
    if isinstance(filters, (PatchFilter, str)) or not isinstance(filters, Sequence):
        fail("InvalidPatchFilter", f"{argument} must be a list of PatchFilter: got {quote(filters)}.")
    if len(filters) > MAX_FILTERS:
        fail("InvalidPatchFilter", f"{argument} has {len(filters)} filters: at most {MAX_FILTERS} are allowed.")
    keys = []
    undocumented = []
    for patch_filter in filters:
        check_type(f"{argument} entry", patch_filter, PatchFilter, "a PatchFilter")
        keys.append(patch_filter.key)
        if operating_system is None or patch_filter.key in DOCUMENTED_FILTER_KEYS[operating_system]:
            continue
        documented = ", ".join(sorted(k.name for k in DOCUMENTED_FILTER_KEYS[operating_system]))
        only_for = _ONLY_FOR.get(patch_filter.key)
        if only_for is not None:
            fail(
                "FilterKeyNotSupported",
                f"{argument}: filter key {patch_filter.key.name} is valid only for "
                f"{' and '.join(sorted(os.name for os in only_for))} baselines (AWS API reference, PatchFilter), not "
                f"{operating_system.name}: use one of {documented}.",
            )
        undocumented.append(f"{argument} key {patch_filter.key.name} (AWS lists {documented} for "
                            f"{operating_system.name})")
    if len(set(keys)) != len(keys):
        fail("RepeatedFilterKey", f"{argument} uses a filter key twice: give each key once with all its values.")
    return undocumented


def _linux_only_options(operating_system: OperatingSystem, rules: Sequence[ApprovalRule],
                        approved_non_security: Optional[bool], sources: Optional[Sequence[PatchSource]]) -> List[str]:
    """The Linux-only options switched on for a Windows or macOS baseline (their explicit
    defaults, False and an empty list, change nothing and are not named)."""
    if operating_system not in _NOT_LINUX:
        return []
    named = [f"approval_rules[{index}].enable_non_security=True" for index, rule in enumerate(rules)
             if rule.enable_non_security]
    if approved_non_security:
        named.append("approved_patches_enable_non_security=True")
    if sources:
        named.append(f"sources ({len(sources)})")
    return named


def _check_sources(sources: Any) -> None:
    if isinstance(sources, PatchSource) or not isinstance(sources, Sequence) or len(sources) > MAX_SOURCES:
        fail("InvalidPatchSource", f"sources must be a list of at most {MAX_SOURCES} PatchSource: got {quote(sources)}.")
    for source in sources:
        check_type("sources entry", source, PatchSource, "a PatchSource")


def _patch_list(argument: str, patches: Optional[Sequence[str]]) -> Optional[List[str]]:
    if patches is None:
        return None
    if isinstance(patches, str) or not isinstance(patches, Sequence) or len(patches) > MAX_PATCHES:
        fail("InvalidPatchList", f"{argument} must be a list of at most {MAX_PATCHES} patch names or IDs: got {quote(patches)}.")
    for patch in patches:
        if not is_token(patch) and (not isinstance(patch, str) or not 1 <= len(patch) <= 100):
            fail("InvalidPatchList", f"{argument} entry {quote(patch)} must be 1-100 characters.")
        check_no_control_characters(f"{argument} entry", patch, "InvalidPatchList")
    return list(patches)


def _rule(rule: ApprovalRule) -> Any:
    return ssm.CfnPatchBaseline.RuleProperty(
        patch_filter_group=_filter_group(rule.filters),
        approve_after_days=rule.approve_after_days,
        approve_until_date=rule.approve_until_date.isoformat() if rule.approve_until_date else None,
        compliance_level=rule.compliance_level.value if rule.compliance_level else None,
        enable_non_security=rule.enable_non_security,
    )


def _filter_group(filters: Sequence[PatchFilter]) -> Any:
    return ssm.CfnPatchBaseline.PatchFilterGroupProperty(
        patch_filters=[ssm.CfnPatchBaseline.PatchFilterProperty(key=f.key.value, values=list(f.values)) for f in filters]
    )


#: AWS's predefined default baseline per operating system ([DOC] predefined and custom patch baselines).
AWS_MANAGED_BASELINES: Mapping[OperatingSystem, str] = {
    _O.AMAZON_LINUX: "AWS-AmazonLinuxDefaultPatchBaseline",
    _O.AMAZON_LINUX_2: "AWS-AmazonLinux2DefaultPatchBaseline",
    _O.AMAZON_LINUX_2022: "AWS-AmazonLinux2022DefaultPatchBaseline",
    _O.AMAZON_LINUX_2023: "AWS-AmazonLinux2023DefaultPatchBaseline",
    _O.CENTOS: "AWS-CentOSDefaultPatchBaseline",
    _O.DEBIAN: "AWS-DebianDefaultPatchBaseline",
    _O.MACOS: "AWS-MacOSDefaultPatchBaseline",
    _O.ORACLE_LINUX: "AWS-OracleLinuxDefaultPatchBaseline",
    _O.RASPBIAN: "AWS-DefaultRaspbianPatchBaseline",
    _O.REDHAT_ENTERPRISE_LINUX: "AWS-RedHatDefaultPatchBaseline",
    _O.ROCKY_LINUX: "AWS-RockyLinuxDefaultPatchBaseline",
    _O.SUSE: "AWS-SuseDefaultPatchBaseline",
    _O.UBUNTU: "AWS-UbuntuDefaultPatchBaseline",
    _O.WINDOWS: "AWS-DefaultPatchBaseline",
    _O.ALMA_LINUX: "AWS-AlmaLinuxDefaultPatchBaseline",
}
_AWS_BASELINE_NAME = re.compile(r"AWS-[a-zA-Z0-9_\-.]{1,124}")
@truthful_signature
class AwsManagedBaseline(Resource):
    """Use an AWS predefined baseline (e.g. ``AWS-AmazonLinux2023DefaultPatchBaseline``) for
    patch groups.

    CloudFormation can only list patch groups on baselines it creates, so this registers the
    AWS baseline with custom resources answered by an inline function of the stack (no file
    asset: it works in StackSet templates too): one per stack and baseline name looks the
    baseline's ARN up by its exact name (``ssm:DescribePatchBaselines``, which takes no
    resource-level permission), one per patch group calls ``RegisterPatchBaselineForPatchGroup``
    on create and ``DeregisterPatchBaselineForPatchGroup`` on delete (a registration already
    removed by hand counts as done), allowed on that baseline's ARN only.

    ``baseline_name`` (old keyword ``name``, deprecated until 1.0) defaults to the OS's AWS default baseline (``AWS_MANAGED_BASELINES``); give
    another ``AWS-...`` name for e.g. ``AWS-WindowsPredefinedPatchBaseline-OS-Applications``.

    Attributes:
        baseline_arn: the baseline's ARN (a token, known at deploy time).
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        operating_system: OperatingSystem,
        patch_groups: Optional[Sequence[str]] = None,
        baseline_name: Optional[str] = None,
        name: Optional[str] = None,
    ) -> None:
        check_scope(scope, id, "AwsManagedBaseline")
        check_type("operating_system", operating_system, OperatingSystem, "an OperatingSystem, e.g. OperatingSystem.AMAZON_LINUX_2023")
        given, name_keyword = renamed({"baseline_name": baseline_name, "name": name}, "baseline_name", "name")
        chosen: str = given if given is not None else AWS_MANAGED_BASELINES[operating_system]
        check_pattern(chosen, _AWS_BASELINE_NAME, "InvalidName",
                      f"{name_keyword} must be the name of an AWS predefined baseline, starting with 'AWS-': got {quote(chosen)}.")
        groups, repeated = _patch_group_list(patch_groups)
        registry = _baseline_registry(scope)
        registry.check(operating_system, groups)
        create_in(scope, id, "AwsManagedBaseline", lambda: super(AwsManagedBaseline, self).__init__(scope, id))
        self.operating_system = operating_system
        self.baseline_name: str = chosen
        self.name = chosen  #: deprecated (until 1.0): ``baseline_name``
        self._registry = registry
        self._patch_groups: List[str] = []
        self.baseline_arn = baseline_lookup(self, chosen)
        if name_keyword == "name":
            warn_renamed(self, "AwsManagedBaseline", "name", "baseline_name")
        for group in groups:
            self._register(group)
        for found in repeated:
            Annotations.of(self).add_warning_v2(found.id, found.message)

    def add_patch_group(self, patch_group: str) -> None:
        """Register the AWS baseline for ``patch_group`` (one baseline per OS per patch group)."""
        if not _is_new_patch_group(patch_group, self._patch_groups):
            _warn_registered(self, patch_group)
            return
        self._registry.check(self.operating_system, [patch_group])
        self._register(patch_group)

    def _register(self, patch_group: str) -> None:
        self._registry.claim(self.operating_system, [patch_group], f"AWS baseline {self.name}")
        self._patch_groups.append(patch_group)
        register_patch_group(self, f"PatchGroup{len(self._patch_groups)}", self.baseline_name, patch_group)

    @property
    def patch_groups(self) -> Tuple[str, ...]:
        """The patch groups this AWS baseline is registered for."""
        return tuple(self._patch_groups)
