/* netbios_name.h - first-level NetBIOS name decoding (RFC 1001 14.1) shared
 * by nbns.c and nbds.c: a 32-character label 'A'..'P' (16 bytes decoded),
 * then scope labels and a zero byte (RFC 1002 4.1). NBNS may use compression
 * pointers; each must land strictly before the segment holding it, so
 * decoding always ends.
 */
#ifndef CAPS_NETBIOS_NAME_H
#define CAPS_NETBIOS_NAME_H

#include <stddef.h>
#include <stdint.h>

#include "caps/nbns.h"
#include "cursor.h"

/* Decodes the name at c->pos into out. msg is the start of the message
 * (pointer offsets count from it; msg <= c->pos <= c->end) and c->end bounds
 * every read. allow_ptr: 1 for NBNS (label 0xC0), 0 for NBDS (a pointer is
 * CAPS_E_NAME there). On success c advances past the name as it sits at c
 * (a pointer counts its 2 bytes). Returns 0, CAPS_E_TRUNCATED, CAPS_E_NAME
 * or CAPS_E_NAME_LOOP. */
int caps_nb_name_read(struct cur *c, const uint8_t *msg, int allow_ptr,
                      struct caps_nb_name *out);

/* Writes the text form of a 15-byte NetBIOS name (trailing spaces and NULs
 * trimmed, control bytes as '?') into dst[CAPS_NB_NAME_TEXT_MAX]. */
void caps_nb_name_text(char *dst, const uint8_t *raw15);

#endif
