# embed.cmake - writes a file's bytes as a C array (cmake -P, at build time).
#   cmake -DINPUT=data/x.json -DOUTPUT=x.c -DSYMBOL=name -P embed.cmake
# Defines: const char SYMBOL[] (the bytes, then a NUL) and
#          const unsigned long SYMBOL_len (bytes, without the NUL).
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_len)
math(EXPR bytes "${hex_len} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," body "${hex}")
string(REGEX REPLACE "((0x[0-9a-f][0-9a-f],){16})" "\\1\n    " body "${body}")
file(WRITE "${OUTPUT}.tmp"
     "/* Generated from ${INPUT} by cmake/embed.cmake. Do not edit. */\n"
     "const char ${SYMBOL}[] = {\n    ${body}0x00\n};\n"
     "const unsigned long ${SYMBOL}_len = ${bytes}ul;\n")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
