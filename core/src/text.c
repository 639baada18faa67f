/* text.c - bounded copies of untrusted text into fixed fields (see text.h). */
#include "text.h"

size_t caps_text_copy(char *dst, size_t dst_cap, const uint8_t *src, size_t len)
{
    size_t n = 0;

    if (dst_cap == 0)
        return 0;
    while (len > 0 && src[len - 1] == 0)
        len--;
    while (n < len && n + 1 < dst_cap) {
        uint8_t b = src[n];
        dst[n] = (b < 0x20 || b == 0x7f) ? '?' : (char)b;
        n++;
    }
    dst[n] = '\0';
    return n;
}

int caps_text_ieq(const uint8_t *a, size_t alen, const char *b)
{
    size_t i;

    for (i = 0; i < alen; i++) {
        unsigned char x = a[i], y = (unsigned char)b[i];
        if (y == '\0')
            return 0;
        if (x >= 'A' && x <= 'Z')
            x = (unsigned char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (unsigned char)(y - 'A' + 'a');
        if (x != y)
            return 0;
    }
    return b[alen] == '\0';
}
