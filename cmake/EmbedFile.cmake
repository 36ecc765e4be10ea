# Turns a data file into a C++ source defining `const char* <SYMBOL>()` returning its text,
# so that the data file stays the one source of truth and the library needs no install path.
# Usage: cmake -DIN=file -DOUT=file.cc -DSYMBOL=name -DNAMESPACE=ns -P EmbedFile.cmake
file(READ "${IN}" content HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${content}")
file(WRITE "${OUT}" "// Generated from ${IN} by cmake/EmbedFile.cmake; do not edit.\n"
                    "namespace ${NAMESPACE} {\nconst char* ${SYMBOL}() {\n"
                    "  static const char kData[] = {${bytes} 0x00};\n  return kData;\n}\n}  // namespace ${NAMESPACE}\n")
