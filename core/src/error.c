/* error.c - messages and stable names for the codes of caps/error.h.
 *
 * One table, indexed by -code, so a new code cannot get a message without
 * also getting a name (the static assertion below checks the table size).
 */
#include "caps/error.h"

struct err_text {
    const char *name;
    const char *message;
};

static const struct err_text err_table[CAPS_ERR_COUNT] = {
    {"ok", "success"},
    {"truncated", "header or field runs past the captured bytes"},
    {"bad_length", "length field contradicts the packet"},
    {"bad_version", "unknown version, hardware or address type"},
    {"bad_field", "field value outside its legal range"},
    {"bad_name", "name badly encoded"},
    {"name_loop", "name compression loops or nests too deep"},
    {"limit", "more items than the decoder's maximum"},
    {"bad_magic", "required magic value missing"},
    {"bad_syntax", "text line does not parse"},
    {"bad_checksum", "header checksum mismatch"},
    {"no_memory", "table or arena too small"},
    {"bad_argument", "invalid argument"},
    {"bad_config", "invalid configuration value"},
    {"io", "host input/output failed"},
};

_Static_assert(sizeof err_table / sizeof err_table[0] == CAPS_ERR_COUNT,
               "every error code needs a name and a message");

const char *caps_strerror(int err)
{
    if (err > 0 || err <= -CAPS_ERR_COUNT)
        return "unknown error";
    return err_table[-err].message;
}

const char *caps_err_name(int err)
{
    if (err > 0 || err <= -CAPS_ERR_COUNT)
        return "unknown";
    return err_table[-err].name;
}
