/* show.c - quoting values and placing JSON syntax errors (show.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/inventory.h"   /* codec_utf8_clean */
#include "codec/jsonpos.h"
#include "show.h"

static void shown_cut(const char *text, char out[CODEC_SHOWN_BUF_BYTES])
{
    char clean[4 * CODEC_SHOWN_BUF_BYTES];

    codec_utf8_clean(text, clean, sizeof clean);
    size_t clen = strlen(clean);
    if (clen <= CODEC_SHOWN_BYTES_MAX && strlen(text) < sizeof clean - 4) {
        memcpy(out, clean, clen + 1);
        return;
    }
    codec_utf8_clean(clean, out, CODEC_SHOWN_BYTES_MAX - 3 + 1);
    memcpy(out + strlen(out), "...", 4);
}

const char *codec_show(const cJSON *item, char out[CODEC_SHOWN_BUF_BYTES])
{
    if (item == NULL) {
        memcpy(out, "nothing", sizeof "nothing");
        return out;
    }
    char *text = cJSON_PrintUnformatted(item);
    if (text == NULL) {
        memcpy(out, "?", sizeof "?");       /* out of memory: the message still goes */
        return out;
    }
    shown_cut(text, out);
    free(text);
    return out;
}

const char *codec_show_str(const char *s, char out[CODEC_SHOWN_BUF_BYTES])
{
    cJSON *item = cJSON_CreateString(s);
    if (item == NULL) {
        memcpy(out, "?", sizeof "?");
        return out;
    }
    codec_show(item, out);
    cJSON_Delete(item);
    return out;
}

int codec_key_index(const char *key, const char *const *keys, int n)
{
    for (int i = 0; i < n; i++)
        if (strcmp(key, keys[i]) == 0)
            return i;
    return -1;
}

cJSON *codec_json_parse_text(const char *text, size_t len, const char *name, const char *noun,
                             char *err, size_t err_bytes)
{
    char bit[CODEC_SYNTAX_SHOWN_BYTES + 1];
    char shown[CODEC_SHOWN_BUF_BYTES];
    const char *end = NULL;
    int line, col;
    size_t off = 0;

    while (off < len && (unsigned char)text[off] <= 0x20)
        off++;
    if (off == len) {
        snprintf(err, err_bytes, "%s:1:1: invalid JSON, got an empty %s", name, noun);
        return NULL;
    }
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    const char *what = "invalid JSON";
    off = end != NULL ? (size_t)(end - text) : 0;
    if (root != NULL) {
        while (off < len && (unsigned char)text[off] <= 0x20)
            off++;
        if (off == len)
            return root;
        cJSON_Delete(root);
        what = "invalid JSON after the document";
    }
    if (off > len)
        off = len;
    size_t n = len - off;
    if (n > CODEC_SYNTAX_SHOWN_BYTES)
        n = CODEC_SYNTAX_SHOWN_BYTES;
    memcpy(bit, text + off, n);
    bit[n] = '\0';
    codec_json_line_col(text, off, &line, &col);
    if (n == 0)
        snprintf(err, err_bytes, "%s:%d:%d: %s, got the end of the %s", name, line, col,
                 what, noun);
    else
        snprintf(err, err_bytes, "%s:%d:%d: %s, got %s%s", name, line, col, what,
                 codec_show_str(bit, shown), n < len - off ? "..." : "");
    return NULL;
}

cJSON *codec_json_parse_doc(const char *text, size_t len, const char *name,
                            char err[CODEC_ERRMSG_MAX])
{
    return codec_json_parse_text(text, len, name, "text", err, CODEC_ERRMSG_MAX);
}
