# vendor.cmake - generates the MAC vendor tables of core/src/vendor.c at build
# time from Debian's ieee-data registries (no network at run time). Included
# from core/CMakeLists.txt after caps_core is defined.
set(CAPS_IEEE_DATA_DIR /usr/share/ieee-data CACHE PATH
    "Directory of the IEEE registry CSVs (Debian package ieee-data)")
set(CAPS_VENDOR_INPUTS
    ${CAPS_IEEE_DATA_DIR}/oui.csv      # MA-L, 24-bit
    ${CAPS_IEEE_DATA_DIR}/mam.csv      # MA-M, 28-bit
    ${CAPS_IEEE_DATA_DIR}/oui36.csv    # MA-S, 36-bit
    ${CAPS_IEEE_DATA_DIR}/iab.csv)     # IAB, 36-bit
foreach(input ${CAPS_VENDOR_INPUTS})
    if(NOT EXISTS ${input})
        message(FATAL_ERROR "${input} not found: the MAC vendor table is built from "
            "the IEEE registries of the Debian package ieee-data "
            "(apt-get install ieee-data, or scripts/deps.sh), "
            "or set CAPS_IEEE_DATA_DIR to a directory holding oui.csv, mam.csv, oui36.csv, iab.csv")
    endif()
endforeach()
find_program(CAPS_AWK NAMES awk mawk gawk REQUIRED)

set(CAPS_VENDOR_GEN ${CMAKE_CURRENT_LIST_DIR}/vendor_gen.awk)
set(CAPS_VENDOR_DIR ${CMAKE_CURRENT_BINARY_DIR}/vendor)
set(CAPS_VENDOR_TABLE ${CAPS_VENDOR_DIR}/vendor_table.inc)
# Written to a temporary name and renamed, so a failed run leaves no output
# that a later build would take as up to date.
add_custom_command(
    OUTPUT ${CAPS_VENDOR_TABLE}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CAPS_VENDOR_DIR}
    COMMAND ${CAPS_AWK} -v OUT=${CAPS_VENDOR_TABLE}.tmp -f ${CAPS_VENDOR_GEN} ${CAPS_VENDOR_INPUTS}
    COMMAND ${CMAKE_COMMAND} -E rename ${CAPS_VENDOR_TABLE}.tmp ${CAPS_VENDOR_TABLE}
    DEPENDS ${CAPS_VENDOR_GEN} ${CAPS_VENDOR_INPUTS}
    COMMENT "Generating MAC vendor table from ${CAPS_IEEE_DATA_DIR}"
    VERBATIM)
# vendor.c #includes the table (all static const, one translation unit), so
# the .inc is a header-only source of caps_core and an object dependency.
target_sources(caps_core PRIVATE ${CAPS_VENDOR_TABLE})
set_source_files_properties(${CAPS_VENDOR_TABLE} PROPERTIES HEADER_FILE_ONLY ON)
set_source_files_properties(${CMAKE_CURRENT_LIST_DIR}/src/vendor.c PROPERTIES
    OBJECT_DEPENDS ${CAPS_VENDOR_TABLE})
target_include_directories(caps_core PRIVATE ${CAPS_VENDOR_DIR})
