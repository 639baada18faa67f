/* inventory_priv.h - the asset and summary objects of the inventory document,
 * shared by the inventory (inventory.c) and the upload payload (upload.c) so
 * both write exactly the same objects. Private to the codec. */
#ifndef CODEC_INVENTORY_PRIV_H
#define CODEC_INVENTORY_PRIV_H

#include <cjson/cJSON.h>

#include "caps/sensor.h"
#include "caps/upload.h"

/* Appends to the array assets the object of every asset of s, sorted by MAC,
 * that u selects (caps_upload_includes; u NULL: every asset), leaving out the
 * excluded ones; and creates in *summary the traffic summary, whose asset
 * counts always cover the whole inventory. Returns 0, or -1 when memory runs
 * out (*summary is then NULL and assets may hold a part). */
int codec_inventory_fill(const struct caps_sensor *s, const struct caps_upload *u,
                         cJSON *assets, cJSON **summary);

#endif
