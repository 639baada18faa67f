# vendor_gen.awk - turns the IEEE registry CSVs of Debian's ieee-data package
# (oui.csv MA-L, mam.csv MA-M, oui36.csv MA-S, iab.csv IAB) into
# vendor_table.inc, the const tables that core/src/vendor.c includes.
#
#   awk -v OUT=vendor_table.inc -f vendor_gen.awk oui.csv mam.csv oui36.csv iab.csv
#
# (OUT defaults to standard output.)
#
# POSIX awk only (Debian's default is mawk): no gawk extensions. Rows are
# "Registry,Assignment,Organization Name,Organization Address" with RFC 4180
# quoting; quoted addresses may span lines, and lines end in CRLF. Names are
# kept as IEEE writes them, trimmed, with runs of whitespace collapsed to one
# space. An assignment listed twice with different names (IEEE has a few
# from the 1980s) keeps the byte-wise smallest name, so the output does not
# depend on row order. A malformed row stops the build with FILE:LINE.
# Output: per prefix length, key and name-offset arrays sorted ascending, and
# one pool of distinct NUL-terminated names written as character constants (string
# literals over 4095 bytes break -Wpedantic).

function fail(msg) {
    printf "%s:%d: %s\n", FILENAME, rec_line, msg > "/dev/stderr"
    failed = 1
    exit 1
}

# Splits the first three CSV fields of record s into F[1..3]; returns how many.
function csv_fields(s,    n, i, len, c, field, quoted) {
    n = 0; i = 1; len = length(s)
    while (n < 3 && i <= len + 1) {
        field = ""; quoted = 0
        if (substr(s, i, 1) == "\"") {
            quoted = 1; i++
            for (;;) {
                if (i > len) fail("unterminated quoted field")
                c = substr(s, i, 1)
                if (c == "\"") {
                    if (substr(s, i + 1, 1) == "\"") { field = field "\""; i += 2; continue }
                    i++
                    break
                }
                field = field c; i++
            }
            c = substr(s, i, 1)
            if (c != "," && i <= len) fail("text after closing quote")
        } else {
            while (i <= len && (c = substr(s, i, 1)) != ",") { field = field c; i++ }
        }
        F[++n] = field
        i++   # past the comma
    }
    return n
}

# Heapsort of A[1..n] by byte-wise string order (keys are prefixed so awk
# never compares them as numbers: "001E50" would be a number).
function sift(A, start, n,    root, child, t) {
    root = start
    while ((child = 2 * root) <= n) {
        if (child < n && (A[child] "") < (A[child + 1] "")) child++
        if ((A[root] "") >= (A[child] "")) return
        t = A[root]; A[root] = A[child]; A[child] = t
        root = child
    }
}
function heapsort(A, n,    i, t) {
    for (i = int(n / 2); i >= 1; i--) sift(A, i, n)
    for (i = n; i > 1; i--) { t = A[1]; A[1] = A[i]; A[i] = t; sift(A, 1, i - 1) }
}

# One byte as a C character constant: printable ASCII as itself, the rest in
# octal ('\303' is -61 in a signed char, which draws no warning).
function char_const(c,    o) {
    o = ORD[c]
    if (o >= 32 && o < 127 && c != "'" && c != "\\") return "'" c "'"
    return sprintf("'\\%03o'", o)
}

