package org.civicgrid.data;

import java.util.List;

/** A special action (专项行动) from {@code vocab/special-actions.csv}. */
public record SpecialAction(String code, String nameZh, String nameEn, String leadLeader,
        List<String> departmentCodes, int sortOrder) {

    public SpecialAction {
        departmentCodes = List.copyOf(departmentCodes);
    }
}
