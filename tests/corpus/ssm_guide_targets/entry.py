"""The SSM User Guide's target examples: instance IDs, a tag, tag keys, a resource group, and a
resource group narrowed to resource types."""

from mw_constructs import PatchingWindow, WindowTarget

SOURCE = ("commands.txt", "cli")
PLACEHOLDERS = {"mw-0c50858d01EXAMPLE": "mw-0c50858d01e0a0b0c", "i-02573cafcfEXAMPLE": "i-02573cafcfe0a0b0c",
                "i-0471e04240EXAMPLE": "i-0471e04240e0a0b0c", "i-07782c72faEXAMPLE": "i-07782c72fae0a0b0c"}


def build(stack):
    window = PatchingWindow.from_window_id(stack, "Window", "mw-0c50858d01e0a0b0c")
    return {
        "cli1": WindowTarget(stack, "Instances", window=window,
                             instance_ids=["i-02573cafcfe0a0b0c", "i-0471e04240e0a0b0c", "i-07782c72fae0a0b0c"]),
        "cli2": WindowTarget(stack, "East", window=window, tags={"Region": "East"}),
        "cli3": WindowTarget(stack, "TagKeys", window=window, tag_keys=["Name", "Instance-Type", "CostCenter"]),
        "cli4": WindowTarget(stack, "Group", window=window, resource_group="MyResourceGroup"),
        "cli5": WindowTarget(stack, "GroupTypes", window=window, resource_group="MyResourceGroup",
                             resource_type_filters=["AWS::EC2::Instance", "AWS::ECS::Cluster"]),
    }
