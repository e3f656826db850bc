package org.civicgrid.referencedata;

/** A problem category with the special action it belongs to and its time limit (working hours). */
record CategoryView(String code, String nameZh, String nameEn, String actionCode, String actionNameZh, String actionNameEn,
                    double timeLimitHours, String defaultDepartmentCode) {
}
