/* upload.c - which assets an upload carries (caps/upload.h).
 *
 * An upload names a generation window (since_gen, gen]: an asset belongs to
 * it when its last change falls inside, or always for a full snapshot. The
 * window is all the state an upload needs, so nothing grows with an outage.
 */
#include "caps/inventory.h"
#include "caps/upload.h"

int caps_upload_includes(const struct caps_upload *u, const struct caps_asset *a)
{
    if (u->full)
        return 1;
    return a->changed_gen > u->since_gen && a->changed_gen <= u->gen;
}
