"""AWS CLI examples of register-target-with-maintenance-window: instance IDs, tags, tag keys and a
resource group, registered with windows imported by ID."""

from mw_constructs import PatchingWindow, WindowTarget
from tests.corpus.support import Refusal

SOURCE = ("register-target-with-maintenance-window.rst", "cli")
PLACEHOLDERS = {"mw-0c50858d01EXAMPLE": "mw-0c50858d01e0a0b0c", "mw-ab12cd34ef56gh78": "mw-ab12cd34ef56a0b78"}
ESCAPES = {
    "cli3.Targets[1]": "Key=Role is no target key SSM documents (InstanceIds, tag:<key>, tag-key, resource-groups:*); "
                       "WindowTarget has no argument for it, so the rebuild adds it through the L1 escape hatch "
                       "(add_property_override). The example most likely means Key=tag:Role.",
}
REFUSED = [
    Refusal("window ID mw-ab12cd34ef56gh78", lambda stack: PatchingWindow.from_window_id(stack, "W", "mw-ab12cd34ef56gh78"),
            "InvalidWindowId", request=("RegisterTargetWithMaintenanceWindow", {
                "WindowId": "mw-ab12cd34ef56gh78", "ResourceType": "INSTANCE",
                "Targets": [{"Key": "InstanceIds", "Values": ["i-0000293ffd8c57862"]}]})),
]


def build(stack):
    first = PatchingWindow.from_window_id(stack, "First", "mw-ab12cd34ef56a0b78")
    tagged = PatchingWindow.from_window_id(stack, "Tagged", "mw-06cf17cbefcb4bf4f")
    tutorial = PatchingWindow.from_window_id(stack, "Tutorial", "mw-0c50858d01e0a0b0c")
    prod_web = WindowTarget(stack, "ProdWeb", window=tagged, tags={"Environment": "Prod"},
                            owner_information="Production Web Servers")
    prod_web.node.default_child.add_property_override("Targets.1", {"Key": "Role", "Values": ["Web"]})
    return {
        "cli1": WindowTarget(stack, "Single", window=first, instance_ids=["i-0000293ffd8c57862"],
                             owner_information="Single instance"),
        "cli2": WindowTarget(stack, "Two", window=first, instance_ids=["i-0000293ffd8c57862", "i-0cb2b964d3e14fd9f"],
                             owner_information="Two instances in a list"),
        "cli3": prod_web,
        "cli4": WindowTarget(stack, "TagKeys", window=tutorial, tag_keys=["Name", "Instance-Type", "CostCenter"]),
        "cli5": WindowTarget(stack, "Group", window=tutorial, resource_group="MyResourceGroup"),
    }