# A name inside a C comment: no "*/" and no "??" (trigraphs under -std=c17).
function comment_safe(s) {
    gsub(/\*\//, "* /", s)
    while (index(s, "??")) sub(/\?\?/, "? ?", s)
    return s
}

BEGIN {
    HEXDIGITS["MA-L"] = 6; HEXDIGITS["MA-M"] = 7; HEXDIGITS["MA-S"] = 9; HEXDIGITS["IAB"] = 9
    BITS["MA-L"] = 24; BITS["MA-M"] = 28; BITS["MA-S"] = 36; BITS["IAB"] = 36
    for (i = 1; i < 256; i++) ORD[sprintf("%c", i)] = i
    rec = ""
    if (OUT == "") OUT = "/dev/stdout"
}

FNR == 1 {
    if (rec != "") fail("unterminated quoted field at end of file")
    sub(/\r$/, "")
    if (index($0, "Registry,Assignment,Organization Name") != 1)
        fail("not an IEEE registry CSV (header \"" $0 "\")")
    base = FILENAME; sub(/.*\//, "", base)
    files = files (files == "" ? "" : " ") base
    next
}

{
    sub(/\r$/, "")
    if (rec == "") { rec = $0; rec_line = FNR } else rec = rec "\n" $0
    tmp = rec
    if (gsub(/"/, "", tmp) % 2) next   # a quoted field goes on next line
    s = rec; rec = ""
    if (s == "") next
    if (csv_fields(s) < 3) fail("fewer than 3 fields")
    reg = F[1]; hex = toupper(F[2]); name = F[3]
    if (!(reg in BITS)) fail("unknown registry \"" reg "\"")
    if (length(hex) != HEXDIGITS[reg] || hex !~ /^[0-9A-F]+$/)
        fail(reg " assignment must be " HEXDIGITS[reg] " hex digits, got \"" F[2] "\"")
    gsub(/[ \t\r\n]+/, " ", name)
    sub(/^ /, "", name); sub(/ $/, "", name)
    if (name == "") fail("empty organization name for " hex)
    if (name ~ /[\001-\037\177]/) fail("control character in organization name for " hex)
    rows[reg]++
    bits = BITS[reg]
    key = bits SUBSEP hex
    if (key in NAME) {
        dups++
        if ((name "") < (NAME[key] "")) NAME[key] = name
        next
    }
    NAME[key] = name
    nkeys[bits]++
    KEYS[bits, nkeys[bits]] = "k" hex
}

END {
    if (failed) exit 1
    if (rec != "") { rec_line = FNR; fail("unterminated quoted field at end of file") }

    # Distinct names, sorted, laid out in the pool.
    nnames = 0
    for (key in NAME) if (!(NAME[key] in OFF)) { OFF[NAME[key]] = -1; NAMES[++nnames] = "n" NAME[key] }
    heapsort(NAMES, nnames)
    pool_bytes = 0
    for (i = 1; i <= nnames; i++) {
        nm = substr(NAMES[i], 2)
        OFF[nm] = pool_bytes
        pool_bytes += length(nm) + 1
    }

    split("24 28 36", LENS, " ")
    total = 0
    for (l = 1; l <= 3; l++) {
        bits = LENS[l]
        if (nkeys[bits] + 0 == 0) { rec_line = 0; fail("no " bits "-bit prefixes in the input") }
        total += nkeys[bits]
    }
    table_bytes = pool_bytes + 8 * nkeys[24] + 8 * nkeys[28] + 12 * nkeys[36]

    print "/* vendor_table.inc - GENERATED by core/vendor_gen.awk; do not edit." > OUT
    print " * Input: " files > OUT
    printf " * Rows: MA-L %d, MA-M %d, MA-S %d, IAB %d; %d repeated assignments dropped.\n", \
        rows["MA-L"], rows["MA-M"], rows["MA-S"], rows["IAB"], dups > OUT
    printf " * Entries: %d (24-bit %d, 28-bit %d, 36-bit %d); %d distinct names.\n", \
        total, nkeys[24], nkeys[28], nkeys[36], nnames > OUT
    printf " * Size: %d bytes = name pool %d + keys and name offsets %d.\n", \
        table_bytes, pool_bytes, table_bytes - pool_bytes > OUT
    print " * Keys are the prefix bits right-aligned, ascending within each table. */" > OUT
    print "" > OUT
    printf "#define VENDOR_TABLE_BYTES %d\n", table_bytes > OUT
    printf "#define VENDOR_POOL_BYTES %d\n\n", pool_bytes > OUT

    print "static const char vendor_pool[VENDOR_POOL_BYTES] = {" > OUT
    for (i = 1; i <= nnames; i++) {
        nm = substr(NAMES[i], 2)
        printf "    /* %d: %s */\n    ", OFF[nm], comment_safe(nm) > OUT
        n = length(nm)
        for (j = 1; j <= n; j++) printf "%s,", char_const(substr(nm, j, 1)) > OUT
        printf "0,\n" > OUT
    }
    print "};\n" > OUT

    for (l = 1; l <= 3; l++) {
        bits = LENS[l]
        n = nkeys[bits]
        for (i = 1; i <= n; i++) S[i] = KEYS[bits, i]
        heapsort(S, n)
        ktype = bits > 32 ? "uint64_t" : "uint32_t"
        printf "static const %s vendor_key%d[%d] = {\n", ktype, bits, n > OUT
        for (i = 1; i <= n; i++)
            printf "    %s0x%s%s,\n", (bits > 32 ? "UINT64_C(" : ""), substr(S[i], 2), (bits > 32 ? ")" : "") > OUT
        print "};\n" > OUT
        printf "static const uint32_t vendor_name%d[%d] = {\n", bits, n > OUT
        for (i = 1; i <= n; i++) printf "    %d,\n", OFF[NAME[bits, substr(S[i], 2)]] > OUT
        print "};\n" > OUT
    }
}
