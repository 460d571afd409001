// libxml2's streaming writer, for the JUnit drift report (DriftReports/JUnitReport.swift).
//
// libxml2 is built with ICU, and its encoding.h then includes the system's <unicode/ucnv.h>, whose enums clash
// with the ICU copy Foundation bundles (_FoundationICU) in the same Swift module graph. The writer needs none of
// it: hide ICU from these headers. (Only `xmlCharEncodingHandler`'s trailing ICU members disappear from the
// declaration; adoperm never allocates or reads that struct.)
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/xmlwriter.h>
