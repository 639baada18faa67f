/* body.c - reading request bodies and quoting values for messages.
 *
 * gzip bodies are inflated with zlib into a buffer that grows by doubling up
 * to a hard limit (decompression bombs stop at the limit, never at memory);
 * JSON syntax errors are placed by line and column of the byte where cJSON
 * stopped. Quoted values are cut so a message always fits CLOUD_ERRMSG_MAX.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "cloud_int.h"
#include "codec/inventory.h"   /* codec_utf8_clean */
#include "codec/jsonpos.h"

/* Text shown at a JSON syntax error. */
/* First output buffer of an inflate; it doubles from there. */
#define INFLATE_START_BYTES (64u << 10)

const char *cloud_show(const cJSON *item, char *out, size_t cap)
{
    char *text = item != NULL ? cJSON_PrintUnformatted(item) : NULL;
    const char *src = item == NULL ? "nothing" : text != NULL ? text : "?";
    size_t n = strlen(src);

    if (cap < 8) {
        out[0] = '\0';
        return out;
    }
    if (n < cap) {
        codec_utf8_clean(src, out, cap);
    } else {
        codec_utf8_clean(src, out, cap - 3);
        memcpy(out + strlen(out), "...", 4);
    }
    free(text);
    return out;
}

const char *cloud_place(const uint8_t *text, size_t len, const char *name, const char *path,
                        char *out, size_t cap)
{
    int line, col;

    if (codec_json_locate((const char *)text, len, path, &line, &col) == 0)
        snprintf(out, cap, "%s:%d:%d", name, line, col);
    else
        snprintf(out, cap, "%s", name);
    return out;
}

const char *cloud_quote(const char *text, char *out, size_t cap)
{
    cJSON *s = cJSON_CreateString(text);
    cloud_show(s, out, cap);
    cJSON_Delete(s);
    return out;
}

void cloud_lower_copy(const char *in, char *out, size_t cap)
{
    size_t i = 0;

    for (; in[i] != '\0' && i + 1 < cap; i++) {
        char ch = in[i];
        out[i] = ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
    }
    out[i] = '\0';
}

static int hex_digit(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

int cloud_mac_normalize(const char *in, char out[18])
{
    static const char hex[] = "0123456789abcdef";

    if (strlen(in) != 17)
        return -1;
    char sep = in[2];
    if (sep != ':' && sep != '-')
        return -1;
    for (size_t i = 0; i < 6; i++) {
        int hi = hex_digit(in[3 * i]), lo = hex_digit(in[3 * i + 1]);
        if (hi < 0 || lo < 0 || (i < 5 && in[3 * i + 2] != sep))
            return -1;
        out[3 * i] = hex[hi];
        out[3 * i + 1] = hex[lo];
        out[3 * i + 2] = i < 5 ? ':' : '\0';
    }
    return 0;
}

cJSON *cloud_json_parse(const uint8_t *body, size_t len, const char *name,
                        char err[CLOUD_ERRMSG_MAX])
{
    return codec_json_parse_text((const char *)body, len, name, "body", err, CLOUD_ERRMSG_MAX);
}

enum cloud_inflate_rc cloud_gzip_inflate(const uint8_t *in, size_t in_len, size_t out_max,
                                         uint8_t **out, size_t *out_len,
                                         char err[CLOUD_ERRMSG_MAX])
{
    z_stream zs;
    size_t cap = INFLATE_START_BYTES < out_max ? INFLATE_START_BYTES : out_max;
    uint8_t *buf = malloc(cap + 1);
    enum cloud_inflate_rc result = CLOUD_INFLATE_OK;

    *out = NULL;
    *out_len = 0;
    if (buf == NULL)
        return CLOUD_INFLATE_NOMEM;
    memset(&zs, 0, sizeof zs);
    /* 16 + MAX_WBITS: gzip wrapper only (RFC 1952), zlib or raw deflate is
     * corrupt here. */
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {
        free(buf);
        return CLOUD_INFLATE_NOMEM;
    }
    zs.next_in = (Bytef *)(uintptr_t)in;
    size_t in_left = in_len, used = 0;
    int rc = Z_OK;
    /* Each round either consumes input, produces output or ends: bounded by
     * in_len + out_max rounds; zlib takes uInt-sized slices. */
    for (;;) {
        if (zs.avail_in == 0 && in_left > 0) {
            uInt slice = in_left > 0x40000000u ? 0x40000000u : (uInt)in_left;
            zs.avail_in = slice;
            in_left -= slice;
        }
        if (used == cap) {
            if (cap >= out_max) {
                result = CLOUD_INFLATE_TOO_LARGE;
                break;
            }
            size_t ncap = cap * 2 < out_max ? cap * 2 : out_max;
            uint8_t *nbuf = realloc(buf, ncap + 1);
            if (nbuf == NULL) {
                result = CLOUD_INFLATE_NOMEM;
                break;
            }
            buf = nbuf;
            cap = ncap;
        }
        size_t room = cap - used;
        zs.next_out = buf + used;
        zs.avail_out = room > 0x40000000u ? 0x40000000u : (uInt)room;
        uInt before_out = zs.avail_out, before_in = zs.avail_in;
        rc = inflate(&zs, Z_NO_FLUSH);
        used += before_out - zs.avail_out;
        if (rc == Z_STREAM_END) {
            if (zs.avail_in == 0 && in_left == 0)
                break;
            /* Another gzip member follows (RFC 1952 2.2): go on with it. */
            if (inflateReset(&zs) != Z_OK) {
                result = CLOUD_INFLATE_CORRUPT;
                snprintf(err, CLOUD_ERRMSG_MAX, "gzip body: cannot restart after a member");
                break;
            }
            continue;
        }
        if (rc == Z_BUF_ERROR && zs.avail_in == 0 && in_left == 0) {
            result = CLOUD_INFLATE_CORRUPT;
            snprintf(err, CLOUD_ERRMSG_MAX,
                     "gzip body: stream cut short (%zu bytes read, %zu inflated)", in_len, used);
            break;
        }
        if (rc == Z_MEM_ERROR) {
            result = CLOUD_INFLATE_NOMEM;
            break;
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR) {
            result = CLOUD_INFLATE_CORRUPT;
            snprintf(err, CLOUD_ERRMSG_MAX, "gzip body: corrupt stream at byte %zu: %s",
                     in_len - in_left - zs.avail_in, zs.msg != NULL ? zs.msg : "zlib error");
            break;
        }
        if (zs.avail_out == before_out && zs.avail_in == before_in && used < cap) {
            result = CLOUD_INFLATE_CORRUPT;   /* no progress with room and input: stuck */
            snprintf(err, CLOUD_ERRMSG_MAX, "gzip body: stream cut short after %zu bytes",
                     in_len);
            break;
        }
    }
    inflateEnd(&zs);
    if (result != CLOUD_INFLATE_OK) {
        free(buf);
        return result;
    }
    buf[used] = '\0';
    *out = buf;
    *out_len = used;
    return CLOUD_INFLATE_OK;
}
