// The ZIP container of an XLSX package (APPNOTE 6.3.x, the subset OOXML uses): the central
// directory is walked and checked in memory, parts are inflated on demand through zlib into a
// stream, within the bounds of sheets::Limits. A part's name is only ever a key: nothing here
// touches the file system.
//
// Why not Poco::Zip::ZipArchive: it finds entries by scanning local headers (so a crafted local
// header decides what is read), and its extra-field parser (ZipFileInfo / ZipLocalFileHeader,
// Poco 1.11) reads up to 24 bytes past its buffer when a ZIP64 field claims more than is there.
// Here every length is checked against the bytes present before it is used, and the central
// directory alone decides which bytes belong to which part.
#pragma once

#include <cstdint>
#include <istream>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sheets/limits.h"

namespace ppko::sheets {

class ZipArchive {
public:
    // Reads the central directory of `bytes`, which must outlive the archive and every stream
    // opened from it. `file` names the file in messages. Throws ppko::Error: sheet.corrupt (not
    // a ZIP archive, truncated, overlapping or duplicate entries, bad headers), sheet.too_large
    // (more entries than limits.max_entries), sheet.encrypted (an entry encrypted by ZIP itself).
    ZipArchive(std::string_view bytes, std::string file, const Limits& limits);
    ~ZipArchive();
    ZipArchive(const ZipArchive&) = delete;
    ZipArchive& operator=(const ZipArchive&) = delete;

    // Part names compare ASCII case-insensitively (OPC, ECMA-376 Part 2 §9.1.1.1); a leading '/'
    // is ignored.
    bool contains(std::string_view name) const;
    // Every entry's name as stored, in central-directory order.
    std::vector<std::string> names() const;

    // The part's uncompressed bytes as a stream. Reading it throws ppko::Error (the stream's
    // exception mask includes badbit, so the error reaches the caller as it is): sheet.too_large
    // (the part, or all parts read so far, beyond the limits; a compression ratio beyond
    // limits.max_ratio — a zip bomb — is refused here, before anything is inflated),
    // sheet.corrupt (bad deflate data, wrong size or CRC-32). Throws sheet.corrupt at once when
    // there is no such part or its method is neither stored nor deflated.
    std::unique_ptr<std::istream> open(std::string_view name);
    // The whole part (for the small ones: relationships, workbook).
    std::string read(std::string_view name);

    const std::string& file() const { return file_; }

private:
    struct Entry {
        std::string name;
        std::uint16_t method = 0;
        std::uint32_t crc = 0;
        std::uint64_t packed_size = 0, size = 0;
        std::uint64_t data = 0;  // offset of the compressed bytes
    };
    const Entry& entry(std::string_view name) const;

    std::string_view bytes_;
    std::string file_;
    Limits limits_;
    std::vector<Entry> entries_;
    std::map<std::string, std::size_t, std::less<>> by_name_;  // lower-cased name → index
    std::uint64_t total_read_ = 0;  // uncompressed bytes produced by every stream so far

    class PartBuf;
};

}  // namespace ppko::sheets
