/* caps/error.h - the one table of error codes of the caps core.
 *
 * Every core function that can fail returns 0 or one of these negative codes.
 * Decoders return the code that names why a packet is malformed; the sensor
 * counts malformed packets per protocol and per code, so each code doubles as
 * a "reason" index: reason = -code, 1 .. CAPS_ERR_COUNT-1.
 */
#ifndef CAPS_ERROR_H
#define CAPS_ERROR_H

enum caps_err {
    CAPS_OK = 0,
    CAPS_E_TRUNCATED = -1,   /* a header or field runs past the captured bytes */
    CAPS_E_LENGTH = -2,      /* a length field contradicts the packet */
    CAPS_E_VERSION = -3,     /* unknown version, hardware or address type */
    CAPS_E_FIELD = -4,       /* a field value outside its legal range */
    CAPS_E_NAME = -5,        /* a DNS or NetBIOS name badly encoded */
    CAPS_E_NAME_LOOP = -6,   /* name compression loops or nests too deep */
    CAPS_E_LIMIT = -7,       /* more items than the decoder's named maximum */
    CAPS_E_MAGIC = -8,       /* a required magic value is missing */
    CAPS_E_SYNTAX = -9,      /* a text protocol line does not parse */
    CAPS_E_CHECKSUM = -10,   /* a header checksum does not match */
    CAPS_E_NOMEM = -11,      /* a caller-sized table or arena is too small */
    CAPS_E_ARG = -12,        /* a caller passed an invalid argument */
    CAPS_E_CONFIG = -13,     /* a configuration value is invalid */
    CAPS_E_IO = -14          /* a host I/O operation failed (hosts only) */
};

#define CAPS_ERR_COUNT 15    /* codes 0 .. -14; reason index = -code */

/* Human-readable message for a code, e.g. "field runs past captured bytes".
 * Never NULL; unknown codes give "unknown error". */
const char *caps_strerror(int err);

/* Short stable identifier used as a JSON key, e.g. "truncated".
 * Never NULL; unknown codes give "unknown". */
const char *caps_err_name(int err);

#endif
