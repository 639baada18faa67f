/* text.h - copying untrusted bytes into the core's fixed-size text fields.
 *
 * Names on the wire (DHCP hostnames, NetBIOS names, SSDP headers) may hold
 * NULs, control bytes or be longer than our fields. The core stores them as
 * NUL-terminated strings of bounded size with control bytes replaced, so later
 * stages (logs, JSON) never see a control byte. Invalid UTF-8 is left for the
 * JSON writer to replace: the core keeps the bytes the device sent.
 */
#ifndef CAPS_TEXT_H
#define CAPS_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* Copies src[0..len) into dst (capacity dst_cap >= 1, always NUL-terminated),
 * dropping trailing NUL bytes, replacing bytes < 0x20 and 0x7f with '?', and
 * truncating to dst_cap - 1 bytes. Returns the number of bytes written. */
size_t caps_text_copy(char *dst, size_t dst_cap, const uint8_t *src, size_t len);

/* ASCII case-insensitive comparison of a[0..alen) with NUL-terminated b. */
int caps_text_ieq(const uint8_t *a, size_t alen, const char *b);

#endif
