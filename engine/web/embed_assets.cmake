# Writes a C++ source holding each file of ASSETS (a comma-separated list of paths under ASSETS_DIR) as a byte
# array, for web/assets.h. Invoked at build time:
#   cmake -DASSETS_DIR=… -DASSETS=… -DOUTPUT=… -P embed_assets.cmake
set(body "// Generated from engine/web/assets by engine/web/embed_assets.cmake. Do not edit.\n#include \"web/assets.h\"\nnamespace ppko::web {\n")
set(table "")
string(REPLACE "," ";" ASSETS "${ASSETS}")  # the list comes comma-separated
set(index 0)
foreach(f IN LISTS ASSETS)
  file(READ "${ASSETS_DIR}/${f}" hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
  string(LENGTH "${hex}" hexlen)
  math(EXPR size "${hexlen} / 2")
  string(APPEND body "static const char k${index}[] = {${bytes} 0};\n")
  string(APPEND table "    {\"${f}\", std::string_view(k${index}, ${size})},\n")
  math(EXPR index "${index} + 1")
endforeach()
string(APPEND body "const Asset* find_asset(std::string_view name) {\n  static const Asset all[] = {\n${table}  };\n  for (const Asset& a : all) if (a.name == name) return &a;\n  return nullptr;\n}\n}  // namespace ppko::web\n")
file(WRITE "${OUTPUT}.tmp" "${body}")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
