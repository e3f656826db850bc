package org.civicgrid.referencedata;

/** A handler department (责任部门). */
record DepartmentView(String code, String nameZh, String nameEn, String kind) {
}
