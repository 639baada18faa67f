/* fuzz_payload.c - the upload payload reader and merge (codec/upload.h) on
 * arbitrary bytes: parse as JSON, check the header (0, or -1 with a message),
 * merge the document with itself and its first asset with itself. Nothing
 * may crash or leak; a merge of a valid payload is again valid. */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codec/upload.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct codec_upload_head head;
    char err[256];

    cJSON *doc = cJSON_ParseWithLength((const char *)data, size);
    if (doc == NULL)
        return 0;
    int rc = codec_upload_parse_head(doc, &head, err, sizeof err);
    assert(rc == 0 || rc == -1);
    if (rc != 0)
        assert(memchr(err, '\0', sizeof err) != NULL && strncmp(err, "payload: ", 9) == 0);
    cJSON *merged = codec_upload_merge(doc, doc);
    assert(merged != NULL);
    if (rc == 0) {
        struct codec_upload_head again;
        assert(codec_upload_parse_head(merged, &again, err, sizeof err) == 0);
        assert(again.seq == head.seq && again.epoch == head.epoch && again.full == head.full);
    }
    cJSON *assets = cJSON_GetObjectItemCaseSensitive(doc, "assets");
    cJSON *first = cJSON_IsArray(assets) ? assets->child : NULL;
    if (first != NULL) {
        cJSON *copy = cJSON_Duplicate(first, 1);
        assert(copy != NULL);
        assert(codec_asset_merge(copy, first) == 0);
        cJSON_Delete(copy);
    }
    cJSON_Delete(merged);
    cJSON_Delete(doc);
    return 0;
}
