/* cursor.h - a bounded read cursor over untrusted packet bytes.
 *
 * Every parser in core reads through a struct cur {pos, end}. The helpers
 * either consume exactly what they promise or fail with CAPS_E_TRUNCATED and
 * leave the cursor where it was; none ever reads at or past end. Lengths are
 * compared as need <= (size_t)(end - pos), never by forming pos + need, so a
 * huge length field cannot overflow a pointer. Multi-byte fields are read by
 * shifts, never by casts, so alignment and host byte order do not matter.
 */
#ifndef CAPS_CURSOR_H
#define CAPS_CURSOR_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "caps/error.h"

struct cur {
    const uint8_t *pos;
    const uint8_t *end;
};

static inline struct cur cur_make(const uint8_t *buf, size_t len)
{
    struct cur c = {buf, buf + len};
    return c;
}

static inline size_t cur_left(const struct cur *c)
{
    return (size_t)(c->end - c->pos);
}

static inline int cur_has(const struct cur *c, size_t need)
{
    return need <= (size_t)(c->end - c->pos);
}

static inline int cur_u8(struct cur *c, uint8_t *out)
{
    if (!cur_has(c, 1))
        return CAPS_E_TRUNCATED;
    *out = c->pos[0];
    c->pos += 1;
    return CAPS_OK;
}

static inline int cur_be16(struct cur *c, uint16_t *out)
{
    if (!cur_has(c, 2))
        return CAPS_E_TRUNCATED;
    *out = (uint16_t)((unsigned)c->pos[0] << 8 | (unsigned)c->pos[1]);
    c->pos += 2;
    return CAPS_OK;
}

static inline int cur_le16(struct cur *c, uint16_t *out)
{
    if (!cur_has(c, 2))
        return CAPS_E_TRUNCATED;
    *out = (uint16_t)((unsigned)c->pos[1] << 8 | (unsigned)c->pos[0]);
    c->pos += 2;
    return CAPS_OK;
}

static inline int cur_be32(struct cur *c, uint32_t *out)
{
    if (!cur_has(c, 4))
        return CAPS_E_TRUNCATED;
    *out = (uint32_t)c->pos[0] << 24 | (uint32_t)c->pos[1] << 16 |
           (uint32_t)c->pos[2] << 8 | (uint32_t)c->pos[3];
    c->pos += 4;
    return CAPS_OK;
}

static inline int cur_le32(struct cur *c, uint32_t *out)
{
    if (!cur_has(c, 4))
        return CAPS_E_TRUNCATED;
    *out = (uint32_t)c->pos[3] << 24 | (uint32_t)c->pos[2] << 16 |
           (uint32_t)c->pos[1] << 8 | (uint32_t)c->pos[0];
    c->pos += 4;
    return CAPS_OK;
}

static inline int cur_skip(struct cur *c, size_t n)
{
    if (!cur_has(c, n))
        return CAPS_E_TRUNCATED;
    c->pos += n;
    return CAPS_OK;
}

static inline int cur_bytes(struct cur *c, void *out, size_t n)
{
    if (!cur_has(c, n))
        return CAPS_E_TRUNCATED;
    if (n > 0)
        memcpy(out, c->pos, n);
    c->pos += n;
    return CAPS_OK;
}

/* Split off the next n bytes as a sub-cursor (a view, nothing copied). */
static inline int cur_sub(struct cur *c, size_t n, struct cur *sub)
{
    if (!cur_has(c, n))
        return CAPS_E_TRUNCATED;
    sub->pos = c->pos;
    sub->end = c->pos + n;
    c->pos += n;
    return CAPS_OK;
}

/* Big-endian reads at a fixed offset of a buffer already checked long enough. */
static inline uint16_t rd_be16(const uint8_t *p)
{
    return (uint16_t)((unsigned)p[0] << 8 | (unsigned)p[1]);
}

static inline uint32_t rd_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           (uint32_t)p[3];
}

#endif
